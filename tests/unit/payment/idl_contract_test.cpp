// idl/payment.thrift against SPEC §8 and the gateway's JSON mapping (§5), read through
// the Apache Thrift compiler's own JSON dump (`thrift --gen json`, run at build time), so
// the check sees the IDL exactly as the code generator does.
#include <catch2/catch.hpp>

#include <rapidjson/document.h>

#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

using Json = rapidjson::Value;

namespace {

rapidjson::Document load_json(const std::string& file) {
  std::ifstream in(std::string(OPP_PAYMENT_IDL_JSON_DIR) + "/" + file);
  REQUIRE(in);
  std::stringstream text;
  text << in.rdbuf();
  rapidjson::Document document;
  document.Parse(text.str().c_str());
  REQUIRE_FALSE(document.HasParseError());
  return document;
}

const Json* find_named(const Json& array, const std::string& name) {
  for (const Json& item : array.GetArray()) {
    if (item["name"].GetString() == name) return &item;
  }
  return nullptr;
}

/// "i64", "string", ... for base types; the class name for structs.
std::string type_of(const Json& field) {
  const std::string id = field["typeId"].GetString();
  if (id == "struct" || id == "exception") return field["type"]["class"].GetString();
  return id;
}

using FieldTypes = std::map<std::string, std::string>;

struct FunctionContract {
  std::string function;
  std::string method;  ///< last segment of the api.post route (SPEC §8 method values)
  FieldTypes request;  ///< exactly these fields (SPEC §8 request table)
  FieldTypes result;   ///< at least these fields (SPEC §8 result table)
};

const std::vector<FunctionContract>& contracts() {
  static const std::vector<FunctionContract> all = {
      {"UnifyPay",
       "unifypay",
       {{"out_order_no", "string"},
        {"total_amount", "i64"},
        {"subject", "string"},
        {"merchant_id", "string"},
        {"pay_way", "string"},
        {"app_id", "string"},
        {"sub_open_id", "string"},
        {"notify_url", "string"},
        {"client_ip", "string"},
        {"order_expiration", "i32"}},
       {{"merchant_id", "string"},
        {"sub_merchant_id", "string"},
        {"out_order_no", "string"},
        {"jspay_info", "string"},
        {"pay_way", "string"},
        {"transaction_id", "string"},
        {"order_status", "i8"}}},
      {"QRPay",
       "qrpay",
       {{"out_order_no", "string"},
        {"total_amount", "i64"},
        {"subject", "string"},
        {"merchant_id", "string"},
        {"auth_code", "string"},
        {"notify_url", "string"},
        {"client_ip", "string"}},
       {{"merchant_id", "string"},
        {"out_order_no", "string"},
        {"order_status", "i8"},
        {"pay_way", "string"},
        {"open_id", "string"},
        {"out_transaction_id", "string"},
        {"transaction_id", "string"}}},
      {"QueryOrder",
       "queryorder",
       {{"merchant_id", "string"}, {"out_order_no", "string"}},
       {{"out_order_no", "string"},
        {"order_status", "i8"},
        {"total_amount", "i64"},
        {"refunded_amount", "i64"},
        {"pay_way", "string"},
        {"transaction_id", "string"},
        {"created_at", "string"},
        {"paid_at", "string"}}},
      {"CloseOrder", "closeorder", {{"merchant_id", "string"}, {"out_order_no", "string"}}, {}},
      {"Refund",
       "refund",
       {{"merchant_id", "string"},
        {"out_order_no", "string"},
        {"out_refund_no", "string"},
        {"refund_amount", "i64"},
        {"reason", "string"}},
       {{"out_order_no", "string"},
        {"out_refund_no", "string"},
        {"refund_amount", "i64"},
        {"refund_status", "i8"},
        {"refunded_total", "i64"}}},
      {"QueryRefund",
       "queryrefund",
       {{"merchant_id", "string"}, {"out_refund_no", "string"}},
       {{"out_order_no", "string"},
        {"out_refund_no", "string"},
        {"refund_amount", "i64"},
        {"refund_status", "i8"}}},
      {"DownloadBill",
       "downloadbill",
       {{"merchant_id", "string"}, {"bill_date", "string"}},
       {{"bill_date", "string"},
        {"csv", "string"},
        {"order_count", "i32"},
        {"total_amount", "i64"},
        {"refund_count", "i32"},
        {"refund_amount", "i64"}}},
  };
  return all;
}

/// Every field keeps default requiredness, has no IDL default (the gateway would fill it
/// in) and no annotation (api.key / go.tag would rename its JSON key, api.js_conv would
/// turn integers into strings).
void check_plain_fields(const Json& structure) {
  for (const Json& field : structure["fields"].GetArray()) {
    INFO(structure["name"].GetString() << "." << field["name"].GetString());
    CHECK(std::string(field["required"].GetString()) == "req_out");
    CHECK_FALSE(field.HasMember("default"));
    CHECK_FALSE(field.HasMember("annotations"));
  }
}

FieldTypes fields_of(const Json& structure) {
  FieldTypes fields;
  for (const Json& field : structure["fields"].GetArray()) {
    fields[field["name"].GetString()] = type_of(field);
  }
  return fields;
}

}  // namespace

