// Every payment method through the real gateway and the real opp-payment, for every sign
// type, with the gateway's response signatures verified; merchants kept apart.
#include <catch2/catch.hpp>

#include "platform.hpp"

using namespace opp::gateway::e2e;
using opp::crypto::SignType;

namespace {

std::string order_no(const std::string& prefix) {
  return prefix + fresh_nonce().substr(0, 12);
}

// A successful answer: HTTP 200, err_code 0, signed by the key the merchant expects.
rapidjson::Document expect_ok(const MerchantClient& merchant, const HttpResponse& r) {
  INFO(r.body);
  CHECK(r.status == 200);
  CHECK(r.err_code() == 0);
  CHECK(merchant.verify(r));
  CHECK_FALSE(r.header("x-request-id").empty());
  auto doc = r.json();
  REQUIRE(doc.IsObject());
  REQUIRE(doc.HasMember("data"));
  return doc;
}

}  // namespace

TEST_CASE("e2e: pay, query, close, refund and bill through the gateway", "[e2e]") {
  Platform platform;
  const auto sign_type = GENERATE(SignType::kHmacSha256, SignType::kHmacSm3, SignType::kRsa2);
  const std::string id = "M" + fresh_nonce().substr(0, 8);
  MerchantKey key = sign_type == SignType::kRsa2 ? platform.add_rsa_merchant(id)
                                                 : platform.add_hmac_merchant(id, sign_type);
  platform.start_gateway();
  MerchantClient merchant = platform.merchant(key);
  INFO("sign type " << opp::crypto::sign_type_name(sign_type));

  // unifypay → a NOTPAY order with pay parameters
  const std::string unpaid = order_no("U");
  auto doc = expect_ok(
      merchant, merchant.call("payment", "unifypay",
                              R"({"out_order_no":")" + unpaid +
                                  R"(","total_amount":1200,"pay_way":"wxpay","subject":"tea"})"));
  CHECK(doc["data"]["order_status"].GetInt() == 0);
  CHECK(std::string(doc["data"]["merchant_id"].GetString()) == id);  // bound by the gateway
  CHECK(std::string(doc["data"]["jspay_info"].GetString()).find("prepay_id") != std::string::npos);
  CHECK_FALSE(std::string(doc["data"]["transaction_id"].GetString()).empty());

  // closeorder: NOTPAY → CLOSED, then idempotent
  expect_ok(merchant,
            merchant.call("payment", "closeorder", R"({"out_order_no":")" + unpaid + R"("})"));
  expect_ok(merchant,
            merchant.call("payment", "CloseOrder", R"({"out_order_no":")" + unpaid + R"("})"));
  doc = expect_ok(
      merchant, merchant.call("payment", "queryorder", R"({"out_order_no":")" + unpaid + R"("})"));
  CHECK(doc["data"]["order_status"].GetInt() == 9);

  // qrpay settles at once; the amount travels as a decimal string too (SPEC §5)
  const std::string paid = order_no("Q");
  doc = expect_ok(
      merchant, merchant.call("payment", "qrpay",
                              R"({"out_order_no":")" + paid +
                                  R"(","total_amount":"5000","auth_code":"134567890123456789"})"));
  CHECK(doc["data"]["order_status"].GetInt() == 1);
  CHECK(std::string(doc["data"]["pay_way"].GetString()) == "wxpay");

  // queryorder sees it
  doc = expect_ok(merchant,
                  merchant.call("payment", "queryorder", R"({"out_order_no":")" + paid + R"("})"));
  CHECK(doc["data"]["total_amount"].GetInt64() == 5000);
  CHECK(doc["data"]["order_status"].GetInt() == 1);

  // refund, then queryrefund
  const std::string refund = order_no("R");
  doc = expect_ok(merchant,
                  merchant.call("payment", "refund",
                                R"({"out_order_no":")" + paid + R"(","out_refund_no":")" + refund +
                                    R"(","refund_amount":1500,"reason":"broken cup"})"));
  CHECK(doc["data"]["refunded_total"].GetInt64() == 1500);
  CHECK(doc["data"]["refund_status"].GetInt() == 1);
  doc = expect_ok(merchant, merchant.call("payment", "queryrefund",
                                          R"({"out_refund_no":")" + refund + R"("})"));
  CHECK(doc["data"]["refund_amount"].GetInt64() == 1500);
  doc = expect_ok(merchant,
                  merchant.call("payment", "queryorder", R"({"out_order_no":")" + paid + R"("})"));
  CHECK(doc["data"]["order_status"].GetInt() == 2);
  CHECK(doc["data"]["refunded_amount"].GetInt64() == 1500);

  // downloadbill lists both orders and the refund of today
  doc = expect_ok(merchant, merchant.call("payment", "downloadbill",
                                          R"({"bill_date":")" + today_utc() + R"("})"));
  CHECK(doc["data"]["order_count"].GetInt() == 2);
  CHECK(doc["data"]["refund_count"].GetInt() == 1);
  CHECK(doc["data"]["total_amount"].GetInt64() == 5000);
  const std::string csv = doc["data"]["csv"].GetString();
  CHECK(csv.find(paid) != std::string::npos);
  CHECK(csv.find(unpaid) != std::string::npos);

  // JSON bodies work like forms
  Params p = merchant.params("queryorder", R"({"out_order_no":")" + paid + R"("})");
  merchant.sign(p);
  expect_ok(merchant, merchant.post("payment", p, /*as_json=*/true));
}

