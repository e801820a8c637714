#include "redis/redis_client.hpp"

#include "redis/reply.hpp"

#include <hiredis/hiredis.h>

#include <atomic>
#include <memory>
#include <unordered_map>

namespace opp::redis {
namespace {

struct ContextFree {
  void operator()(redisContext* context) const { redisFree(context); }
};
struct ReplyFree {
  void operator()(void* reply) const { freeReplyObject(reply); }
};

/// One thread's connection to one client's Redis.
struct Connection {
  std::unique_ptr<redisContext, ContextFree> context;
  std::chrono::steady_clock::time_point retry_at{};  ///< no attempt before this
};

/// This thread's connections, by client id. Ids are never reused, so a slot of a destroyed
/// client is never mistaken for a new client's.
thread_local std::unordered_map<uint64_t, Connection> t_connections;

std::atomic<uint64_t> g_next_id{1};

timeval to_timeval(std::chrono::milliseconds ms) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(ms.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((ms.count() % 1000) * 1000);
  return tv;
}

Error unavailable(std::string why) {
  return Error{ErrorCode::kRequestServerFail, "redis-unavailable", std::move(why), {}};
}

}  // namespace

Client::Client(ClientOptions options) : options_(std::move(options)), id_(g_next_id.fetch_add(1)) {}

Result<Reply> Client::command(std::span<const std::string_view> args) const {
  Connection& connection = t_connections[id_];
  const auto now = std::chrono::steady_clock::now();
  if (!connection.context) {
    // Fail fast while a failed Redis is given time: a connect attempt per request against
    // a blackholed address would cost every request the connect timeout.
    if (now < connection.retry_at) return unavailable("redis failed recently; retrying shortly");
    connection.context.reset(redisConnectWithTimeout(options_.host.c_str(), options_.port,
                                                     to_timeval(options_.connect_timeout)));
    if (!connection.context || connection.context->err) {
      std::string why = connection.context ? connection.context->errstr : "out of memory";
      connection.context.reset();
      connection.retry_at = now + options_.retry_after_failure;
      return unavailable("cannot connect to redis: " + why);
    }
    if (redisSetTimeout(connection.context.get(), to_timeval(options_.command_timeout)) !=
        REDIS_OK) {
      connection.context.reset();
      connection.retry_at = now + options_.retry_after_failure;
      return unavailable("cannot set the redis timeout");
    }
  }

  std::vector<const char*> argv;
  std::vector<size_t> argv_len;
  argv.reserve(args.size());
  argv_len.reserve(args.size());
  for (std::string_view arg : args) {
    argv.push_back(arg.data());
    argv_len.push_back(arg.size());
  }
  std::unique_ptr<void, ReplyFree> raw(redisCommandArgv(
      connection.context.get(), static_cast<int>(argv.size()), argv.data(), argv_len.data()));
  if (!raw) {
    // The context is unusable after an I/O error or timeout (a late reply would be read
    // as the answer to the next command): drop it.
    std::string why = connection.context->errstr;
    connection.context.reset();
    connection.retry_at = std::chrono::steady_clock::now() + options_.retry_after_failure;
    return unavailable("redis command failed: " + why);
  }
  return to_reply(*static_cast<redisReply*>(raw.get()));
}

}  // namespace opp::redis
