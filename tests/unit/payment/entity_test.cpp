// Entities: amount and number rules, the barcode rule, the order state machine, dates.
#include <catch2/catch.hpp>

#include "payment/entity/biz_error.hpp"
#include "payment/entity/order.hpp"
#include "payment/entity/pay_way.hpp"
#include "payment/entity/time_format.hpp"
#include "payment/entity/validation.hpp"

using namespace opp::payment;

namespace {

int code_of(const opp::Result<void>& result) {
  return result.ok() ? 0 : static_cast<int>(result.error().code);
}

Order paid_order(int64_t total) {
  Order order;
  order.out_order_no = "o1";
  order.total_amount = total;
  order.created_at_ms = 1000;
  order.expire_at_ms = 1000 + 120 * 60'000;
  REQUIRE(order.mark_paid({"payer", "ch1"}, 2000).ok());
  return order;
}

}  // namespace

TEST_CASE("payment: amounts are 1..10^10 fen", "[payment][entity]") {
  CHECK_FALSE(is_valid_amount(0));
  CHECK_FALSE(is_valid_amount(-1));
  CHECK(is_valid_amount(1));
  CHECK(is_valid_amount(10'000'000'000));
  CHECK_FALSE(is_valid_amount(10'000'000'001));
}

TEST_CASE("payment: out_order_no is 1-32 chars of [A-Za-z0-9_-]", "[payment][entity]") {
  CHECK(is_valid_out_no("A-z_09"));
  CHECK(is_valid_out_no(std::string(32, 'x')));
  CHECK_FALSE(is_valid_out_no(std::string(33, 'x')));
  CHECK_FALSE(is_valid_out_no(""));
  CHECK_FALSE(is_valid_out_no("has space"));
  CHECK_FALSE(is_valid_out_no("semi;colon"));
  CHECK_FALSE(is_valid_out_no("ünï"));
}

TEST_CASE("payment: auth_code prefixes select the sandbox channel", "[payment][entity]") {
  CHECK(pay_way_for_auth_code("134567890123456789") == "wxpay");
  CHECK(pay_way_for_auth_code("1012345678901234") == "wxpay");
  CHECK(pay_way_for_auth_code("1512345678901234") == "wxpay");
  CHECK(pay_way_for_auth_code("2512345678901234") == "alipay");
  CHECK(pay_way_for_auth_code("301234567890123456789012") == "alipay");
  CHECK(pay_way_for_auth_code("6212345678901234") == "unionpay");
  CHECK_FALSE(pay_way_for_auth_code("1612345678901234"));           // prefix 16
  CHECK_FALSE(pay_way_for_auth_code("2412345678901234"));           // prefix 24
  CHECK_FALSE(pay_way_for_auth_code("6312345678901234"));           // prefix 63
  CHECK_FALSE(pay_way_for_auth_code("134567890123456"));            // 15 digits
  CHECK_FALSE(pay_way_for_auth_code("1345678901234567890123456"));  // 25 digits
  CHECK_FALSE(pay_way_for_auth_code("13456789012345a7"));
}

TEST_CASE("payment: order state machine", "[payment][entity]") {
  CHECK(can_transition(OrderStatus::kNotPay, OrderStatus::kSuccess));
  CHECK(can_transition(OrderStatus::kNotPay, OrderStatus::kPayError));
  CHECK(can_transition(OrderStatus::kNotPay, OrderStatus::kClosed));
  CHECK(can_transition(OrderStatus::kSuccess, OrderStatus::kRefund));
  CHECK(can_transition(OrderStatus::kRefund, OrderStatus::kRefund));
  CHECK_FALSE(can_transition(OrderStatus::kSuccess, OrderStatus::kClosed));
  CHECK_FALSE(can_transition(OrderStatus::kClosed, OrderStatus::kSuccess));
  CHECK_FALSE(can_transition(OrderStatus::kPayError, OrderStatus::kSuccess));
  CHECK_FALSE(can_transition(OrderStatus::kNotPay, OrderStatus::kRefund));

  SECTION("an unpaid order reads CLOSED once expired") {
    Order order;
    order.expire_at_ms = 5000;
    CHECK(order.status_at(4999) == OrderStatus::kNotPay);
    CHECK(order.status_at(5000) == OrderStatus::kClosed);
    CHECK(code_of(order.mark_paid({}, 6000)) == 20003);
    CHECK(code_of(order.close(6000)) == 0);
    CHECK(order.status == OrderStatus::kClosed);
    CHECK(order.closed_at_ms == 5000);
  }
  SECTION("close: NOTPAY closes, CLOSED stays, paid is 20003") {
    Order order;
    order.expire_at_ms = 1'000'000;
    CHECK(code_of(order.close(10)) == 0);
    CHECK(order.closed_at_ms == 10);
    CHECK(code_of(order.close(20)) == 0);
    CHECK(order.closed_at_ms == 10);
    Order paid = paid_order(100);
    CHECK(code_of(paid.close(3000)) == 20003);
  }
  SECTION("refunds accumulate and never exceed the total") {
    Order order = paid_order(100);
    CHECK(code_of(order.apply_refund(60, 3000)) == 0);
    CHECK(order.status == OrderStatus::kRefund);
    CHECK(code_of(order.apply_refund(41, 3000)) == 20005);
    CHECK(order.refunded_amount == 60);
    CHECK(code_of(order.apply_refund(40, 3000)) == 0);
    CHECK(order.refunded_amount == 100);
    CHECK(code_of(order.apply_refund(1, 3000)) == 20005);
  }
  SECTION("unpaid orders cannot be refunded") {
    Order order;
    order.expire_at_ms = 1'000'000;
    CHECK(code_of(order.apply_refund(1, 10)) == 20003);
    CHECK(code_of(order.mark_declined(10)) == 0);
    CHECK(code_of(order.apply_refund(1, 10)) == 20003);
  }
}

TEST_CASE("payment: free text must be well-formed UTF-8", "[payment][entity]") {
  CHECK(is_valid_utf8(""));
  CHECK(is_valid_utf8("plain ascii"));
  CHECK(is_valid_utf8("naïve café ☕ 𝄞"));
  CHECK(is_valid_utf8("\xF4\x8F\xBF\xBF"));        // U+10FFFF
  CHECK_FALSE(is_valid_utf8("\xFF"));              // never a lead byte
  CHECK_FALSE(is_valid_utf8("caf\xC3"));           // truncated
  CHECK_FALSE(is_valid_utf8("\xC0\xAF"));          // overlong '/'
  CHECK_FALSE(is_valid_utf8("\xE0\x80\xAF"));      // overlong '/'
  CHECK_FALSE(is_valid_utf8("\xED\xA0\x80"));      // surrogate U+D800
  CHECK_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  CHECK_FALSE(is_valid_utf8("\xE2\x98"));          // truncated ☕
  CHECK_FALSE(is_valid_utf8("\xE2\x28\x95"));      // bad continuation
}

TEST_CASE("payment: bill_date parses YYYY-MM-DD as a UTC day", "[payment][entity]") {
  const auto day = parse_bill_date("2026-11-27");
  REQUIRE(day);
  CHECK(day->begin_ms == 1'795'737'600'000);
  CHECK(day->end_ms - day->begin_ms == 86'400'000);
  CHECK(parse_bill_date("2024-02-29"));
  CHECK_FALSE(parse_bill_date("2026-02-29"));
  CHECK_FALSE(parse_bill_date("2026-13-01"));
  CHECK_FALSE(parse_bill_date("2026-11-31"));
  CHECK_FALSE(parse_bill_date("2026/11/27"));
  CHECK_FALSE(parse_bill_date("20261127"));
  CHECK_FALSE(parse_bill_date("2026-11-2x"));
  CHECK_FALSE(parse_bill_date(""));
}

TEST_CASE("payment: times are RFC 3339 UTC, empty when not reached", "[payment][entity]") {
  CHECK(format_rfc3339(1'795'756'320'000) == "2026-11-27T05:12:00Z");
  CHECK(format_rfc3339(1'795'756'320'999) == "2026-11-27T05:12:00Z");
  CHECK(format_rfc3339(0).empty());
}

TEST_CASE("payment: business errors carry their code and a kebab-case sub_code",
          "[payment][entity]") {
  const opp::Error error = invalid_param("total_amount", "missing");
  CHECK(static_cast<int>(error.code) == 20009);
  CHECK(error.sub_code == "invalid-param");
  CHECK(error.message == "total_amount: missing");
  CHECK(biz_code_of(error) == BizCode::kInvalidParam);
  CHECK_FALSE(biz_code_of(internal_error("storage-error", "x")));
}
