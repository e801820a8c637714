#pragma once
// A synchronous Redis client for request paths: every call is bounded by a connect and a
// command timeout, and a Redis that just failed is not asked again for a short while, so
// a dead Redis costs a request a fast refusal, not a timeout each.

#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "opp/common/result.hpp"

namespace opp::redis {

struct ClientOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 6379;
  std::chrono::milliseconds connect_timeout{100};
  std::chrono::milliseconds command_timeout{200};
  /// After a failure this thread's calls fail at once for this long, then reconnect.
  std::chrono::milliseconds retry_after_failure{200};
};

/// One reply. Error replies (`-ERR ...`, `-NOSCRIPT ...`) are replies, not failures: the
/// connection is still good and the caller decides (e.g. reloads a script).
struct Reply {
  enum class Kind { kNil, kStatus, kInteger, kString, kArray, kError };
  Kind kind = Kind::kNil;
  long long integer = 0;
  std::string str;  ///< status, bulk string or error text
  std::vector<Reply> elements;
};

/// Thread-safe: each calling thread has its own connection (a thread_local slot keyed by
/// the client's unique id), so calls never wait for each other. A thread's connection is
/// freed when the thread ends; connections of a client destroyed earlier stay in their
/// thread's slot until then (a handful of idle sockets at most: clients live as long as
/// the gateway or the plugin configuration).
class Client {
 public:
  /// Connects lazily, on the first call of each thread.
  explicit Client(ClientOptions options);

  /// Runs one command given as binary-safe arguments on this thread's connection.
  /// Errors (ErrorCode::kRequestServerFail, sub_code "redis-unavailable", message without
  /// request data): cannot connect, I/O error, timeout, or within retry_after_failure of
  /// this thread's last failure. After a failure the connection is dropped and the next
  /// call after the backoff reconnects.
  Result<Reply> command(std::span<const std::string_view> args) const;
  /// command() on a braced list: client.command({"SET", key, "1"}).
  Result<Reply> command(std::initializer_list<std::string_view> args) const {
    return command(std::span<const std::string_view>(args.begin(), args.size()));
  }

  const ClientOptions& options() const { return options_; }

 private:
  ClientOptions options_;
  uint64_t id_;
};

}  // namespace opp::redis
