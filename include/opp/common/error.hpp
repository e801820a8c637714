#pragma once
// The platform's error value and its one table of public codes (SPEC §3.3, §8): a stable
// numeric code, a stable kebab-case sub_code, a human message and, where it applies, the
// JSON path or file position. Everything that names a code or maps it to an HTTP status
// goes through the tables below.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace opp {

/// Public error codes of the merchant API (SPEC §3.3) and the payment domain's business
/// codes (SPEC §8). Values are part of the contract.
enum class ErrorCode : int32_t {
  kOk = 0,
  kBadRequest = 10001,
  kUnauthorized = 10002,
  kServerNotFound = 10003,
  kServerMethodNotFound = 10004,
  kRequestServerFail = 10005,
  kServerHandleFail = 10006,
  kResponseUnableParse = 10007,
  kTooManyRequests = 10008,
  /// A declared exception without a business code of its own (SPEC §3.3: `code` < 20000).
  kBusinessError = 20000,
  kDuplicateOutOrderNo = 20001,
  kOrderNotFound = 20002,
  kOrderStatusInvalid = 20003,
  kInvalidAmount = 20004,
  kRefundAmountExceeded = 20005,
  kPaymentDeclined = 20006,
  kDuplicateOutRefundNo = 20007,
  kRefundNotFound = 20008,
  kInvalidParam = 20009,
};

/// Codes from this value up come from a backend's declared exception (SPEC §3.3).
inline constexpr int32_t kFirstBusinessCode = 20000;

struct Error {
  ErrorCode code = ErrorCode::kOk;
  std::string sub_code;  ///< stable kebab-case, e.g. "invalid-biz-params"
  std::string message;   ///< for humans; already includes the path when there is one
  std::string path;      ///< JSON path ("biz_params.items[2].amount") or "file:line:col"
};

/// One row of the code table.
struct CodeInfo {
  ErrorCode code;
  std::string_view name;  ///< the err_message word ("BadRequest") or business name
  uint16_t http_status;   ///< the status when no sub_code says otherwise
};

inline constexpr std::array kCodeTable{
    CodeInfo{ErrorCode::kOk, "ok", 200},
    CodeInfo{ErrorCode::kBadRequest, "BadRequest", 400},
    CodeInfo{ErrorCode::kUnauthorized, "Unauthorized", 401},
    CodeInfo{ErrorCode::kServerNotFound, "ServerNotFound", 404},
    CodeInfo{ErrorCode::kServerMethodNotFound, "ServerMethodNotFound", 404},
    CodeInfo{ErrorCode::kRequestServerFail, "RequestServerFail", 502},
    CodeInfo{ErrorCode::kServerHandleFail, "ServerHandleFail", 502},
    CodeInfo{ErrorCode::kResponseUnableParse, "ResponseUnableParse", 502},
    CodeInfo{ErrorCode::kTooManyRequests, "TooManyRequests", 429},
    // Declared exceptions are answered with HTTP 200 (SPEC §3.3, row "≥ 20000").
    CodeInfo{ErrorCode::kBusinessError, "BusinessError", 200},
    CodeInfo{ErrorCode::kDuplicateOutOrderNo, "DuplicateOutOrderNo", 200},
    CodeInfo{ErrorCode::kOrderNotFound, "OrderNotFound", 200},
    CodeInfo{ErrorCode::kOrderStatusInvalid, "OrderStatusInvalid", 200},
    CodeInfo{ErrorCode::kInvalidAmount, "InvalidAmount", 200},
    CodeInfo{ErrorCode::kRefundAmountExceeded, "RefundAmountExceeded", 200},
    CodeInfo{ErrorCode::kPaymentDeclined, "PaymentDeclined", 200},
    CodeInfo{ErrorCode::kDuplicateOutRefundNo, "DuplicateOutRefundNo", 200},
    CodeInfo{ErrorCode::kRefundNotFound, "RefundNotFound", 200},
    CodeInfo{ErrorCode::kInvalidParam, "InvalidParam", 200},
};

/// One row of the sub_code table: the sub_codes of SPEC §3.3 with the code they belong to
/// and the HTTP status they answer with. The business codes' own sub_codes are listed too,
/// so the payment backend names them from here. A row is keyed by (code, sub_code).
struct SubCodeInfo {
  std::string_view sub_code;
  ErrorCode code;
  uint16_t http_status;
};

