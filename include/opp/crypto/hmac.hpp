#pragma once
// HMAC over the two digests merchants may choose (SPEC §3.2), on OpenSSL's digest API.

#include <string>
#include <string_view>

#include "opp/common/result.hpp"

namespace opp::crypto {

enum class HmacDigest { kSha256, kSm3 };

/// Raw 32-byte MAC of `data` under `key`. Errors: 10006 `crypto-failure` when OpenSSL
/// cannot provide the digest (a broken installation, never the caller's input).
Result<std::string> hmac(HmacDigest digest, std::string_view key, std::string_view data);

inline Result<std::string> hmac_sha256(std::string_view key, std::string_view data) {
  return hmac(HmacDigest::kSha256, key, data);
}
inline Result<std::string> hmac_sm3(std::string_view key, std::string_view data) {
  return hmac(HmacDigest::kSm3, key, data);
}

}  // namespace opp::crypto