TEST_CASE("e2e: business errors answer 200 with the backend's code, signed", "[e2e]") {
  Platform platform;
  MerchantKey key = platform.add_hmac_merchant("MBIZ", SignType::kHmacSha256);
  platform.start_gateway();
  MerchantClient merchant = platform.merchant(key);

  auto r = merchant.call("payment", "queryorder", R"({"out_order_no":"NOPE"})");
  INFO(r.body);
  CHECK(r.status == 200);
  CHECK(r.err_code() == 20002);
  CHECK(r.sub_code() == "order-not-found");
  CHECK(merchant.verify(r));
  auto doc = r.json();
  REQUIRE(doc.HasMember("data"));
  CHECK(doc["data"]["code"].GetInt() == 20002);
  CHECK(std::string(doc["err_message"].GetString()).find("NOPE") != std::string::npos);

  // declined barcode: 20006; refund beyond the total: 20005; missing field: 20009
  r = merchant.call("payment", "qrpay",
                    R"({"out_order_no":"D1","total_amount":100,"auth_code":"134567890123450000"})");
  CHECK(r.err_code() == 20006);
  merchant.call("payment", "qrpay",
                R"({"out_order_no":"P1","total_amount":100,"auth_code":"134567890123456781"})");
  r = merchant.call("payment", "refund",
                    R"({"out_order_no":"P1","out_refund_no":"X1","refund_amount":101})");
  CHECK(r.err_code() == 20005);
  r = merchant.call("payment", "unifypay", R"({"out_order_no":"U1","pay_way":"wxpay"})");
  CHECK(r.err_code() == 20009);
  CHECK(r.status == 200);
}

TEST_CASE("e2e: one merchant never reaches another's data", "[e2e]") {
  Platform platform;
  MerchantKey alice = platform.add_hmac_merchant("ALICE", SignType::kHmacSha256);
  MerchantKey bob = platform.add_hmac_merchant("BOB", SignType::kHmacSha256);
  platform.start_gateway();
  MerchantClient a = platform.merchant(alice);
  MerchantClient b = platform.merchant(bob);
  auto r =
      a.call("payment", "qrpay",
             R"({"out_order_no":"SHARED1","total_amount":700,"auth_code":"254567890123456789"})");
  REQUIRE(r.err_code() == 0);

  // Bob asking for Alice's order number sees nothing of hers.
  r = b.call("payment", "queryorder", R"({"out_order_no":"SHARED1"})");
  CHECK(r.err_code() == 20002);
  // Naming Alice in biz_params is refused before the backend is asked.
  r = b.call("payment", "queryorder", R"({"out_order_no":"SHARED1","merchant_id":"ALICE"})");
  CHECK(r.status == 401);
  CHECK(r.err_code() == 10002);
  CHECK(r.sub_code() == "merchant-mismatch");
  CHECK(b.verify(r));  // authenticated: the refusal is signed
  // Bob refunding Alice's order fails as not found; her order is untouched.
  r = b.call("payment", "refund",
             R"({"out_order_no":"SHARED1","out_refund_no":"BR1","refund_amount":700})");
  CHECK(r.err_code() == 20002);
  r = a.call("payment", "queryorder", R"({"out_order_no":"SHARED1"})");
  CHECK(r.json()["data"]["refunded_amount"].GetInt64() == 0);
  // Her own id in her own request is fine.
  r = a.call("payment", "queryorder", R"({"out_order_no":"SHARED1","merchant_id":"ALICE"})");
  CHECK(r.err_code() == 0);
}