inline constexpr std::array kSubCodeTable{
    SubCodeInfo{"missing-param", ErrorCode::kBadRequest, 400},
    SubCodeInfo{"invalid-param", ErrorCode::kBadRequest, 400},
    SubCodeInfo{"duplicate-param", ErrorCode::kBadRequest, 400},
    SubCodeInfo{"unsupported-content-type", ErrorCode::kBadRequest, 400},
    SubCodeInfo{"body-too-large", ErrorCode::kBadRequest, 413},
    SubCodeInfo{"header-too-large", ErrorCode::kBadRequest, 431},
    SubCodeInfo{"malformed-http", ErrorCode::kBadRequest, 400},
    // Plain HTTP sent to the TLS listener: answered unencrypted, then the connection closes.
    SubCodeInfo{"http-on-tls-port", ErrorCode::kBadRequest, 400},
    SubCodeInfo{"method-not-allowed", ErrorCode::kBadRequest, 405},
    SubCodeInfo{"invalid-biz-params", ErrorCode::kBadRequest, 400},
    SubCodeInfo{"invalid-signature", ErrorCode::kUnauthorized, 401},
    SubCodeInfo{"unknown-merchant", ErrorCode::kUnauthorized, 401},
    SubCodeInfo{"merchant-disabled", ErrorCode::kUnauthorized, 401},
    SubCodeInfo{"unsupported-sign-type", ErrorCode::kUnauthorized, 401},
    SubCodeInfo{"sign-type-mismatch", ErrorCode::kUnauthorized, 401},
    SubCodeInfo{"timestamp-expired", ErrorCode::kUnauthorized, 401},
    SubCodeInfo{"nonce-replayed", ErrorCode::kUnauthorized, 401},
    SubCodeInfo{"nonce-quota-exceeded", ErrorCode::kUnauthorized, 401},
    SubCodeInfo{"merchant-mismatch", ErrorCode::kUnauthorized, 401},
    SubCodeInfo{"ip-not-allowed", ErrorCode::kUnauthorized, 403},
    SubCodeInfo{"unknown-service", ErrorCode::kServerNotFound, 404},
    SubCodeInfo{"unknown-route", ErrorCode::kServerNotFound, 404},
    SubCodeInfo{"unknown-method", ErrorCode::kServerMethodNotFound, 404},
    SubCodeInfo{"no-upstream", ErrorCode::kRequestServerFail, 503},
    SubCodeInfo{"upstream-unavailable", ErrorCode::kRequestServerFail, 502},
    SubCodeInfo{"upstream-reset", ErrorCode::kRequestServerFail, 502},
    SubCodeInfo{"upstream-saturated", ErrorCode::kRequestServerFail, 503},
    SubCodeInfo{"upstream-timeout", ErrorCode::kRequestServerFail, 504},
    SubCodeInfo{"nonce-store-unavailable", ErrorCode::kRequestServerFail, 503},
    // The rate-limit plugin's shared buckets (policy: redis) cannot be reached: fail closed.
    SubCodeInfo{"rate-limit-unavailable", ErrorCode::kRequestServerFail, 503},
    SubCodeInfo{"upstream-exception", ErrorCode::kServerHandleFail, 502},
    // A plugin rejected a call with a pair this table does not know: the plugin's fault.
    SubCodeInfo{"plugin-error", ErrorCode::kServerHandleFail, 500},
    SubCodeInfo{"bad-upstream-reply", ErrorCode::kResponseUnableParse, 502},
    SubCodeInfo{"rate-limited", ErrorCode::kTooManyRequests, 429},
    SubCodeInfo{"duplicate-out-order-no", ErrorCode::kDuplicateOutOrderNo, 200},
    SubCodeInfo{"order-not-found", ErrorCode::kOrderNotFound, 200},
    SubCodeInfo{"order-status-invalid", ErrorCode::kOrderStatusInvalid, 200},
    SubCodeInfo{"invalid-amount", ErrorCode::kInvalidAmount, 200},
    SubCodeInfo{"refund-amount-exceeded", ErrorCode::kRefundAmountExceeded, 200},
    SubCodeInfo{"payment-declined", ErrorCode::kPaymentDeclined, 200},
    SubCodeInfo{"duplicate-out-refund-no", ErrorCode::kDuplicateOutRefundNo, 200},
    SubCodeInfo{"refund-not-found", ErrorCode::kRefundNotFound, 200},
    SubCodeInfo{"invalid-param", ErrorCode::kInvalidParam, 200},
};

/// The table row of `code`, or nullptr for a code outside the table.
constexpr const CodeInfo* find_code(ErrorCode code) {
  for (const CodeInfo& row : kCodeTable)
    if (row.code == code) return &row;
  return nullptr;
}

/// The table row of (`code`, `sub_code`), or nullptr.
constexpr const SubCodeInfo* find_sub_code(ErrorCode code, std::string_view sub_code) {
  for (const SubCodeInfo& row : kSubCodeTable)
    if (row.code == code && row.sub_code == sub_code) return &row;
  return nullptr;
}

/// The sub_code of a business code (SPEC §8), or "" for one the table does not list.
constexpr std::string_view business_sub_code(ErrorCode code) {
  for (const SubCodeInfo& row : kSubCodeTable)
    if (row.code == code && static_cast<int32_t>(code) > kFirstBusinessCode) return row.sub_code;
  return {};
}

/// The err_message word of a code ("BadRequest", ...). A backend's business code the
/// table does not list is a "BusinessError"; anything else unknown is "Unknown".
constexpr std::string_view error_name(ErrorCode code) {
  // Loops rather than find_code(): GCC under -fsanitize rejects comparing the pointer it
  // returns with null in constant expressions.
  for (const CodeInfo& row : kCodeTable)
    if (row.code == code) return row.name;
  return static_cast<int32_t>(code) >= kFirstBusinessCode ? "BusinessError" : "Unknown";
}

/// The HTTP status of an error response (SPEC §3.3): the (code, sub_code) row's when the
/// table lists it, else the code's; backend business codes answer 200, anything
/// outside the tables 500.
constexpr uint16_t http_status(ErrorCode code, std::string_view sub_code = {}) {
  for (const SubCodeInfo& row : kSubCodeTable)
    if (row.code == code && row.sub_code == sub_code) return row.http_status;
  for (const CodeInfo& row : kCodeTable)
    if (row.code == code) return row.http_status;
  return static_cast<int32_t>(code) >= kFirstBusinessCode ? 200 : 500;
}

inline uint16_t http_status(const Error& error) {
  return http_status(error.code, error.sub_code);
}

}  // namespace opp
