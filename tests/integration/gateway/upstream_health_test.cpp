// Load balancing and passive health (SPEC §3.3): round robin, ejection for eject_ms and
// recovery, never failing fast when every endpoint is ejected, connect timeouts, and the
// retry on another endpoint that only a never-written call gets.
#include <catch2/catch.hpp>

#include <boost/asio/ip/tcp.hpp>
#include <set>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "upstream_test_support.hpp"

using namespace opp::gateway;
using namespace opp::gateway::testing;
using opp::ErrorCode;
using upstream::FailureKind;
using upstream::UpstreamClient;

namespace {

size_t kind(FailureKind k) {
  return static_cast<size_t>(k);
}

}  // namespace

TEST_CASE("calls go round robin over the endpoints", "[upstream][health]") {
  FakeThriftServer a, b, c;
  IoThreads io(1);
  UpstreamClient client(upstream_config({a.address(), b.address(), c.address()}), io.pointers());
  std::vector<std::string> served;
  for (int i = 0; i < 9; ++i) {
    auto r = call_sync(client, io, 0, make_request("Echo", i));
    REQUIRE(r.reply.ok());
    served.push_back(r.endpoint);
  }
  for (int i = 0; i < 9; ++i) CHECK(served[i] == served[i % 3]);
  CHECK(served[0] != served[1]);
  CHECK(served[1] != served[2]);
  CHECK(served[0] != served[2]);
  CHECK(a.requests() == 3);
  CHECK(b.requests() == 3);
  CHECK(c.requests() == 3);
  // Kept alive: one connection per endpoint.
  CHECK(a.connections_accepted() + b.connections_accepted() + c.connections_accepted() == 3);
}

TEST_CASE("a refused endpoint: the call is retried on another, which sees it once",
          "[upstream][health][retry]") {
  FakeThriftServer good;
  const uint16_t dead = refused_port();
  IoThreads io(1);
  UpstreamClient client(upstream_config({{"127.0.0.1", dead}, good.address()}), io.pointers());
  auto r = call_sync(client, io, 0, make_request("Echo", 1));  // round robin starts at `dead`
  REQUIRE(r.reply.ok());
  CHECK(r.endpoint == good.address().to_string());
  CHECK(good.requests() == 1);
  auto stats = client.stats();
  CHECK(stats.endpoints[0].ejected);
  CHECK(stats.endpoints[0].connect_failures == 1);
  CHECK(stats.endpoints[0].failures[kind(FailureKind::kUnavailable)] == 0);  // the call succeeded
  CHECK_FALSE(stats.endpoints[1].ejected);
}

TEST_CASE("a call whose bytes left is never retried", "[upstream][health][retry]") {
  FakeThriftServer resets, good;
  resets.set_handler([](const FakeRequest&) { return FakeAction::reset(); });
  IoThreads io(1);
  UpstreamClient client(upstream_config({resets.address(), good.address()}), io.pointers());
  auto r = call_sync(client, io, 0, make_request("Pay", 1));
  REQUIRE_FALSE(r.reply.ok());
  CHECK(r.reply.error().sub_code == "upstream-reset");
  CHECK(r.endpoint == resets.address().to_string());
  CHECK(resets.requests() == 1);
  CHECK(good.requests() == 0);

  // Same with a timeout: the upstream may have acted on the call.
  FakeThriftServer silent;
  silent.set_handler([](const FakeRequest&) { return FakeAction::silence(); });
  auto cfg = upstream_config({silent.address(), good.address()});
  cfg.timeout_ms = 100;
  UpstreamClient timing_out(cfg, io.pointers());
  auto t = call_sync(timing_out, io, 0, make_request("Pay", 2));
  REQUIRE_FALSE(t.reply.ok());
  CHECK(t.reply.error().sub_code == "upstream-timeout");
  CHECK(silent.requests() == 1);
  CHECK(good.requests() == 0);
}

