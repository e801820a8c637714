#include "payment/entity/biz_error.hpp"

namespace opp::payment {

std::string_view biz_sub_code(BizCode code) {
  std::string_view name = business_sub_code(code);
  return name.empty() ? "unknown" : name;
}

Error biz_error(BizCode code, std::string message) {
  Error error;
  error.code = code;
  error.sub_code = std::string(biz_sub_code(code));
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
  if (error.code >= BizCode::kDuplicateOutOrderNo && error.code <= BizCode::kInvalidParam)
    return error.code;
  return std::nullopt;
}

}  // namespace opp::payment
