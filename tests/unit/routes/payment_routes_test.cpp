// The routes JSON of the repository's payment IDL, function by function, against the
// method values, field names, types and requiredness of SPEC §8.
#include <map>
#include <set>
#include <vector>

#include "routes/schema.hpp"
#include "routes_test_util.hpp"

using namespace opp::routes;
using namespace opp::routes::test;

namespace {

struct Expected {
  const char* function;
  const char* method;
  std::vector<const char*> request;
  std::vector<const char*> result;  ///< at least these (SPEC §8)
};

// SPEC §8's tables.
const std::vector<Expected> kPayment{
    {"UnifyPay",
     "unifypay",
     {"out_order_no", "total_amount", "subject", "merchant_id", "pay_way", "app_id", "sub_open_id",
      "notify_url", "client_ip", "order_expiration"},
     {"merchant_id", "sub_merchant_id", "out_order_no", "jspay_info", "pay_way", "transaction_id",
      "order_status"}},
    {"QRPay",
     "qrpay",
     {"out_order_no", "total_amount", "subject", "merchant_id", "auth_code", "notify_url",
      "client_ip"},
     {"merchant_id", "out_order_no", "order_status", "pay_way", "open_id", "out_transaction_id",
      "transaction_id"}},
    {"QueryOrder",
     "queryorder",
     {"merchant_id", "out_order_no"},
     {"out_order_no", "order_status", "total_amount", "refunded_amount", "pay_way",
      "transaction_id", "created_at", "paid_at"}},
    {"CloseOrder", "closeorder", {"merchant_id", "out_order_no"}, {}},
    {"Refund",
     "refund",
     {"merchant_id", "out_order_no", "out_refund_no", "refund_amount", "reason"},
     {"out_order_no", "out_refund_no", "refund_amount", "refund_status", "refunded_total"}},
    {"QueryRefund",
     "queryrefund",
     {"merchant_id", "out_refund_no"},
     {"out_order_no", "out_refund_no", "refund_amount", "refund_status"}},
    {"DownloadBill",
     "downloadbill",
     {"merchant_id", "bill_date"},
     {"bill_date", "csv", "order_count", "total_amount", "refund_count", "refund_amount"}},
};

// Thrift types of the payment fields that are not strings (SPEC §8: amounts i64 fen,
// statuses i8).
const std::map<std::string, std::string> kNonStringTypes{
    {"total_amount", "i64"},     {"refund_amount", "i64"}, {"refunded_amount", "i64"},
    {"refunded_total", "i64"},   {"order_status", "i8"},   {"refund_status", "i8"},
    {"order_expiration", "i32"}, {"order_count", "i32"},   {"refund_count", "i32"},
};

std::string expected_type(const std::string& key) {
  auto it = kNonStringTypes.find(key);
  return it == kNonStringTypes.end() ? "string" : it->second;
}

std::set<std::string> keys_of(const rapidjson::Value& object) {
  std::set<std::string> out;
  for (const auto& m : object.GetObject()) out.insert(m.name.GetString());
  return out;
}

}  // namespace

