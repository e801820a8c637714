// The one table of public codes: every code and sub_code of SPEC §3.3 and §8 with its
// name and HTTP status.
#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "opp/common/error.hpp"

using opp::ErrorCode;

namespace {

struct Expected {
  int32_t code;
  const char* name;
  uint16_t status;
};

}  // namespace

TEST_CASE("error table: every code has its SPEC name and default HTTP status", "[error]") {
  const Expected expected[] = {
      {0, "ok", 200},
      {10001, "BadRequest", 400},
      {10002, "Unauthorized", 401},
      {10003, "ServerNotFound", 404},
      {10004, "ServerMethodNotFound", 404},
      {10005, "RequestServerFail", 502},
      {10006, "ServerHandleFail", 502},
      {10007, "ResponseUnableParse", 502},
      {10008, "TooManyRequests", 429},
      {20000, "BusinessError", 200},
      {20001, "DuplicateOutOrderNo", 200},
      {20002, "OrderNotFound", 200},
      {20003, "OrderStatusInvalid", 200},
      {20004, "InvalidAmount", 200},
      {20005, "RefundAmountExceeded", 200},
      {20006, "PaymentDeclined", 200},
      {20007, "DuplicateOutRefundNo", 200},
      {20008, "RefundNotFound", 200},
      {20009, "InvalidParam", 200},
  };
  for (const Expected& e : expected) {
    INFO(e.code);
    const auto code = static_cast<ErrorCode>(e.code);
    REQUIRE(opp::find_code(code) != nullptr);
    CHECK(opp::error_name(code) == e.name);
    CHECK(opp::http_status(code) == e.status);
  }
  CHECK(opp::kCodeTable.size() == std::size(expected));
}

TEST_CASE("error table: sub_codes choose the status inside their code", "[error]") {
  struct Row {
    int32_t code;
    const char* sub_code;
    uint16_t status;
  };
  const Row rows[] = {
      {10001, "missing-param", 400},           {10001, "invalid-param", 400},
      {10001, "duplicate-param", 400},         {10001, "unsupported-content-type", 400},
      {10001, "body-too-large", 413},          {10001, "header-too-large", 431},
      {10001, "malformed-http", 400},          {10001, "method-not-allowed", 405},
      {10001, "invalid-biz-params", 400},      {10002, "invalid-signature", 401},
      {10002, "unknown-merchant", 401},        {10002, "merchant-disabled", 401},
      {10002, "unsupported-sign-type", 401},   {10002, "sign-type-mismatch", 401},
      {10002, "timestamp-expired", 401},       {10002, "nonce-replayed", 401},
      {10002, "merchant-mismatch", 401},       {10002, "ip-not-allowed", 403},
      {10003, "unknown-service", 404},         {10003, "unknown-route", 404},
      {10004, "unknown-method", 404},          {10005, "no-upstream", 503},
      {10005, "upstream-unavailable", 502},    {10005, "upstream-reset", 502},
      {10005, "upstream-saturated", 503},      {10005, "upstream-timeout", 504},
      {10005, "nonce-store-unavailable", 503}, {10006, "upstream-exception", 502},
      {10007, "bad-upstream-reply", 502},      {10008, "rate-limited", 429},
      {10005, "rate-limit-unavailable", 503},  {10001, "http-on-tls-port", 400},
  };
  for (const Row& row : rows) {
    INFO(row.sub_code);
    const auto code = static_cast<ErrorCode>(row.code);
    const opp::SubCodeInfo* info = opp::find_sub_code(code, row.sub_code);
    REQUIRE(info != nullptr);
    CHECK(info->http_status == row.status);
    CHECK(opp::http_status(code, row.sub_code) == row.status);
    CHECK(opp::http_status(opp::Error{code, row.sub_code, "", ""}) == row.status);
  }
  // A sub_code is only honoured under its own code.
  CHECK(opp::http_status(ErrorCode::kUnauthorized, "body-too-large") == 401);
  CHECK(opp::http_status(ErrorCode::kBadRequest, "no-such-sub-code") == 400);
}

TEST_CASE("error table: business codes carry their sub_codes", "[error]") {
  CHECK(opp::business_sub_code(ErrorCode::kDuplicateOutOrderNo) == "duplicate-out-order-no");
  CHECK(opp::business_sub_code(ErrorCode::kPaymentDeclined) == "payment-declined");
  CHECK(opp::business_sub_code(ErrorCode::kInvalidParam) == "invalid-param");
  CHECK(opp::business_sub_code(ErrorCode::kBadRequest).empty());
  for (int32_t c = 20001; c <= 20009; ++c)
    CHECK_FALSE(opp::business_sub_code(static_cast<ErrorCode>(c)).empty());
}

TEST_CASE("error table: codes outside the table", "[error]") {
  // A backend's own business code (SPEC §3.3, >= 20000) answers 200.
  CHECK(opp::error_name(static_cast<ErrorCode>(20042)) == "BusinessError");
  CHECK(opp::http_status(static_cast<ErrorCode>(20042)) == 200);
  CHECK(opp::error_name(static_cast<ErrorCode>(12345)) == "Unknown");
  CHECK(opp::http_status(static_cast<ErrorCode>(12345)) == 500);
}

TEST_CASE("error table: no row is listed twice", "[error]") {
  std::set<int32_t> codes;
  for (const auto& row : opp::kCodeTable)
    CHECK(codes.insert(static_cast<int32_t>(row.code)).second);
  std::set<std::pair<int32_t, std::string>> sub_codes;
  for (const auto& row : opp::kSubCodeTable) {
    CHECK(sub_codes.emplace(static_cast<int32_t>(row.code), std::string(row.sub_code)).second);
    CHECK(opp::find_code(row.code) != nullptr);  // every sub_code belongs to a listed code
  }
  // The table is usable at compile time.
  static_assert(opp::http_status(ErrorCode::kBadRequest, "body-too-large") == 413);
  static_assert(opp::error_name(ErrorCode::kTooManyRequests) == "TooManyRequests");
}
