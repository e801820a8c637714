// Pools under concurrency: the max_connections bound over every io thread, the bounded
// wait queue (upstream-saturated), pipelined calls from several io threads matched to
// their own replies, hot reload of endpoints, and shutdown.
#include <catch2/catch.hpp>

#include <atomic>
#include <map>
#include <mutex>
#include <set>

#include "upstream_test_support.hpp"

using namespace opp::gateway;
using namespace opp::gateway::testing;
using upstream::CallResult;
using upstream::UpstreamClient;

namespace {

/// Fires `per_thread` calls from every io thread at once; waits for all results.
std::vector<CallResult> concurrent_calls(
    UpstreamClient& client, IoThreads& io, size_t per_thread,
    const std::function<upstream::CallRequest(size_t, size_t)>& make) {
  std::mutex mutex;
  std::vector<CallResult> results;
  std::promise<void> all_done;
  std::atomic<size_t> left{io.size() * per_thread};
  for (size_t t = 0; t < io.size(); ++t) {
    boost::asio::post(io[t], [&, t] {
      for (size_t i = 0; i < per_thread; ++i) {
        client.call(t, make(t, i), [&](CallResult r) {
          {
            std::lock_guard lock(mutex);
            results.push_back(std::move(r));
          }
          if (left.fetch_sub(1) == 1) all_done.set_value();
        });
      }
    });
  }
  auto f = all_done.get_future();
  if (f.wait_for(std::chrono::seconds(30)) != std::future_status::ready)
    throw std::runtime_error("calls did not complete within 30 s");
  return results;
}

std::map<std::string, size_t> count_outcomes(const std::vector<CallResult>& results) {
  std::map<std::string, size_t> out;
  for (const auto& r : results) ++out[r.reply.ok() ? "ok" : r.reply.error().sub_code];
  return out;
}

}  // namespace

TEST_CASE("a full pool queues max_pending calls and refuses the rest as upstream-saturated",
          "[upstream][pool]") {
  FakeThriftServer server;
  server.set_handler([&](const FakeRequest& request) {
    FakeAction a = server.echo(request);
    a.delay = std::chrono::milliseconds(300);
    return a;
  });
  const uint32_t depth = GENERATE(1u, 2u);
  INFO("pipeline depth " << depth);
  IoThreads io(1);
  auto cfg = upstream_config({server.address()});
  cfg.max_connections = 2;
  cfg.max_pending = 3;
  upstream::ClientOptions options;
  options.pipeline_depth = depth;
  UpstreamClient client(cfg, io.pointers(), options);
  auto results = concurrent_calls(client, io, 12, [](size_t, size_t i) {
    return make_request("Slow", static_cast<int32_t>(i));
  });
  auto outcomes = count_outcomes(results);
  // 2 connections x depth on the wire, 3 waiting for them, the rest refused.
  CHECK(outcomes["ok"] == 2 * depth + 3);
  CHECK(outcomes["upstream-saturated"] == 12 - (2 * depth + 3));
  CHECK(server.peak_connections_open() == 2);
  for (const auto& r : results) {
    if (r.reply.ok()) continue;
    CHECK(r.reply.error().code == opp::ErrorCode::kRequestServerFail);
    CHECK(r.reply.error().message ==
          "all 2 connections to the upstream are busy and 3 calls already wait");
    CHECK(r.endpoint.empty());
  }
  CHECK(client.stats().failures[static_cast<size_t>(upstream::FailureKind::kSaturated)] ==
        12 - (2 * depth + 3));
  CHECK(client.stats().waiting == 0);
}

TEST_CASE("max_connections and max_pending hold over every io thread together",
          "[upstream][pool]") {
  FakeThriftServer server;
  server.set_handler([&](const FakeRequest& request) {
    FakeAction a = server.echo(request);
    a.delay = std::chrono::milliseconds(400);
    return a;
  });
  IoThreads io(2);
  auto cfg = upstream_config({server.address()});
  cfg.max_connections = 2;
  cfg.max_pending = 2;
  upstream::ClientOptions one_call;
  one_call.pipeline_depth = 1;
  UpstreamClient client(cfg, io.pointers(), one_call);
  auto results = concurrent_calls(client, io, 6, [](size_t t, size_t i) {
    return make_request("Slow", static_cast<int32_t>(t * 100 + i));
  });
  auto outcomes = count_outcomes(results);
  CHECK(outcomes["ok"] == 4);
  CHECK(outcomes["upstream-saturated"] == 8);
  CHECK(server.peak_connections_open() == 2);
}

