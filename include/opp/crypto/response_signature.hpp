#pragma once
// Signed responses and notifications (SPEC §3.3): a signature over
// timestamp + "\n" + nonce + "\n" + body + "\n", carried in four headers.

#include <cstdint>
#include <string>
#include <string_view>

#include "opp/common/result.hpp"
#include "opp/crypto/signature.hpp"

namespace opp::crypto {

inline constexpr std::string_view kTimestampHeader = "X-Opp-Timestamp";
inline constexpr std::string_view kNonceHeader = "X-Opp-Nonce";
inline constexpr std::string_view kSignTypeHeader = "X-Opp-Sign-Type";
inline constexpr std::string_view kSignatureHeader = "X-Opp-Signature";

/// The four header values, in header order.
struct ResponseSignature {
  std::string timestamp;  ///< Unix seconds, decimal
  std::string nonce;
  std::string sign_type;  ///< wire name, e.g. "RSA2"
  std::string signature;
};

/// timestamp + "\n" + nonce + "\n" + body + "\n": the exact bytes that are signed.
std::string response_signing_string(std::string_view timestamp, std::string_view nonce,
                                    std::string_view body);

/// Signs `body` (its exact bytes) at `timestamp_s` with `nonce`.
/// Errors: as crypto::sign.
Result<ResponseSignature> sign_response(SignType type, const SigningKey& key, std::string_view body,
                                        int64_t timestamp_s, std::string nonce);

/// Same for an HMAC sign type, with a secret held elsewhere (not copied).
/// Errors: as crypto::sign.
Result<ResponseSignature> sign_response(SignType type, const HmacSecret& secret,
                                        std::string_view body, int64_t timestamp_s,
                                        std::string nonce);

/// Same, at the current time with a fresh nonce.
Result<ResponseSignature> sign_response(SignType type, const SigningKey& key,
                                        std::string_view body);

/// Checks the headers against `body`. The sign type is read from the headers and must
/// fit `key`. Errors: 10002 `unsupported-sign-type`, `sign-type-mismatch`,
/// `invalid-signature`.
Result<void> verify_response(const VerifyKey& key, const ResponseSignature& headers,
                             std::string_view body);

}  // namespace opp::crypto
