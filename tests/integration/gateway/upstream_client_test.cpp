// The upstream client against fake Thrift servers: replies, keep-alive reuse, oneway calls,
// and every failure a backend can cause, with its code, sub_code and message.
#include <catch2/catch.hpp>

#include "upstream_test_support.hpp"

using namespace opp::gateway;
using namespace opp::gateway::testing;
using opp::ErrorCode;
using upstream::UpstreamClient;

namespace {

std::string reply_body(const upstream::CallResult& r, opp::codec::Protocol protocol, size_t seqid,
                       std::string_view name) {
  REQUIRE(r.reply.ok());
  const std::string envelope = FakeThriftServer::envelope(protocol, name, 2, seqid);
  REQUIRE(r.reply->substr(0, envelope.size()) == envelope);
  return r.reply->substr(envelope.size());
}

void check_error(const upstream::CallResult& r, ErrorCode code, std::string_view sub_code) {
  REQUIRE_FALSE(r.reply.ok());
  CHECK(r.reply.error().code == code);
  CHECK(r.reply.error().sub_code == sub_code);
}

}  // namespace

TEST_CASE("a call returns the reply message and the endpoint that served it",
          "[upstream][client]") {
  FakeThriftServer server;
  IoThreads io(1);
  UpstreamClient client(upstream_config({server.address()}), io.pointers());
  auto r = call_sync(client, io, 0, make_request("Echo", 7, text_body("hello")));
  CHECK(reply_body(r, opp::codec::Protocol::kBinary, 7, "Echo") == text_body("hello"));
  CHECK(r.endpoint == server.address().to_string());
  REQUIRE(server.requests() == 1);
  // The server saw the message framed, byte for byte.
  CHECK(server.received()[0].message ==
        FakeThriftServer::envelope(opp::codec::Protocol::kBinary, "Echo", 1, 7) +
            text_body("hello"));
}

TEST_CASE("sequential calls reuse one kept-alive connection", "[upstream][client]") {
  FakeThriftServer server;
  IoThreads io(1);
  UpstreamClient client(upstream_config({server.address()}), io.pointers());
  for (int i = 0; i < 20; ++i) {
    auto r = call_sync(client, io, 0, make_request("Echo", i, text_body(std::to_string(i))));
    CHECK(reply_body(r, opp::codec::Protocol::kBinary, i, "Echo") == text_body(std::to_string(i)));
  }
  CHECK(server.requests() == 20);
  CHECK(server.connections_accepted() == 1);
  CHECK(client.stats().open_connections == 1);
}

TEST_CASE("buffered transport with the compact protocol", "[upstream][client]") {
  FakeThriftServer server({config::Transport::kBuffered, opp::codec::Protocol::kCompact});
  IoThreads io(1);
  auto cfg = upstream_config({server.address()});
  cfg.transport = config::Transport::kBuffered;
  cfg.protocol = config::Protocol::kCompact;
  UpstreamClient client(cfg, io.pointers());
  CHECK(client.protocol() == opp::codec::Protocol::kCompact);
  // Compact struct {1: string}: field header 0x18, varint length, bytes, STOP.
  const std::string body = std::string("\x18\x05hello\x00", 8);
  for (int i = 0; i < 3; ++i) {
    auto r = call_sync(client, io, 0,
                       make_request("Echo", 300 + i, body, opp::codec::Protocol::kCompact));
    CHECK(reply_body(r, opp::codec::Protocol::kCompact, 300 + i, "Echo") == body);
  }
  CHECK(server.connections_accepted() == 1);
  // No frame header on the wire: the server measured bare messages.
  CHECK(server.received()[0].message ==
        FakeThriftServer::envelope(opp::codec::Protocol::kCompact, "Echo", 1, 300) + body);
}

TEST_CASE("a buffered reply arriving in pieces is assembled", "[upstream][client]") {
  const std::string big(200000, 'x');
  FakeThriftServer server({config::Transport::kBuffered, opp::codec::Protocol::kBinary});
  server.set_handler([&](const FakeRequest& request) {
    return FakeAction::send(server.reply(request, text_body(big), request.seqid));
  });
  IoThreads io(1);
  auto cfg = upstream_config({server.address()});
  cfg.transport = config::Transport::kBuffered;
  UpstreamClient client(cfg, io.pointers());
  auto r = call_sync(client, io, 0, make_request("Big", 1));
  CHECK(reply_body(r, opp::codec::Protocol::kBinary, 1, "Big") == text_body(big));
}

TEST_CASE("a oneway call completes once written, with no reply", "[upstream][client]") {
  FakeThriftServer server;
  server.set_handler([](const FakeRequest&) { return FakeAction::silence(); });
  IoThreads io(1);
  UpstreamClient client(upstream_config({server.address()}), io.pointers());
  auto request = make_request("Fire", 3);
  request.oneway = true;
  auto r = call_sync(client, io, 0, std::move(request));
  REQUIRE(r.reply.ok());
  CHECK(r.reply->empty());
  REQUIRE(eventually([&] { return server.requests() == 1; }));
  // The connection is free again: a normal call on it works.
  server.set_handler({});
  auto next = call_sync(client, io, 0, make_request("Echo", 4));
  CHECK(next.reply.ok());
  CHECK(server.connections_accepted() == 1);
}

