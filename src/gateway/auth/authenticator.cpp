#include "gateway/auth/authenticator.hpp"

#include <string>

#include "gateway/request/canonical_params.hpp"
#include "opp/crypto/signature.hpp"

namespace opp::gateway::auth {
namespace {

Error unauthorized(const char* sub_code, std::string message) {
  return Error{ErrorCode::kUnauthorized, sub_code, std::move(message), {}};
}

/// |now − timestamp| ≤ window, without overflow for any int64 inputs.
bool within_window(int64_t timestamp_s, int64_t now_s, int64_t window_s) {
  const __int128 difference = static_cast<__int128>(now_s) - timestamp_s;
  return difference <= window_s && -difference <= window_s;
}

}  // namespace

// The nonce must be remembered for as long as its timestamp stays acceptable.
int64_t Authenticator::nonce_expiry(const request::EnvelopeParams& envelope) const {
  return envelope.timestamp_s + window_s_;
}

Authenticator::Authenticator(const MerchantDirectory& merchants, NonceStore& nonces,
                             uint32_t timestamp_window_s)
    : merchants_(merchants), nonces_(nonces), window_s_(timestamp_window_s) {}

Result<AuthenticatedMerchant> Authenticator::authenticate(const request::EnvelopeParams& envelope,
                                                          const request::RequestParams& params,
                                                          int64_t now_s) const {
  OPP_TRY_ASSIGN(AuthenticatedMerchant merchant, verify(envelope, params, now_s));
  OPP_TRY(nonces_.remember(merchant->id, envelope.nonce_str, nonce_expiry(envelope), now_s));
  return merchant;
}

void Authenticator::claim_nonce(size_t io_index, const AuthenticatedMerchant& merchant,
                                const request::EnvelopeParams& envelope, int64_t now_s,
                                NonceStore::Done done) const {
  nonces_.remember_async(io_index, merchant->id, envelope.nonce_str, nonce_expiry(envelope), now_s,
                         std::move(done));
}

Result<AuthenticatedMerchant> Authenticator::verify(const request::EnvelopeParams& envelope,
                                                    const request::RequestParams& params,
                                                    int64_t now_s) const {
  std::shared_ptr<const Merchant> merchant = merchants_.find(envelope.merchant_id);
  if (!merchant) return unauthorized("unknown-merchant", "unknown merchant_id");
  if (!merchant->enabled) return unauthorized("merchant-disabled", "the merchant is disabled");

  auto sign_type = crypto::parse_sign_type(envelope.sign_type);
  if (!sign_type) return std::move(sign_type).error();  // 10002 unsupported-sign-type
  if (*sign_type != merchant->sign_type) {
    return unauthorized("sign-type-mismatch", "sign_type " + std::string(envelope.sign_type) +
                                                  " does not match the merchant's key");
  }

  const std::string canonical = request::canonical_string(params);
  auto verified =
      crypto::verify_merchant_signature(*sign_type, merchant->verify_key, canonical, envelope.sign);
  if (!verified) return std::move(verified).error();  // invalid-signature (or a server fault)

  // After the signature: a timestamp the merchant did not sign is not worth judging.
  if (!within_window(envelope.timestamp_s, now_s, window_s_)) {
    return unauthorized("timestamp-expired", "timestamp is more than " + std::to_string(window_s_) +
                                                 " s away from the gateway's clock");
  }
  return AuthenticatedMerchant{std::move(merchant), *sign_type};
}

}  // namespace opp::gateway::auth
