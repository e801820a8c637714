#pragma once
// RSA2: RSASSA-PKCS1-v1_5 with SHA-256, signatures as standard base64 (SPEC §3.2).

#include <string>
#include <string_view>

#include "opp/common/result.hpp"
#include "opp/crypto/keys.hpp"

namespace opp::crypto {

/// Base64 signature of `data`. Errors: 10006 `crypto-failure`.
Result<std::string> rsa2_sign(const PrivateKey& key, std::string_view data);

/// Checks a base64 signature (padding optional). Errors: 10002 `invalid-signature` for a
/// signature that is malformed or does not match.
Result<void> rsa2_verify(const PublicKey& key, std::string_view data,
                         std::string_view signature_base64);

}  // namespace opp::crypto
