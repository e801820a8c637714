#pragma once
// Error values of the crypto library. Messages name what failed, never key material or
// signed data. OpenSSL's error queue is drained so a failure cannot leak into the next
// call made on the same thread.

#include <string>

#include "opp/common/error.hpp"

namespace opp::crypto::detail {

inline Error bad_input(std::string sub_code, std::string message) {
  return Error{ErrorCode::kBadRequest, std::move(sub_code), std::move(message), {}};
}

inline Error unauthorized(std::string sub_code, std::string message) {
  return Error{ErrorCode::kUnauthorized, std::move(sub_code), std::move(message), {}};
}

/// A failure of the server itself (OpenSSL, files), not of the caller's input.
inline Error server_failure(std::string sub_code, std::string message) {
  return Error{ErrorCode::kServerHandleFail, std::move(sub_code), std::move(message), {}};
}

/// `what` followed by OpenSSL's reason for the most recent error, then clears the queue.
std::string with_openssl_reason(std::string what);

/// Forgets queued OpenSSL errors (after an expected failure such as a bad signature).
void clear_openssl_errors() noexcept;

}  // namespace opp::crypto::detail
