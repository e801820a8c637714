#pragma once
// Merchant authentication (SPEC §3.1 order of checks, §3.2): who is calling, and is this
// exactly the request they signed, made now, and made once.

#include <cstddef>
#include <cstdint>
#include <memory>

#include "gateway/auth/merchant.hpp"
#include "gateway/auth/nonce_store.hpp"
#include "gateway/request/envelope.hpp"
#include "gateway/request/request_params.hpp"
#include "opp/common/result.hpp"
#include "opp/crypto/sign_type.hpp"

namespace opp::gateway::auth {

/// A merchant that passed authentication. Holds the record it was checked against, so a
/// key rotation during the request changes nothing for it (its response is signed with
/// the same secret).
struct AuthenticatedMerchant {
  std::shared_ptr<const Merchant> merchant;
  crypto::SignType sign_type = crypto::SignType::kHmacSha256;  ///< the request's, = the key's

  const Merchant& operator*() const noexcept { return *merchant; }
  const Merchant* operator->() const noexcept { return merchant.get(); }
};

class Authenticator {
 public:
  /// Uses `merchants` and `nonces`, which must outlive it; `timestamp_window_s` is
  /// auth.timestamp_window_s. Thread-safe when they are.
  Authenticator(const MerchantDirectory& merchants, NonceStore& nonces,
                uint32_t timestamp_window_s);

  /// Authenticates a request whose envelope passed request::check_envelope, at
  /// `now_s` (Unix seconds; the caller's clock, so tests can set it). Checks in order:
  /// 10002 `unknown-merchant`, `merchant-disabled`, `unsupported-sign-type`,
  /// `sign-type-mismatch` (not the merchant's key type), `invalid-signature` (over the
  /// canonical string of `params`; constant-time; hex case-insensitive),
  /// `timestamp-expired` (|now − timestamp| > window), then the nonce store:
  /// `nonce-replayed`, `nonce-quota-exceeded`, 10005 `nonce-store-unavailable`.
  /// A request refused before the nonce check does not use up its nonce.
  /// = verify() then claim_nonce(), synchronously.
  Result<AuthenticatedMerchant> authenticate(const request::EnvelopeParams& envelope,
                                             const request::RequestParams& params,
                                             int64_t now_s) const;

  /// Every check of authenticate() but the nonce: who, signature, timestamp.
  Result<AuthenticatedMerchant> verify(const request::EnvelopeParams& envelope,
                                       const request::RequestParams& params, int64_t now_s) const;
  /// The last check: uses up the nonce of a request verify() accepted, through the store's
  /// asynchronous path (io thread `io_index`, the calling thread); `done` gets the store's
  /// answer. The envelope's bytes must live until `done` runs.
  void claim_nonce(size_t io_index, const AuthenticatedMerchant& merchant,
                   const request::EnvelopeParams& envelope, int64_t now_s,
                   NonceStore::Done done) const;

 private:
  int64_t nonce_expiry(const request::EnvelopeParams& envelope) const;

  const MerchantDirectory& merchants_;
  NonceStore& nonces_;
  int64_t window_s_;
};

}  // namespace opp::gateway::auth
