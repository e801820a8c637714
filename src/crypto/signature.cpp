#include "opp/crypto/signature.hpp"

#include "crypto_error.hpp"
#include "opp/crypto/constant_time.hpp"
#include "opp/crypto/hex.hpp"
#include "opp/crypto/hmac.hpp"
#include "opp/crypto/rsa2.hpp"

namespace opp::crypto {
namespace {

HmacDigest digest_of(SignType type) {
  return type == SignType::kHmacSm3 ? HmacDigest::kSm3 : HmacDigest::kSha256;
}

Error mismatch(SignType type) {
  const char* needs = is_hmac(type) ? "a shared secret" : "an RSA key";
  return detail::unauthorized("sign-type-mismatch",
                              "sign_type " + std::string(sign_type_name(type)) + " needs " + needs);
}

}  // namespace

Result<std::string> sign(SignType type, const HmacSecret& secret, std::string_view message) {
  if (!is_hmac(type)) return mismatch(type);
  auto mac = hmac(digest_of(type), secret.bytes, message);
  if (!mac) return std::move(mac).error();
  return hex_encode(*mac);
}

Result<std::string> sign(SignType type, const SigningKey& key, std::string_view message) {
  if (is_hmac(type)) {
    const auto* secret = std::get_if<HmacSecret>(&key);
    if (secret == nullptr) return mismatch(type);
    return sign(type, *secret, message);
  }
  const auto* private_key = std::get_if<PrivateKey>(&key);
  if (private_key == nullptr) return mismatch(type);
  return rsa2_sign(*private_key, message);
}

Result<void> verify(SignType type, const VerifyKey& key, std::string_view message,
                    std::string_view signature) {
  if (is_hmac(type)) {
    const auto* secret = std::get_if<HmacSecret>(&key);
    if (secret == nullptr) return mismatch(type);
    auto expected = hmac(digest_of(type), secret->bytes, message);
    if (!expected) return std::move(expected).error();
    // Decoding the caller's own hex leaks nothing; the MAC comparison must not leak.
    auto given = hex_decode(signature);
    if (!given || !constant_time_equal(*given, *expected)) {
      return detail::unauthorized("invalid-signature", "signature does not match");
    }
    return {};
  }
  const auto* public_key = std::get_if<PublicKey>(&key);
  if (public_key == nullptr) return mismatch(type);
  return rsa2_verify(*public_key, message, signature);
}

Result<VerifyKey> make_verify_key(SignType type, std::string_view secret_or_pem) {
  if (is_hmac(type)) {
    if (secret_or_pem.empty()) return detail::bad_input("invalid-key", "HMAC secret is empty");
    return VerifyKey(HmacSecret{std::string(secret_or_pem)});
  }
  auto public_key = PublicKey::from_pem(secret_or_pem);
  if (!public_key) return std::move(public_key).error();
  return VerifyKey(std::move(*public_key));
}

}  // namespace opp::crypto