TEST_CASE("payment IDL: BizError is {1: i32 code, 2: string message}", "[payment][idl]") {
  const auto common = load_json("common.json");
  CHECK(common["services"].Empty());  // include-only for the gateway
  const Json* biz = find_named(common["structs"], "BizError");
  REQUIRE(biz != nullptr);
  CHECK((*biz)["isException"].GetBool());
  const auto& fields = (*biz)["fields"];
  REQUIRE(fields.Size() == 2);
  CHECK(fields[0]["key"].GetInt() == 1);
  CHECK(type_of(fields[0]) == "i32");
  CHECK(std::string(fields[0]["name"].GetString()) == "code");
  CHECK(fields[1]["key"].GetInt() == 2);
  CHECK(type_of(fields[1]) == "string");
  CHECK(std::string(fields[1]["name"].GetString()) == "message");
}

TEST_CASE("payment IDL: PaymentSvc keeps the platform's functions, methods and fields",
          "[payment][idl]") {
  const auto payment = load_json("payment.json");
  const auto& services = payment["services"];
  REQUIRE(services.Size() == 1);
  const Json& service = services[0];
  CHECK(std::string(service["name"].GetString()) == "PaymentSvc");
  CHECK_FALSE(service.HasMember("extends"));
  CHECK(service["functions"].Size() == contracts().size());

  for (const FunctionContract& contract : contracts()) {
    INFO("function " << contract.function);
    const Json* function = find_named(service["functions"], contract.function);
    REQUIRE(function != nullptr);
    CHECK_FALSE((*function)["oneway"].GetBool());
    REQUIRE((*function).HasMember("annotations"));
    CHECK(std::string((*function)["annotations"]["api.post"].GetString()) ==
          "/payment/" + contract.method);

    const auto& arguments = (*function)["arguments"];
    REQUIRE(arguments.Size() == 1);
    CHECK(std::string(arguments[0]["name"].GetString()) == "req");
    CHECK(type_of(arguments[0]) == contract.function + "Req");
    CHECK(std::string((*function)["returnTypeId"].GetString()) == "struct");
    CHECK(std::string((*function)["returnType"]["class"].GetString()) ==
          contract.function + "Resp");
    const auto& exceptions = (*function)["exceptions"];
    REQUIRE(exceptions.Size() == 1);
    CHECK(exceptions[0]["key"].GetInt() == 1);
    CHECK(type_of(exceptions[0]) == "common.BizError");

    const Json* request = find_named(payment["structs"], contract.function + "Req");
    REQUIRE(request != nullptr);
    check_plain_fields(*request);
    CHECK(fields_of(*request) == contract.request);

    const Json* result = find_named(payment["structs"], contract.function + "Resp");
    REQUIRE(result != nullptr);
    check_plain_fields(*result);
    const FieldTypes present = fields_of(*result);
    for (const auto& [name, type] : contract.result) {
      INFO("result field " << name);
      REQUIRE(present.count(name) == 1);
      CHECK(present.at(name) == type);
    }
  }
}
