#pragma once
// The platform's error value: a stable numeric code (SPEC §3.3), a stable kebab-case
// sub_code, a human message and, where it applies, the JSON path or file position.

#include <cstdint>
#include <string>

namespace opp {

/// Public error codes of the merchant API (SPEC §3.3). Values are part of the contract.
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
};

struct Error {
  ErrorCode code = ErrorCode::kOk;
  std::string sub_code;  ///< stable kebab-case, e.g. "invalid-biz-params"
  std::string message;   ///< for humans; already includes the path when there is one
  std::string path;      ///< JSON path ("biz_params.items[2].amount") or "file:line:col"
};

/// The err_message word of a code ("BadRequest", ...).
inline const char* error_name(ErrorCode code) {
  switch (code) {
    case ErrorCode::kOk:
      return "ok";
    case ErrorCode::kBadRequest:
      return "BadRequest";
    case ErrorCode::kUnauthorized:
      return "Unauthorized";
    case ErrorCode::kServerNotFound:
      return "ServerNotFound";
    case ErrorCode::kServerMethodNotFound:
      return "ServerMethodNotFound";
    case ErrorCode::kRequestServerFail:
      return "RequestServerFail";
    case ErrorCode::kServerHandleFail:
      return "ServerHandleFail";
    case ErrorCode::kResponseUnableParse:
      return "ResponseUnableParse";
    case ErrorCode::kTooManyRequests:
      return "TooManyRequests";
  }
  return "Unknown";
}

}  // namespace opp
