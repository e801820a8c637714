// The sandbox channels: jspay_info is JSON text with a prepay_id for every pay_way, the
// barcode decline rule (codes ending in 0000), and refunds that settle at once.
#include <catch2/catch.hpp>

#include <rapidjson/document.h>

#include "payment/infrastructure/sandbox/sandbox_channel.hpp"

using namespace opp::payment;

namespace {

Order order_for(const std::string& pay_way) {
  Order order;
  order.merchant_id = "m1";
  order.out_order_no = "o1";
  order.transaction_id = "T2026112705120000000001";
  order.pay_way = pay_way;
  order.app_id = "wx-app";
  order.total_amount = 100;
  order.created_at_ms = 1'795'756'320'000;
  return order;
}

}  // namespace

TEST_CASE("payment sandbox: jspay_info is JSON with a prepay_id", "[payment][sandbox]") {
  const auto channels = make_sandbox_channels();
  REQUIRE(channels.size() == 3);
  for (const char* pay_way : {"wxpay", "alipay", "unionpay"}) {
    INFO(pay_way);
    const Order order = order_for(pay_way);
    auto prepared = channels.at(pay_way)->prepay(order);
    REQUIRE(prepared.ok());
    CHECK_FALSE(prepared->sub_merchant_id.empty());
    rapidjson::Document info;
    info.Parse(prepared->jspay_info.c_str());
    REQUIRE_FALSE(info.HasParseError());
    REQUIRE(info.IsObject());
    REQUIRE(info.HasMember("prepay_id"));
    const std::string prepay_id = info["prepay_id"].GetString();
    CHECK(prepay_id.find(order.transaction_id) != std::string::npos);
  }
  auto wx = channels.at("wxpay")->prepay(order_for("wxpay"));
  rapidjson::Document info;
  info.Parse(wx->jspay_info.c_str());
  CHECK(std::string(info["appId"].GetString()) == "wx-app");
  CHECK(std::string(info["package"].GetString()) ==
        "prepay_id=" + std::string(info["prepay_id"].GetString()));
}

TEST_CASE("payment sandbox: barcodes ending in 0000 are declined", "[payment][sandbox]") {
  SandboxChannel channel("alipay");
  Order order = order_for("alipay");
  order.auth_code = "2812345678901234";
  auto approved = channel.charge_barcode(order);
  REQUIRE(approved.ok());
  CHECK(approved->approved);
  CHECK_FALSE(approved->payment.open_id.empty());
  CHECK(approved->payment.out_transaction_id.find(order.transaction_id) != std::string::npos);
  order.auth_code = "2812345678900000";
  auto declined = channel.charge_barcode(order);
  REQUIRE(declined.ok());
  CHECK_FALSE(declined->approved);
  CHECK_FALSE(declined->decline_reason.empty());
  order.auth_code = "2812345678900001";  // 000 at the end is not enough
  CHECK(channel.charge_barcode(order)->approved);
  CHECK(channel.refund(order, Refund{}).value());
}