TEST_CASE("an ejected endpoint gets no calls for eject_ms, then is tried again",
          "[upstream][health]") {
  FakeThriftServer a, b;
  a.set_handler([](const FakeRequest&) { return FakeAction::reset(); });
  IoThreads io(1);
  auto cfg = upstream_config({a.address(), b.address()});
  cfg.eject_ms = 1000;
  UpstreamClient client(cfg, io.pointers());
  auto first = call_sync(client, io, 0, make_request("Echo", 1));
  CHECK(first.reply.error().sub_code == "upstream-reset");
  CHECK(client.stats().endpoints[0].ejected);
  a.set_handler({});  // a is healthy again, but resting
  const auto ejected_at = std::chrono::steady_clock::now();
  size_t to_b_while_ejected = 0, calls_while_ejected = 0;
  while (std::chrono::steady_clock::now() - ejected_at < std::chrono::milliseconds(200)) {
    auto r = call_sync(client, io, 0, make_request("Echo", 2));
    REQUIRE(r.reply.ok());
    ++calls_while_ejected;
    if (r.endpoint == b.address().to_string()) ++to_b_while_ejected;
  }
  CHECK(calls_while_ejected > 0);
  CHECK(to_b_while_ejected == calls_while_ejected);
  CHECK(a.requests() == 1);
  // After eject_ms the endpoint takes calls again.
  REQUIRE(eventually([&] { return !client.stats().endpoints[0].ejected; }));
  std::set<std::string> served;
  for (int i = 0; i < 4; ++i)
    served.insert(call_sync(client, io, 0, make_request("Echo", 3)).endpoint);
  CHECK(served.count(a.address().to_string()) == 1);
  CHECK(served.count(b.address().to_string()) == 1);
}

TEST_CASE("when every endpoint is ejected they are still tried", "[upstream][health]") {
  auto down = std::make_unique<FakeThriftServer>();
  const uint16_t port = down->port();
  down->stop();
  down.reset();
  IoThreads io(1);
  auto cfg = upstream_config({{"127.0.0.1", port}});
  cfg.eject_ms = 60000;
  UpstreamClient client(cfg, io.pointers());
  for (int i = 0; i < 3; ++i) {
    auto r = call_sync(client, io, 0, make_request("Echo", i));
    CHECK(r.reply.error().sub_code == "upstream-unavailable");
  }
  CHECK(client.stats().endpoints[0].failures[kind(FailureKind::kUnavailable)] == 3);
  CHECK(client.stats().endpoints[0].ejected);
  // The backend comes back on the same port: served at once, ejection or not.
  FakeThriftServer::Options back;
  back.port = port;
  FakeThriftServer revived(back);
  auto r = call_sync(client, io, 0, make_request("Echo", 9));
  CHECK(r.reply.ok());
  CHECK(revived.requests() == 1);
}

TEST_CASE("a connect that hangs is cut at connect_timeout_ms and retried elsewhere",
          "[upstream][health]") {
  // A listener that never accepts, its backlog filled: further SYNs go unanswered.
  boost::asio::io_context raw;
  boost::asio::ip::tcp::acceptor full(raw);
  boost::asio::ip::tcp::endpoint at(boost::asio::ip::make_address("127.0.0.1"), 0);
  full.open(at.protocol());
  full.bind(at);
  full.listen(0);
  // Non-blocking connects that fill the queue (POSIX: Asio's connect would wait).
  struct Fillers {
    std::vector<int> fds;
    ~Fillers() {
      for (int fd : fds) ::close(fd);
    }
  } fillers;
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(full.local_endpoint().port());
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  for (int i = 0; i < 8; ++i) {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    REQUIRE(fd >= 0);
    fillers.fds.push_back(fd);
    (void)::connect(fd, reinterpret_cast<const sockaddr*>(&to), sizeof to);
  }
  FakeThriftServer good;
  IoThreads io(1);
  auto cfg = upstream_config({{"127.0.0.1", full.local_endpoint().port()}, good.address()});
  cfg.connect_timeout_ms = 100;
  UpstreamClient client(cfg, io.pointers());
  auto r = call_sync(client, io, 0, make_request("Echo", 1));
  REQUIRE(r.reply.ok());
  CHECK(r.endpoint == good.address().to_string());
  CHECK(client.stats().endpoints[0].ejected);

  // Alone, the hanging endpoint is upstream-unavailable with the reason.
  auto alone = upstream_config({{"127.0.0.1", full.local_endpoint().port()}});
  alone.connect_timeout_ms = 100;
  UpstreamClient lonely(alone, io.pointers());
  auto f = call_sync(lonely, io, 0, make_request("Echo", 2));
  REQUIRE_FALSE(f.reply.ok());
  CHECK(f.reply.error().sub_code == "upstream-unavailable");
  CHECK(f.reply.error().message ==
        "cannot connect to 127.0.0.1:" + std::to_string(full.local_endpoint().port()) +
            ": connect timed out after 100 ms");
}
