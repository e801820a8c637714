// redis::AsyncConnection against a real redis-server started by the test, and against a
// listener that never answers (a stalled Redis).
#include "redis/async_connection.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>

#include <catch2/catch.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "redis_server.hpp"

using opp::redis::AsyncConnection;
using opp::redis::AsyncOptions;
using opp::redis::Reply;
using opp::test::RedisServer;

namespace {

AsyncOptions options_on(uint16_t port) {
  AsyncOptions options;
  options.client.port = port;
  options.client.command_timeout = std::chrono::milliseconds(150);
  options.client.retry_after_failure = std::chrono::milliseconds(300);
  return options;
}

/// Runs `io` on this thread until `done()` or `bound` passes; true when done.
template <typename Done>
bool run_until(boost::asio::io_context& io, Done done,
               std::chrono::milliseconds bound = std::chrono::seconds(5)) {
  const auto deadline = std::chrono::steady_clock::now() + bound;
  while (!done() && std::chrono::steady_clock::now() < deadline) {
    io.restart();
    io.run_for(std::chrono::milliseconds(10));
  }
  return done();
}

/// A TCP listener whose connections are accepted by the kernel and never read: a Redis
/// that stalls.
struct SilentListener {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor acceptor{io, {boost::asio::ip::make_address("127.0.0.1"), 0}};
  uint16_t port() const { return acceptor.local_endpoint().port(); }
};

/// One command's outcome, filled in by its callback.
struct Outcome {
  std::optional<opp::Result<Reply>> result;
  AsyncConnection::Callback callback() {
    return [this](opp::Result<Reply> r) { result.emplace(std::move(r)); };
  }
  bool unavailable_with(const std::string& fragment) const {
    return result && !result->ok() && result->error().sub_code == "redis-unavailable" &&
           result->error().message.find(fragment) != std::string::npos;
  }
};

}  // namespace

TEST_CASE("redis async connection: a burst is answered in order, in fewer writes than commands",
          "[redis][async]") {
  RedisServer server;
  boost::asio::io_context io;
  AsyncConnection connection(io, options_on(server.port()));
  constexpr int kCommands = 500;
  std::vector<long long> answers;
  // All issued from one handler, as concurrent requests of one io thread would be.
  boost::asio::post(io, [&] {
    for (int i = 0; i < kCommands; ++i) {
      connection.command({"INCR", "burst-counter"}, [&](opp::Result<Reply> reply) {
        REQUIRE(reply.ok());
        REQUIRE(reply->kind == Reply::Kind::kInteger);
        answers.push_back(reply->integer);
      });
    }
  });
  REQUIRE(run_until(io, [&] { return answers.size() == kCommands; }));
  for (int i = 0; i < kCommands; ++i) REQUIRE(answers[i] == i + 1);
  CHECK(connection.writes() < kCommands / 10);
  CHECK(connection.pending() == 0);
}

TEST_CASE("redis async connection: replies keep their kinds", "[redis][async]") {
  RedisServer server;
  boost::asio::io_context io;
  AsyncConnection connection(io, options_on(server.port()));
  Outcome set, get, missing, error;
  connection.command({"SET", "k", std::string_view("a\0b", 3)}, set.callback());
  connection.command({"GET", "k"}, get.callback());
  connection.command({"GET", "no-such-key"}, missing.callback());
  connection.command({"NO-SUCH-COMMAND"}, error.callback());
  REQUIRE(run_until(io, [&] { return error.result.has_value(); }));
  REQUIRE(set.result->ok());
  CHECK(set.result->value().kind == Reply::Kind::kStatus);
  REQUIRE(get.result->ok());
  CHECK(get.result->value().str == std::string("a\0b", 3));  // binary-safe both ways
  CHECK(missing.result->value().kind == Reply::Kind::kNil);
  CHECK(error.result->value().kind == Reply::Kind::kError);  // a reply, not a failure
}

TEST_CASE("redis async connection: a Redis that does not answer times out, then fails fast",
          "[redis][async]") {
  SilentListener silent;
  boost::asio::io_context io;
  AsyncConnection connection(io, options_on(silent.port()));
  Outcome first;
  connection.command({"PING"}, first.callback());
  REQUIRE(run_until(io, [&] { return first.result.has_value(); }));
  CHECK(first.unavailable_with("timed out"));
  CHECK(connection.pending() == 0);

  Outcome during_backoff;
  connection.command({"PING"}, during_backoff.callback());
  REQUIRE(during_backoff.result.has_value());  // at once, without a connect attempt
  CHECK(during_backoff.unavailable_with("retrying shortly"));
}

TEST_CASE("redis async connection: commands waiting for a reply are bounded", "[redis][async]") {
  SilentListener silent;
  boost::asio::io_context io;
  AsyncOptions options = options_on(silent.port());
  options.max_pending = 3;
  AsyncConnection connection(io, options);
  Outcome outcomes[4];
  for (Outcome& outcome : outcomes) connection.command({"PING"}, outcome.callback());
  CHECK_FALSE(outcomes[0].result.has_value());
  CHECK(outcomes[3].unavailable_with("too many"));
  CHECK(connection.pending() == 3);
}

TEST_CASE("redis async connection: nothing listening fails closed", "[redis][async]") {
  boost::asio::io_context io;
  AsyncConnection connection(io, options_on(opp::test::free_loopback_port()));
  Outcome outcome;
  connection.command({"PING"}, outcome.callback());
  REQUIRE(run_until(io, [&] { return outcome.result.has_value(); }));
  CHECK(outcome.unavailable_with("connect"));
}

TEST_CASE("redis async connection: a restarted Redis is used again after the backoff",
          "[redis][async]") {
  RedisServer server;
  boost::asio::io_context io;
  AsyncConnection connection(io, options_on(server.port()));
  Outcome before;
  connection.command({"PING"}, before.callback());
  REQUIRE(run_until(io, [&] { return before.result.has_value(); }));
  REQUIRE(before.result->ok());

  server.stop();
  Outcome down;
  connection.command({"PING"}, down.callback());
  REQUIRE(run_until(io, [&] { return down.result.has_value(); }));
  CHECK(down.unavailable_with("redis"));

  server.start();
  bool recovered = false;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!recovered && std::chrono::steady_clock::now() < deadline) {
    Outcome again;
    connection.command({"PING"}, again.callback());
    run_until(io, [&] { return again.result.has_value(); });
    recovered = again.result && again.result->ok();
    if (!recovered) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  CHECK(recovered);
}

TEST_CASE("redis async connection: destroyed with commands pending, it calls none of them",
          "[redis][async]") {
  SilentListener silent;
  boost::asio::io_context io;
  int called = 0;
  {
    AsyncConnection connection(io, options_on(silent.port()));
    connection.command({"PING"}, [&](opp::Result<Reply>) { ++called; });
    io.run_for(std::chrono::milliseconds(30));  // connected, command written, no reply
    REQUIRE(connection.pending() == 1);
  }
  io.restart();
  io.run_for(std::chrono::milliseconds(300));  // past the command timeout
  CHECK(called == 0);
}
