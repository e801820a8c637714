#pragma once
// Signing and verifying by sign_type (SPEC §3.2): hex HMAC for the HMAC types, base64
// RSA2 otherwise. Merchant request signatures and response signatures (§3.3) both use it.

#include <string>
#include <string_view>
#include <variant>

#include "opp/common/result.hpp"
#include "opp/crypto/keys.hpp"
#include "opp/crypto/sign_type.hpp"

namespace opp::crypto {

/// A merchant's shared secret for the HMAC sign types.
struct HmacSecret {
  std::string bytes;
};

/// What signs: an HMAC secret or the platform private key.
using SigningKey = std::variant<HmacSecret, PrivateKey>;
/// What verifies: an HMAC secret or an RSA public key.
using VerifyKey = std::variant<HmacSecret, PublicKey>;

/// Lowercase hex HMAC (HMAC types) or base64 RSA2 of `message`.
/// Errors: 10002 `sign-type-mismatch` when the key kind does not fit `type`;
/// 10006 `crypto-failure`.
Result<std::string> sign(SignType type, const SigningKey& key, std::string_view message);

/// Same with a secret held elsewhere (a merchant's VerifyKey), so it is not copied.
/// Errors: 10002 `sign-type-mismatch` for RSA2; 10006 `crypto-failure`.
Result<std::string> sign(SignType type, const HmacSecret& secret, std::string_view message);

/// Checks `signature` over `message`; hex is case-insensitive; the comparison is
/// constant-time. Errors: 10002 `sign-type-mismatch`, 10002 `invalid-signature`.
Result<void> verify(SignType type, const VerifyKey& key, std::string_view message,
                    std::string_view signature);

/// A merchant request's signature over its canonical string (see canonical_string.hpp).
inline Result<void> verify_merchant_signature(SignType type, const VerifyKey& key,
                                              std::string_view canonical, std::string_view sign) {
  return verify(type, key, canonical, sign);
}

/// Builds a merchant's verify key from stored key material: the secret for HMAC types,
/// a PEM public key for RSA2. Errors: 10001 `invalid-key`.
Result<VerifyKey> make_verify_key(SignType type, std::string_view secret_or_pem);

}  // namespace opp::crypto