TEST_CASE("a refused connection is upstream-unavailable", "[upstream][client][errors]") {
  IoThreads io(1);
  const uint16_t port = refused_port();
  UpstreamClient client(upstream_config({{"127.0.0.1", port}}), io.pointers());
  auto r = call_sync(client, io, 0, make_request("Echo", 1));
  check_error(r, ErrorCode::kRequestServerFail, "upstream-unavailable");
  CHECK(r.reply.error().message ==
        "cannot connect to 127.0.0.1:" + std::to_string(port) + ": Connection refused");
  CHECK(r.endpoint == "127.0.0.1:" + std::to_string(port));
  auto stats = client.stats();
  CHECK(stats.failures[static_cast<size_t>(upstream::FailureKind::kUnavailable)] == 1);
  CHECK(stats.endpoints[0].failures[static_cast<size_t>(upstream::FailureKind::kUnavailable)] == 1);
  CHECK(stats.endpoints[0].ejected);
  CHECK(stats.open_connections == 0);
}

TEST_CASE("a host name endpoint is resolved", "[upstream][client]") {
  FakeThriftServer server;
  IoThreads io(1);
  UpstreamClient client(upstream_config({{"localhost", server.port()}}), io.pointers());
  auto r = call_sync(client, io, 0, make_request("Echo", 1));
  // localhost may resolve to ::1 first; async_connect tries every address.
  CHECK(r.reply.ok());
  CHECK(r.endpoint == "localhost:" + std::to_string(server.port()));
}

TEST_CASE("no reply before the deadline is upstream-timeout and closes the connection",
          "[upstream][client][errors]") {
  FakeThriftServer server;
  server.set_handler([](const FakeRequest&) { return FakeAction::silence(); });
  IoThreads io(1);
  auto cfg = upstream_config({server.address()});
  cfg.timeout_ms = 100;
  UpstreamClient client(cfg, io.pointers());
  auto r = call_sync(client, io, 0, make_request("Echo", 1));
  check_error(r, ErrorCode::kRequestServerFail, "upstream-timeout");
  CHECK(r.reply.error().message ==
        server.address().to_string() + " did not reply before the call's deadline");
  CHECK(eventually([&] { return server.connections_open() == 0; }));
  CHECK(client.stats().endpoints[0].ejected);
  // The endpoint is the only one: it is still tried, on a new connection.
  server.set_handler({});
  auto next = call_sync(client, io, 0, make_request("Echo", 2));
  CHECK(next.reply.ok());
  CHECK(server.connections_accepted() == 2);
}

TEST_CASE("an explicit deadline overrides timeout_ms", "[upstream][client]") {
  FakeThriftServer server;
  server.set_handler([](const FakeRequest&) { return FakeAction::silence(); });
  IoThreads io(1);
  auto cfg = upstream_config({server.address()});
  cfg.timeout_ms = 60000;
  UpstreamClient client(cfg, io.pointers());
  auto request = make_request("Echo", 1);
  request.deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(50);
  auto r = call_sync(client, io, 0, std::move(request));  // would hang 60 s otherwise
  check_error(r, ErrorCode::kRequestServerFail, "upstream-timeout");
}

TEST_CASE("a connection reset mid-call is upstream-reset", "[upstream][client][errors]") {
  FakeThriftServer server;
  server.set_handler([](const FakeRequest&) { return FakeAction::reset(); });
  IoThreads io(1);
  UpstreamClient client(upstream_config({server.address()}), io.pointers());
  auto r = call_sync(client, io, 0, make_request("Echo", 1));
  check_error(r, ErrorCode::kRequestServerFail, "upstream-reset");
  CHECK(r.reply.error().message.find("connection to " + server.address().to_string() +
                                     " closed: ") == 0);
  CHECK(client.stats().endpoints[0].ejected);
}

TEST_CASE("the upstream closing mid-call is upstream-reset, closing when idle is not a failure",
          "[upstream][client][errors]") {
  FakeThriftServer server;
  server.set_handler([](const FakeRequest&) { return FakeAction::close(); });
  IoThreads io(1);
  UpstreamClient client(upstream_config({server.address()}), io.pointers());
  auto r = call_sync(client, io, 0, make_request("Echo", 1));
  check_error(r, ErrorCode::kRequestServerFail, "upstream-reset");
  CHECK(r.reply.error().message == "connection to " + server.address().to_string() +
                                       " closed: closed by the upstream mid-call");

  // Idle close: the server goes away while the connection waits for the next call.
  FakeThriftServer other;
  UpstreamClient idle_client(upstream_config({other.address()}), io.pointers());
  auto ok = call_sync(idle_client, io, 0, make_request("Echo", 1));
  REQUIRE(ok.reply.ok());
  other.stop();  // closes the kept-alive connection while idle
  REQUIRE(eventually([&] { return idle_client.stats().open_connections == 0; }));
  auto stats = idle_client.stats();
  for (uint64_t n : stats.failures) CHECK(n == 0);
  CHECK_FALSE(stats.endpoints[0].ejected);
}