TEST_CASE("routes JSON: every payment function with its method, fields, types, requiredness",
          "[routes][payment]") {
  auto snapshot = opp::catalog::scan(payment_dir());
  auto doc = parse_json(render_routes_json(*snapshot));
  const auto& payment = service(*doc, "payment");
  CHECK(str(payment["file"]) == "payment.thrift");
  CHECK(str(payment["service"]) == "PaymentSvc");
  CHECK(str(payment["path"]) == "/gateway/payment");
  REQUIRE(payment["functions"].Size() == kPayment.size());

  for (size_t i = 0; i < kPayment.size(); ++i) {
    const Expected& want = kPayment[i];
    INFO(want.function);
    const auto& fn = payment["functions"][static_cast<rapidjson::SizeType>(i)];
    CHECK(str(fn["function"]) == want.function);  // declaration order
    CHECK(str(fn["method"]) == want.method);
    REQUIRE(fn["methods"].Size() == 2);  // the route segment first, then the function name
    CHECK(str(fn["methods"][0]) == want.method);
    CHECK(str(fn["methods"][1]) == want.function);
    CHECK(str(fn["route_segment"]) == want.method);
    CHECK(str(fn["http"]["verb"]) == "post");
    CHECK(str(fn["http"]["path"]) == std::string("/payment/") + want.method);
    CHECK(fn["oneway"].GetBool() == false);
    CHECK_FALSE(str(fn["doc"]).empty());

    // biz_params: the <Function>Req struct itself (SPEC §3.1 and §8).
    const auto& biz = fn["biz_params"];
    CHECK(str(biz["shape"]) == "struct");
    CHECK(str(biz["type"]) == std::string(want.function) + "Req");
    CHECK(str(biz["merchant_binding"]) == "merchant_id");
    std::set<std::string> request_keys;
    for (const auto& row : biz["fields"].GetArray()) {
      std::string key = str(row["key"]);
      INFO(key);
      request_keys.insert(key);
      CHECK(str(row["name"]) == key);
      CHECK(str(row["type"]) == expected_type(key));
      CHECK(str(row["requiredness"]) == "default");  // SPEC §8: no `required`
      CHECK(row["filled_by_gateway"].GetBool() == (key == "merchant_id"));
    }
    CHECK(request_keys == std::set<std::string>(want.request.begin(), want.request.end()));

    // The schema has a property per field, none `required` in the IDL, and integers with
    // their range.
    const auto& schema = biz["schema"];
    CHECK(str(schema["$schema"]) == "https://json-schema.org/draft/2020-12/schema");
    CHECK(str(schema["type"]) == "object");
    CHECK(keys_of(schema["properties"]) == request_keys);
    CHECK_FALSE(schema.HasMember("required"));
    const auto& merchant = schema["properties"]["merchant_id"];
    CHECK(merchant["readOnly"].GetBool());
    CHECK(merchant["x-opp-filled-by-gateway"].GetBool());
    for (const std::string& key : request_keys) {
      const auto& p = schema["properties"][key.c_str()];
      if (expected_type(key) == "i64") {
        CHECK(p["minimum"].GetInt64() == INT64_MIN);
        CHECK(p["maximum"].GetInt64() == INT64_MAX);
        CHECK(str(p["pattern"]) == decimal_range_pattern(INT64_MIN, INT64_MAX));
      }
    }

    // data: the <Function>Resp struct.
    const auto& data = fn["data"];
    CHECK(str(data["type"]) == std::string(want.function) + "Resp");
    std::set<std::string> result_keys;
    for (const auto& row : data["fields"].GetArray()) {
      std::string key = str(row["key"]);
      INFO(key);
      result_keys.insert(key);
      CHECK(str(row["type"]) == expected_type(key));
      CHECK(str(row["requiredness"]) == "default");
    }
    for (const char* key : want.result) CHECK(result_keys.count(key) == 1);
    CHECK(keys_of(data["schema"]["properties"]) == result_keys);
    for (const std::string& key : result_keys) {
      if (expected_type(key) == "string") continue;
      const auto& p = data["schema"]["properties"][key.c_str()];
      CHECK(str(p["type"]) == "integer");  // data: plain integers, no strings
      if (expected_type(key) == "i8") CHECK(p["maximum"].GetInt() == 127);
    }

    // throws (1: common.BizError e), answered with its own code (SPEC §3.3, §8).
    REQUIRE(fn["exceptions"].Size() == 1);
    const auto& e = fn["exceptions"][0];
    CHECK(str(e["name"]) == "e");
    CHECK(str(e["type"]) == "common.BizError");
    CHECK(e["http_status"].GetInt() == 200);
    CHECK(str(e["err_code"]["field"]) == "code");
    CHECK(str(e["err_message"]["field"]) == "message");
    CHECK(keys_of(e["schema"]["properties"]) == std::set<std::string>{"code", "message"});
  }
}

TEST_CASE("routes JSON: payment files and no errors", "[routes][payment]") {
  auto doc = parse_json(render_routes_json(*opp::catalog::scan(payment_dir())));
  REQUIRE((*doc)["files"].Size() == 2);
  CHECK(str((*doc)["files"][0]["file"]) == "common.thrift");
  CHECK(str((*doc)["files"][0]["state"]) == "include-only");
  CHECK(str((*doc)["files"][1]["file"]) == "payment.thrift");
  CHECK(str((*doc)["files"][1]["state"]) == "ok");
  REQUIRE((*doc)["files"][1]["includes"].Size() == 1);
  CHECK(str((*doc)["files"][1]["includes"][0]) == "common.thrift");  // relative to idl_dir
  CHECK(str((*doc)["files"][1]["sha256"]).size() == 64);
  CHECK((*doc)["errors"].Size() == 0);
}
