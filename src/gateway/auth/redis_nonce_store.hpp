#pragma once
// The shared NonceStore (auth.nonce_store: redis): every gateway behind one address asks
// the same Redis, so a nonce used at one gateway is refused at all of them, and survives a
// gateway restart.

#include <cstdint>
#include <string_view>

#include "gateway/auth/nonce_store.hpp"
#include "redis/redis_client.hpp"

namespace opp::gateway::auth {

/// One key per nonce, `opp:nonce:<merchant>:<nonce>`, set with `SET ... NX EX <ttl>`: Redis
/// decides "first one wins" atomically across every gateway and thread, and expires the
/// key itself. Keys are bounded upstream: the merchant id is a known merchant (the
/// signature check ran first) and nonce_str is 8 to 64 characters of [A-Za-z0-9_-]
/// (request/envelope.cpp); arguments are sent binary-safe, never interpolated.
///
/// Fails closed: when Redis cannot be reached, answers an error or times out, the request
/// is refused with 10005 `nonce-store-unavailable`, never accepted unchecked.
class RedisNonceStore final : public NonceStore {
 public:
  /// No connection is made here; see redis::Client for the per-thread connections,
  /// timeouts and the reconnect backoff.
  explicit RedisNonceStore(redis::ClientOptions options);

  /// See NonceStore::remember. The key lives until `expires_at_s` inclusive (TTL
  /// `expires_at_s - now_s + 1`, at least 1 s), measured by Redis's clock from now on, so
  /// gateways need not agree on the time beyond the timestamp window. Never returns
  /// `nonce-quota-exceeded`: Redis's own memory limit bounds the keys.
  Result<void> remember(std::string_view merchant_id, std::string_view nonce, int64_t expires_at_s,
                        int64_t now_s) override;

 private:
  redis::Client client_;
};

}  // namespace opp::gateway::auth
