#pragma once
// Replay protection (SPEC §3.2): a nonce_str is accepted once per merchant while a request
// carrying it could still pass the timestamp check. The store is an interface so a shared
// one (Redis, auth.nonce_store: redis) can stand beside the in-memory one.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "opp/common/result.hpp"

namespace opp::gateway::auth {

class NonceStore {
 public:
  virtual ~NonceStore() = default;

  /// Records `nonce` for `merchant_id` until `expires_at_s` (inclusive), unless the
  /// merchant already used it and that record has not expired at `now_s`. Thread-safe:
  /// of concurrent calls with the same merchant and nonce, exactly one succeeds.
  /// Errors: 10002 `nonce-replayed`; 10002 `nonce-quota-exceeded` (the store refuses more
  /// nonces for this merchant); 10005 `nonce-store-unavailable` (a shared store that
  /// cannot be reached: the request is refused, never let through unchecked).
  virtual Result<void> remember(std::string_view merchant_id, std::string_view nonce,
                                int64_t expires_at_s, int64_t now_s) = 0;

  using Done = std::function<void(Result<void>)>;
  /// remember() for a request on io thread `io_index`, which must be the calling thread:
  /// `done` is called on that thread with what remember() would return, perhaps before
  /// this returns. A store that lives elsewhere answers later and the thread serves
  /// other requests meanwhile; the default answers at once with remember().
  virtual void remember_async(size_t io_index, std::string_view merchant_id, std::string_view nonce,
                              int64_t expires_at_s, int64_t now_s, Done done) {
    (void)io_index;
    done(remember(merchant_id, nonce, expires_at_s, now_s));
  }
};

/// 10002 `nonce-replayed`.
inline Error nonce_replayed() {
  return Error{ErrorCode::kUnauthorized, "nonce-replayed", "nonce_str was already used", {}};
}

/// 10005 `nonce-store-unavailable` (HTTP 503), for stores that live elsewhere. `why` must
/// not contain request data.
inline Error nonce_store_unavailable(std::string why) {
  return Error{ErrorCode::kRequestServerFail,
               "nonce-store-unavailable",
               "the nonce store is unavailable: " + why,
               {}};
}

}  // namespace opp::gateway::auth
