#pragma once
// An asynchronous, pipelining Redis connection for one io thread: the commands of every
// request the thread is serving share one socket, and those issued while a write is in
// flight go out together in the next write, so N concurrent requests cost one round trip
// and a handful of syscalls, not N blocking round trips. hiredis formats the commands and
// parses the replies; Asio does the I/O on the thread's own io_context.
//
// Bounded like the synchronous Client: a connect timeout, a per-command timeout (the
// connection is dropped and every command on it fails), a short backoff after a failure
// during which commands fail at once, and a cap on commands waiting for their reply.

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "opp/common/result.hpp"
#include "redis/redis_client.hpp"

struct redisReader;

namespace opp::redis {

struct AsyncOptions {
  ClientOptions client;
  /// Commands sent but not yet answered, at most; beyond it a command fails at once (a
  /// Redis that stalls must not make the gateway buffer without bound).
  size_t max_pending = 4096;
};

/// Not thread-safe: every call, and every callback, happens on the io thread running
/// `io`. Destroy it on that thread or once the thread has stopped, while `io` exists;
/// callbacks of commands still pending are then dropped without being called.
class AsyncConnection {
 public:
  using Callback = std::function<void(Result<Reply>)>;

  /// Resolves the host here, once (blocking: build it at start-up, not on a request);
  /// connects on the first command.
  AsyncConnection(boost::asio::io_context& io, AsyncOptions options);
  ~AsyncConnection();
  AsyncConnection(const AsyncConnection&) = delete;
  AsyncConnection& operator=(const AsyncConnection&) = delete;

  /// Sends one command (binary-safe arguments, copied) and calls `done` with its reply, or
  /// with ErrorCode::kRequestServerFail `redis-unavailable` (cannot connect, I/O error,
  /// timeout, too many pending, or within the backoff after a failure). `done` may be
  /// called before command() returns (when the command fails at once).
  void command(std::span<const std::string_view> args, Callback done);
  void command(std::initializer_list<std::string_view> args, Callback done) {
    command(std::span<const std::string_view>(args.begin(), args.size()), std::move(done));
  }

  /// Commands sent (or queued to send) and not yet answered.
  size_t pending() const { return pending_.size(); }
  /// Writes to the socket so far: fewer than commands when commands shared writes.
  uint64_t writes() const { return writes_; }

 private:
  enum class State { kIdle, kConnecting, kConnected };
  struct Pending {
    Callback done;
    std::chrono::steady_clock::time_point deadline;
  };
  struct ReaderFree {
    void operator()(redisReader* reader) const;
  };

  void connect();
  void on_connected(boost::system::error_code ec);
  void flush();
  void on_written(boost::system::error_code ec);
  void read();
  void on_read(boost::system::error_code ec, size_t bytes);
  void arm_timer();
  void on_timer();
  /// Drops the connection and fails every pending command with `why`.
  void fail(const std::string& why);

  boost::asio::io_context& io_;
  AsyncOptions options_;
  std::optional<boost::asio::ip::tcp::endpoint> endpoint_;  ///< none: the host did not resolve
  boost::asio::ip::tcp::socket socket_;
  boost::asio::steady_timer timer_;  ///< the connect or the oldest command's deadline
  std::unique_ptr<redisReader, ReaderFree> reader_;
  State state_ = State::kIdle;
  /// Bumped by every connect and failure; handlers of an older socket do nothing.
  uint64_t generation_ = 0;
  std::chrono::steady_clock::time_point retry_at_{};
  std::deque<Pending> pending_;
  std::string outgoing_;  ///< formatted commands not yet handed to a write
  std::string writing_;   ///< the bytes of the write in flight
  bool write_in_flight_ = false;
  uint64_t writes_ = 0;
  std::array<char, 16384> read_buffer_;
  /// Handlers hold a weak copy: a handler that runs after destruction (its operation was
  /// cancelled by the destructor) sees it expired and does nothing.
  std::shared_ptr<AsyncConnection*> alive_;
};

}  // namespace opp::redis