TEST_CASE("a reply with the wrong seqid is 10007 and the connection is dropped",
          "[upstream][client][errors]") {
  FakeThriftServer server;
  server.set_handler([&](const FakeRequest& request) {
    return FakeAction::send(server.reply(request, std::string(1, '\0'), request.seqid + 1));
  });
  IoThreads io(1);
  UpstreamClient client(upstream_config({server.address()}), io.pointers());
  auto r = call_sync(client, io, 0, make_request("Echo", 41));
  check_error(r, ErrorCode::kResponseUnableParse, "bad-upstream-reply");
  CHECK(r.reply.error().message == "bad reply from " + server.address().to_string() +
                                       ": reply seqid 42 does not match call seqid 41");
  CHECK(eventually([&] { return server.connections_open() == 0; }));
  server.set_handler({});
  CHECK(call_sync(client, io, 0, make_request("Echo", 43)).reply.ok());
  CHECK(server.connections_accepted() == 2);
  // A bad reply is the backend's bug, not its ill health: no ejection.
  CHECK_FALSE(client.stats().endpoints[0].ejected);
}

TEST_CASE("garbage, a CALL instead of a REPLY and a huge frame are 10007",
          "[upstream][client][errors]") {
  FakeThriftServer server;
  IoThreads io(1);
  auto cfg = upstream_config({server.address()});
  upstream::ClientOptions options;
  options.max_reply_bytes = 1000;
  UpstreamClient client(cfg, io.pointers(), options);

  server.set_handler(
      [](const FakeRequest&) { return FakeAction::send(FakeThriftServer::frame("garbage!")); });
  auto garbage = call_sync(client, io, 0, make_request("Echo", 1));
  check_error(garbage, ErrorCode::kResponseUnableParse, "bad-upstream-reply");
  CHECK(garbage.reply.error().message ==
        "bad reply from " + server.address().to_string() + ": malformed message header");

  server.set_handler([&](const FakeRequest& request) {
    return FakeAction::send(server.reply(request, std::string(1, '\0'), request.seqid, 1));
  });
  auto call_type = call_sync(client, io, 0, make_request("Echo", 2));
  check_error(call_type, ErrorCode::kResponseUnableParse, "bad-upstream-reply");
  CHECK(call_type.reply.error().message ==
        "bad reply from " + server.address().to_string() + ": unexpected message type 1");

  server.set_handler([&](const FakeRequest& request) {
    return FakeAction{FakeAction::Kind::kReply,
                      {},
                      server.reply(request, text_body(std::string(1000, 'y')), request.seqid)};
  });
  auto huge = call_sync(client, io, 0, make_request("Echo", 3));
  check_error(huge, ErrorCode::kResponseUnableParse, "bad-upstream-reply");
  CHECK(huge.reply.error().message == "bad reply from " + server.address().to_string() +
                                          ": frame of 1024 bytes exceeds the limit of 1000");
  CHECK(eventually([&] { return server.connections_open() == 0; }));
  CHECK(server.connections_accepted() == 3);  // each bad reply dropped its connection
  CHECK(client.stats().failures[static_cast<size_t>(upstream::FailureKind::kBadReply)] == 3);
}

TEST_CASE("an announced 2 GiB frame is refused from its header", "[upstream][client][errors]") {
  FakeThriftServer server;
  server.set_handler([](const FakeRequest&) {
    return FakeAction::send(std::string("\x7f\xff\xff\xff", 4) + "abc");
  });
  IoThreads io(1);
  UpstreamClient client(upstream_config({server.address()}), io.pointers());
  auto r = call_sync(client, io, 0, make_request("Echo", 1));
  check_error(r, ErrorCode::kResponseUnableParse, "bad-upstream-reply");
  CHECK(r.reply.error().message == "bad reply from " + server.address().to_string() +
                                       ": frame of 2147483647 bytes exceeds the limit of 16777216");
}

TEST_CASE("a message encoded for another protocol is refused before sending",
          "[upstream][client][errors]") {
  FakeThriftServer server;
  IoThreads io(1);
  UpstreamClient client(upstream_config({server.address()}), io.pointers());
  auto r =
      call_sync(client, io, 0,
                make_request("Echo", 1, std::string_view("\0", 1), opp::codec::Protocol::kCompact));
  check_error(r, ErrorCode::kRequestServerFail, "upstream-unavailable");
  CHECK(server.requests() == 0);
}
