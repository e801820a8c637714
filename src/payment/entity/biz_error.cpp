#include "payment/entity/biz_error.hpp"

namespace opp::payment {

const char* biz_sub_code(BizCode code) {
  switch (code) {
    case BizCode::kDuplicateOutOrderNo:
      return "duplicate-out-order-no";
    case BizCode::kOrderNotFound:
      return "order-not-found";
    case BizCode::kOrderStatusInvalid:
      return "order-status-invalid";
    case BizCode::kInvalidAmount:
      return "invalid-amount";
    case BizCode::kRefundAmountExceeded:
      return "refund-amount-exceeded";
    case BizCode::kPaymentDeclined:
      return "payment-declined";
    case BizCode::kDuplicateOutRefundNo:
      return "duplicate-out-refund-no";
    case BizCode::kRefundNotFound:
      return "refund-not-found";
    case BizCode::kInvalidParam:
      return "invalid-param";
  }
  return "unknown";
}

Error biz_error(BizCode code, std::string message) {
  Error error;
  error.code = static_cast<ErrorCode>(static_cast<int32_t>(code));
  error.sub_code = biz_sub_code(code);
  error.message = std::move(message);
  return error;
}

Error invalid_param(const std::string& field, const std::string& why) {
  Error error = biz_error(BizCode::kInvalidParam, field + ": " + why);
  error.path = field;
  return error;
}

Error internal_error(std::string sub_code, std::string message) {
  Error error;
  error.code = ErrorCode::kServerHandleFail;
  error.sub_code = std::move(sub_code);
  error.message = std::move(message);
  return error;
}

std::optional<BizCode> biz_code_of(const Error& error) {
  const auto value = static_cast<int32_t>(error.code);
  if (value >= static_cast<int32_t>(BizCode::kDuplicateOutOrderNo) &&
      value <= static_cast<int32_t>(BizCode::kInvalidParam)) {
    return static_cast<BizCode>(value);
  }
  return std::nullopt;
}

}  // namespace opp::payment
