#pragma once
// What an administrator may store for a merchant (SPEC §3.4), checked before anything is
// written: the id's form, and key material that fits the sign type.

#include <cstdint>
#include <string>
#include <string_view>

#include "opp/common/result.hpp"
#include "opp/crypto/sign_type.hpp"

namespace opp::gateway::auth {

inline constexpr size_t kMaxMerchantIdChars = 64;
inline constexpr size_t kMaxSecretBytes = 4096;
inline constexpr size_t kMaxPublicKeyPemBytes = 65536;

/// A merchant's key as given: an HMAC secret, or an RSA public key in PEM.
struct KeyMaterial {
  enum class Kind : uint8_t { kSecret, kPublicKeyPem };
  Kind kind = Kind::kSecret;
  std::string bytes;
};

/// 1–64 characters of [A-Za-z0-9_-]. Errors: 10001 `invalid-merchant-id`.
Result<void> validate_merchant_id(std::string_view id);

/// The material to store for `sign_type`: a secret as given, a public key re-encoded as
/// SPKI PEM. Errors: 10002 `sign-type-mismatch` (a secret for RSA2, a key for HMAC),
/// 10001 `empty-secret`, `invalid-key` (secret over 4096 bytes; not an RSA public key
/// PEM, or shorter than 2048 bits). Messages never show the material.
Result<std::string> normalize_key_material(crypto::SignType sign_type, const KeyMaterial& key);

}  // namespace opp::gateway::auth
