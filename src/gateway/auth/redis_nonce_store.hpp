#pragma once
// The shared NonceStore (auth.nonce_store: redis): every gateway behind one address asks
// the same Redis, so a nonce used at one gateway is refused at all of them, and survives a
// gateway restart.

#include <boost/asio/io_context.hpp>

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "gateway/auth/nonce_store.hpp"
#include "redis/async_connection.hpp"
#include "redis/redis_client.hpp"

namespace opp::gateway::auth {

/// One key per nonce, `opp:nonce:<merchant>:<nonce>`, set with `SET ... NX EX <ttl>`: Redis
/// decides "first one wins" atomically across every gateway and thread, and expires the
/// key itself. Keys are bounded upstream: the merchant id is a known merchant (the
/// signature check ran first) and nonce_str is 8 to 64 characters of [A-Za-z0-9_-]
/// (request/envelope.cpp); arguments are sent binary-safe, never interpolated.
///
/// Requests (remember_async) go through one pipelining redis::AsyncConnection per io
/// thread: the thread goes on serving while Redis answers, and the SETs of concurrent
/// requests share writes and round trips. remember() (synchronous) has a connection per
/// calling thread of its own.
///
/// Fails closed: when Redis cannot be reached, answers an error or times out, the request
/// is refused with 10005 `nonce-store-unavailable`, never accepted unchecked.
class RedisNonceStore final : public NonceStore {
 public:
  /// No connection is made here. `io_threads` are the gateway's io_contexts (index =
  /// io thread, for remember_async); they must outlive the store, which must be destroyed
  /// once their threads have stopped (its connections live on them). Without them,
  /// remember_async falls back to remember().
  explicit RedisNonceStore(redis::ClientOptions options,
                           std::vector<boost::asio::io_context*> io_threads = {});
  ~RedisNonceStore() override;

  /// See NonceStore::remember. The key lives until `expires_at_s` inclusive (TTL
  /// `expires_at_s - now_s + 1`, at least 1 s), measured by Redis's clock from now on, so
  /// gateways need not agree on the time beyond the timestamp window. Never returns
  /// `nonce-quota-exceeded`: Redis's own memory limit bounds the keys.
  Result<void> remember(std::string_view merchant_id, std::string_view nonce, int64_t expires_at_s,
                        int64_t now_s) override;
  void remember_async(size_t io_index, std::string_view merchant_id, std::string_view nonce,
                      int64_t expires_at_s, int64_t now_s, Done done) override;

 private:
  redis::Client client_;
  std::vector<std::unique_ptr<redis::AsyncConnection>> connections_;  ///< per io thread
};

}  // namespace opp::gateway::auth
