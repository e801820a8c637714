#include "gateway/auth/response_signer.hpp"

#include <variant>

#include "gateway/auth/response_nonce.hpp"

namespace opp::gateway::auth {

ResponseSigner::ResponseSigner(crypto::PrivateKey platform_key)
    : platform_key_(std::move(platform_key)) {}

Result<crypto::ResponseSignature> ResponseSigner::sign(const AuthenticatedMerchant& merchant,
                                                       std::string_view body, int64_t now_s) const {
  auto nonce = next_response_nonce();
  if (!nonce) return std::move(nonce).error();
  if (!crypto::is_hmac(merchant.sign_type)) {
    return crypto::sign_response(merchant.sign_type, platform_key_, body, now_s, std::move(*nonce));
  }
  const auto* secret = std::get_if<crypto::HmacSecret>(&merchant->verify_key);
  if (secret == nullptr) {
    return Error{ErrorCode::kUnauthorized,
                 "sign-type-mismatch",
                 "the merchant's key does not fit its sign type",
                 {}};
  }
  return crypto::sign_response(merchant.sign_type, *secret, body, now_s, std::move(*nonce));
}

}  // namespace opp::gateway::auth
