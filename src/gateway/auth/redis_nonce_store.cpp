#include "gateway/auth/redis_nonce_store.hpp"

#include <algorithm>
#include <string>

namespace opp::gateway::auth {

RedisNonceStore::RedisNonceStore(redis::ClientOptions options) : client_(std::move(options)) {}

Result<void> RedisNonceStore::remember(std::string_view merchant_id, std::string_view nonce,
                                       int64_t expires_at_s, int64_t now_s) {
  std::string key;
  key.reserve(10 + merchant_id.size() + 1 + nonce.size());
  key.append("opp:nonce:").append(merchant_id).append(":").append(nonce);
  // +1: the memory store keeps a nonce through its expiry second inclusive; keeping it
  // a second longer never lets a replay through.
  const std::string ttl = std::to_string(std::max<int64_t>(1, expires_at_s - now_s + 1));

  auto reply = client_.command({"SET", key, "1", "NX", "EX", ttl});
  if (!reply) return nonce_store_unavailable(reply.error().message);
  switch (reply->kind) {
    case redis::Reply::Kind::kStatus:
      if (reply->str == "OK") return {};
      break;
    case redis::Reply::Kind::kNil:
      return nonce_replayed();
    case redis::Reply::Kind::kError:
      // e.g. OOM under maxmemory or READONLY on a replica; the text names no request data.
      return nonce_store_unavailable("redis refused: " + reply->str);
    default:
      break;
  }
  return nonce_store_unavailable("unexpected redis reply");
}

}  // namespace opp::gateway::auth