TEST_CASE("a call waiting for a connection times out as upstream-timeout", "[upstream][pool]") {
  FakeThriftServer server;
  server.set_handler([](const FakeRequest&) { return FakeAction::silence(); });
  IoThreads io(1);
  auto cfg = upstream_config({server.address()});
  cfg.max_connections = 1;
  cfg.timeout_ms = 400;
  upstream::ClientOptions one_call;
  one_call.pipeline_depth = 1;
  UpstreamClient client(cfg, io.pointers(), one_call);
  // The first call takes the only connection; the second waits, with an earlier deadline.
  auto results = concurrent_calls(client, io, 2, [](size_t, size_t i) {
    auto request = make_request("Echo", static_cast<int32_t>(i));
    if (i == 1)
      request.deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(100);
    return request;
  });
  REQUIRE(results.size() == 2);
  std::set<std::string> messages;
  for (const auto& r : results) {
    REQUIRE_FALSE(r.reply.ok());
    CHECK(r.reply.error().sub_code == "upstream-timeout");
    messages.insert(r.reply.error().message);
  }
  CHECK(messages.count("no connection to the upstream became free before the call's deadline") ==
        1);
  CHECK(messages.count(server.address().to_string() +
                       " did not reply before the call's deadline") == 1);
  CHECK(server.requests() == 1);
}

TEST_CASE("pipelined calls from several io threads each get their own reply",
          "[upstream][pool][pipelining]") {
  FakeThriftServer server;
  std::atomic<int> jitter{0};
  server.set_handler([&](const FakeRequest& request) {
    FakeAction a = server.echo(request);
    a.delay = std::chrono::milliseconds(jitter.fetch_add(1) % 3 == 0 ? 1 : 0);
    return a;
  });
  IoThreads io(4);  // 4 threads, 2 connections: two threads hand their calls over
  auto cfg = upstream_config({server.address()});
  cfg.max_connections = 2;
  cfg.max_pending = 4000;
  cfg.timeout_ms = 20000;
  upstream::ClientOptions options;
  options.pipeline_depth = 16;
  UpstreamClient client(cfg, io.pointers(), options);
  const size_t per_thread = 150;
  auto text = [](size_t t, size_t i) { return "t" + std::to_string(t) + "-c" + std::to_string(i); };
  std::mutex mutex;
  std::map<std::string, std::string> replies;  // text sent -> reply body
  std::promise<void> all_done;
  std::atomic<size_t> left{io.size() * per_thread};
  for (size_t t = 0; t < io.size(); ++t) {
    boost::asio::post(io[t], [&, t] {
      for (size_t i = 0; i < per_thread; ++i) {
        const std::string sent = text(t, i);
        const int32_t seqid = static_cast<int32_t>(t * 1000 + i);
        client.call(
            t, make_request("Echo", seqid, text_body(sent)), [&, sent, seqid](CallResult r) {
              std::string body = "error";
              if (r.reply.ok()) {
                const auto envelope =
                    FakeThriftServer::envelope(opp::codec::Protocol::kBinary, "Echo", 2, seqid);
                body = r.reply->substr(0, envelope.size()) == envelope
                           ? r.reply->substr(envelope.size())
                           : "wrong envelope";
              }
              {
                std::lock_guard lock(mutex);
                replies[sent] = body;
              }
              if (left.fetch_sub(1) == 1) all_done.set_value();
            });
      }
    });
  }
  REQUIRE(all_done.get_future().wait_for(std::chrono::seconds(30)) == std::future_status::ready);
  REQUIRE(replies.size() == io.size() * per_thread);
  for (const auto& [sent, body] : replies) CHECK(body == text_body(sent));
  CHECK(server.requests() == io.size() * per_thread);
  CHECK(server.connections_accepted() == 2);
  CHECK(server.peak_pipelined() > 1);  // calls really were written ahead of their replies
}

TEST_CASE("a pipelined call timing out takes the calls behind it down as upstream-reset",
          "[upstream][pool][pipelining]") {
  FakeThriftServer server;
  server.set_handler([&](const FakeRequest& request) {
    FakeAction a = server.echo(request);
    if (request.seqid == 1) a.delay = std::chrono::milliseconds(500);
    return a;
  });
  IoThreads io(1);
  auto cfg = upstream_config({server.address()});
  cfg.max_connections = 1;
  upstream::ClientOptions options;
  options.pipeline_depth = 2;
  UpstreamClient client(cfg, io.pointers(), options);
  auto results = concurrent_calls(client, io, 2, [](size_t, size_t i) {
    auto request = make_request("Echo", static_cast<int32_t>(i + 1));
    if (i == 0)
      request.deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(100);
    return request;
  });
  auto outcomes = count_outcomes(results);
  CHECK(outcomes["upstream-timeout"] == 1);
  CHECK(outcomes["upstream-reset"] == 1);  // its reply can no longer be matched
  for (const auto& r : results)
    if (!r.reply.ok() && r.reply.error().sub_code == "upstream-reset")
      CHECK(r.reply.error().message == "connection to " + server.address().to_string() +
                                           " closed: another call on it timed out");
  CHECK(server.connections_accepted() == 1);
  CHECK(server.peak_pipelined() == 2);
}

