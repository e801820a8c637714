#include "gateway/auth/redis_nonce_store.hpp"

#include <algorithm>
#include <string>

namespace opp::gateway::auth {
namespace {

std::string nonce_key(std::string_view merchant_id, std::string_view nonce) {
  std::string key;
  key.reserve(10 + merchant_id.size() + 1 + nonce.size());
  key.append("opp:nonce:").append(merchant_id).append(":").append(nonce);
  return key;
}

// +1: the memory store keeps a nonce through its expiry second inclusive; keeping it a
// second longer never lets a replay through.
std::string ttl_seconds(int64_t expires_at_s, int64_t now_s) {
  return std::to_string(std::max<int64_t>(1, expires_at_s - now_s + 1));
}

/// SET NX's answer: OK = first use, nil = already used, anything else = fail closed.
Result<void> judge(const Result<redis::Reply>& reply) {
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

}  // namespace

RedisNonceStore::RedisNonceStore(redis::ClientOptions options,
                                 std::vector<boost::asio::io_context*> io_threads)
    : client_(options) {
  redis::AsyncOptions async_options;
  async_options.client = options;
  for (boost::asio::io_context* io : io_threads)
    connections_.push_back(std::make_unique<redis::AsyncConnection>(*io, async_options));
}

RedisNonceStore::~RedisNonceStore() = default;

Result<void> RedisNonceStore::remember(std::string_view merchant_id, std::string_view nonce,
                                       int64_t expires_at_s, int64_t now_s) {
  const std::string key = nonce_key(merchant_id, nonce);
  const std::string ttl = ttl_seconds(expires_at_s, now_s);
  return judge(client_.command({"SET", key, "1", "NX", "EX", ttl}));
}

void RedisNonceStore::remember_async(size_t io_index, std::string_view merchant_id,
                                     std::string_view nonce, int64_t expires_at_s, int64_t now_s,
                                     Done done) {
  if (io_index >= connections_.size())
    return done(remember(merchant_id, nonce, expires_at_s, now_s));
  const std::string key = nonce_key(merchant_id, nonce);
  const std::string ttl = ttl_seconds(expires_at_s, now_s);
  connections_[io_index]->command(
      {"SET", key, "1", "NX", "EX", ttl},
      [done = std::move(done)](Result<redis::Reply> reply) { done(judge(reply)); });
}

}  // namespace opp::gateway::auth
