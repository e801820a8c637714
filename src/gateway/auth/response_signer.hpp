#pragma once
// Signatures of authenticated responses (SPEC §3.3): X-Opp-Timestamp, X-Opp-Nonce,
// X-Opp-Sign-Type and X-Opp-Signature over timestamp + "\n" + nonce + "\n" + body + "\n".

#include <cstdint>
#include <string_view>

#include "gateway/auth/authenticator.hpp"
#include "opp/common/result.hpp"
#include "opp/crypto/keys.hpp"
#include "opp/crypto/response_signature.hpp"

namespace opp::gateway::auth {

class ResponseSigner {
 public:
  /// Signs RSA2 responses with `platform_key` (auth.platform_private_key).
  explicit ResponseSigner(crypto::PrivateKey platform_key);

  /// The four header values for `body` (its exact bytes) sent to `merchant` at `now_s`,
  /// in the merchant's sign type: HMAC types with the merchant's secret, RSA2 with the
  /// platform key (merchants verify with GET /gateway/platform-key). Nonce: 32 hex
  /// characters, fresh per call. Thread-safe. Errors: 10002 `sign-type-mismatch` (a
  /// merchant record whose key does not fit its sign type), 10006 `crypto-failure`.
  Result<crypto::ResponseSignature> sign(const AuthenticatedMerchant& merchant,
                                         std::string_view body, int64_t now_s) const;

 private:
  crypto::SigningKey platform_key_;
};

}  // namespace opp::gateway::auth