TEST_CASE("update keeps connections to endpoints that remain and drains the others",
          "[upstream][pool][reload]") {
  FakeThriftServer a, b;
  IoThreads io(1);
  UpstreamClient client(upstream_config({a.address()}), io.pointers());
  REQUIRE(call_sync(client, io, 0, make_request("Echo", 1)).reply.ok());
  REQUIRE(a.connections_open() == 1);

  client.update(upstream_config({a.address(), b.address()}));
  std::set<std::string> served;
  for (int i = 0; i < 4; ++i)
    served.insert(call_sync(client, io, 0, make_request("Echo", 2)).endpoint);
  CHECK(served.size() == 2);
  CHECK(a.connections_accepted() == 1);  // the connection to a was kept

  // A call in flight on a when a is removed still completes; then the connection closes.
  a.set_handler([&](const FakeRequest& request) {
    FakeAction act = a.echo(request);
    act.delay = std::chrono::milliseconds(300);
    return act;
  });
  std::promise<CallResult> first, second;  // round robin: one to a, one to b
  io.run_on(0, [&] {
    client.call(0, make_request("Echo", 3), [&](CallResult r) { first.set_value(std::move(r)); });
    client.call(0, make_request("Echo", 4), [&](CallResult r) { second.set_value(std::move(r)); });
  });
  REQUIRE(eventually([&] { return a.requests() == 4; }));
  client.update(upstream_config({b.address()}));
  auto r1 = first.get_future().get();
  auto r2 = second.get_future().get();
  REQUIRE(r1.reply.ok());
  REQUIRE(r2.reply.ok());
  CHECK(std::set<std::string>{r1.endpoint, r2.endpoint} ==
        std::set<std::string>{a.address().to_string(), b.address().to_string()});
  CHECK(eventually([&] { return a.connections_open() == 0; }));
  for (int i = 0; i < 3; ++i)
    CHECK(call_sync(client, io, 0, make_request("Echo", 4)).endpoint == b.address().to_string());
  CHECK(b.connections_accepted() == 1);
  auto stats = client.stats();
  REQUIRE(stats.endpoints.size() == 1);
  CHECK(stats.endpoints[0].endpoint == b.address().to_string());
}

TEST_CASE("update to another transport drains every connection", "[upstream][pool][reload]") {
  FakeThriftServer framed;
  FakeThriftServer buffered({config::Transport::kBuffered, opp::codec::Protocol::kBinary});
  IoThreads io(1);
  UpstreamClient client(upstream_config({framed.address()}), io.pointers());
  REQUIRE(call_sync(client, io, 0, make_request("Echo", 1)).reply.ok());
  auto cfg = upstream_config({buffered.address()});
  cfg.transport = config::Transport::kBuffered;
  client.update(cfg);
  CHECK(eventually([&] { return framed.connections_open() == 0; }));
  auto r = call_sync(client, io, 0, make_request("Echo", 2));
  CHECK(r.reply.ok());
  CHECK(buffered.requests() == 1);
}

TEST_CASE("shutdown fails calls in flight and waiting, and every later call",
          "[upstream][pool][shutdown]") {
  FakeThriftServer server;
  server.set_handler([](const FakeRequest&) { return FakeAction::silence(); });
  IoThreads io(2);
  auto cfg = upstream_config({server.address()});
  cfg.max_connections = 2;
  cfg.timeout_ms = 30000;
  upstream::ClientOptions one_call;
  one_call.pipeline_depth = 1;
  UpstreamClient client(cfg, io.pointers(), one_call);
  std::mutex mutex;
  std::vector<CallResult> results;
  std::atomic<size_t> done{0};
  for (size_t t = 0; t < 2; ++t)
    io.run_on(t, [&, t] {
      for (int i = 0; i < 3; ++i)  // one in flight, two waiting per thread
        client.call(t, make_request("Echo", i), [&](CallResult r) {
          std::lock_guard lock(mutex);
          results.push_back(std::move(r));
          ++done;
        });
    });
  REQUIRE(eventually([&] { return server.requests() == 2; }));
  client.shutdown();
  REQUIRE(eventually([&] { return done.load() == 6; }));
  for (const auto& r : results) {
    REQUIRE_FALSE(r.reply.ok());
    CHECK(r.reply.error().sub_code == "upstream-unavailable");
    CHECK(r.reply.error().message.find("the gateway is shutting down") != std::string::npos);
  }
  CHECK(eventually([&] { return server.connections_open() == 0; }));
  auto later = call_sync(client, io, 1, make_request("Echo", 9));
  REQUIRE_FALSE(later.reply.ok());
  CHECK(later.reply.error().message == "the gateway is shutting down");
  CHECK(client.stats().open_connections == 0);
}

TEST_CASE("a connection retires after retire_after_bytes, without failing a call",
          "[upstream][pool]") {
  FakeThriftServer server;
  IoThreads io(1);
  upstream::ClientOptions options;
  options.retire_after_bytes = 1000;
  UpstreamClient client(upstream_config({server.address()}), io.pointers(), options);
  for (int i = 0; i < 10; ++i)
    REQUIRE(call_sync(client, io, 0, make_request("Echo", i, text_body(std::string(300, 'z'))))
                .reply.ok());
  // 328 bytes per call: the fourth passes 1000, so four calls per connection.
  CHECK(server.connections_accepted() == 3);
  CHECK(eventually([&] { return server.connections_open() == 1; }));
}
