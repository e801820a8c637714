#pragma once
// The `sign_type` values of SPEC §3.2, spelled exactly as on the wire.

#include <string_view>

#include "opp/common/result.hpp"

namespace opp::crypto {

enum class SignType { kHmacSha256, kHmacSm3, kRsa2 };

/// "HMAC-SHA256", "HMAC-SM3" or "RSA2".
std::string_view sign_type_name(SignType type) noexcept;

/// Exact, case-sensitive match of a wire name. Errors: 10002 `unsupported-sign-type`.
Result<SignType> parse_sign_type(std::string_view name);

inline bool is_hmac(SignType type) noexcept {
  return type != SignType::kRsa2;
}

}  // namespace opp::crypto
