#include "gateway/auth/merchant_key.hpp"

#include <algorithm>

#include "opp/crypto/keys.hpp"

namespace opp::gateway::auth {
namespace {

Error bad(std::string sub_code, std::string message) {
  return Error{ErrorCode::kBadRequest, std::move(sub_code), std::move(message), {}};
}

bool id_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}

}  // namespace

Result<void> validate_merchant_id(std::string_view id) {
  if (id.empty() || id.size() > kMaxMerchantIdChars ||
      !std::all_of(id.begin(), id.end(), id_char)) {
    return bad("invalid-merchant-id", "merchant id must be 1-64 characters of A-Z a-z 0-9 _ -");
  }
  return {};
}

Result<std::string> normalize_key_material(crypto::SignType sign_type, const KeyMaterial& key) {
  const std::string type(crypto::sign_type_name(sign_type));
  const bool secret = key.kind == KeyMaterial::Kind::kSecret;
  if (secret != crypto::is_hmac(sign_type)) {
    return Error{ErrorCode::kUnauthorized,
                 "sign-type-mismatch",
                 secret ? "sign type " + type + " takes an RSA public key, not a secret"
                        : "sign type " + type + " takes a secret, not a public key",
                 {}};
  }
  if (secret) {
    if (key.bytes.empty()) return bad("empty-secret", "the secret must not be empty");
    if (key.bytes.size() > kMaxSecretBytes) {
      return bad("invalid-key",
                 "the secret must be at most " + std::to_string(kMaxSecretBytes) + " bytes");
    }
    return key.bytes;
  }
  if (key.bytes.size() > kMaxPublicKeyPemBytes) {
    return bad("invalid-key", "the public key file is larger than a PEM key can be");
  }
  auto public_key = crypto::PublicKey::from_pem(key.bytes);
  if (!public_key) return std::move(public_key).error();
  return public_key->to_pem();
}

}  // namespace opp::gateway::auth
