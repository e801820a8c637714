// PaymentThriftServer's stop(): it must end serve() whenever it comes, including a stop
// requested while the server is still starting (a SIGTERM during start-up), and return
// promptly, also while a client keeps its connection open.
#include <catch2/catch.hpp>

#include <thrift/protocol/TBinaryProtocol.h>
#include <thrift/transport/TBufferTransports.h>
#include <thrift/transport/TSocket.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <future>
#include <memory>
#include <thread>

#include "fakes.hpp"
#include "payment/server/thrift_server.hpp"
#include "payment/transport/payment_handler.hpp"

using namespace opp::payment;
using opp::payment::testing::ServiceFixture;

namespace {

/// Aborts the test program if serve() has not returned in time: a lost stop would
/// otherwise hang the run instead of failing it.
class Watchdog {
 public:
  explicit Watchdog(const char* what)
      : thread_([this, what] {
          const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
          while (!done_ && std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
          }
          if (!done_) {
            std::fprintf(stderr, "serve() never returned after stop(): %s\n", what);
            std::abort();
          }
        }) {}
  ~Watchdog() {
    done_ = true;
    thread_.join();
  }

 private:
  std::atomic<bool> done_{false};
  std::thread thread_;
};

/// A PaymentThriftServer serving on a thread of its own, on an ephemeral loopback port.
/// A stop() that never returns must fail the test, not hang it: the server lives in state
/// its threads share, so a test can give up on them (they are detached and leak).
class BackgroundServer {
 public:
  explicit BackgroundServer(WireTransport wire) : shared_(std::make_shared<Shared>()) {
    PaymentConfig config = default_config("/tmp");
    config.listen_port = 0;
    config.workers = 2;
    config.transport = wire;
    shared_->server = std::make_unique<PaymentThriftServer>(
        config, std::make_shared<transport::PaymentHandler>(shared_->fixture.service));
    auto listening = shared_->listening.get_future();
    served_ = shared_->served.get_future();
    serving_ = std::thread([shared = shared_] {
      try {
        shared->server->serve([&](int port) { shared->listening.set_value(port); });
      } catch (...) {
        shared->listening.set_exception(std::current_exception());
      }
      shared->served.set_value();
    });
    port_ = listening.get();
  }

  ~BackgroundServer() {
    if (!stopper_.joinable() && !stop_returns_within(std::chrono::seconds(20))) {
      std::fprintf(stderr, "BackgroundServer: stop() hung; its threads are abandoned\n");
    }
    if (abandoned_) {
      stopper_.detach();
      serving_.detach();
    } else {
      stopper_.join();
      serving_.join();
    }
  }

  int port() const { return port_; }

  /// Calls stop() from another thread; true when it returned, and serve() with it, within
  /// `limit`.
  bool stop_returns_within(std::chrono::seconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    auto stopped = std::make_shared<std::promise<void>>();
    auto returned = stopped->get_future();
    stopper_ = std::thread([shared = shared_, stopped] {
      shared->server->stop();
      stopped->set_value();
    });
    abandoned_ = returned.wait_until(deadline) != std::future_status::ready ||
                 served_.wait_until(deadline) != std::future_status::ready;
    return !abandoned_;
  }

 private:
  struct Shared {
    ServiceFixture fixture;
    std::unique_ptr<PaymentThriftServer> server;  // after fixture: it calls into it
    std::promise<int> listening;
    std::promise<void> served;
  };
  std::shared_ptr<Shared> shared_;
  std::future<void> served_;
  std::thread serving_, stopper_;
  bool abandoned_ = false;
  int port_ = 0;
};

/// A connected client of the given transport, binary protocol.
struct Client {
  Client(WireTransport wire, int port) {
    auto socket = std::make_shared<apache::thrift::transport::TSocket>("127.0.0.1", port);
    socket->setRecvTimeout(10'000);
    if (wire == WireTransport::kFramed) {
      transport = std::make_shared<apache::thrift::transport::TFramedTransport>(socket);
    } else {
      transport = std::make_shared<apache::thrift::transport::TBufferedTransport>(socket);
    }
    svc = std::make_unique<thrift::PaymentSvcClient>(
        std::make_shared<apache::thrift::protocol::TBinaryProtocol>(transport));
    transport->open();
  }
  std::shared_ptr<apache::thrift::transport::TTransport> transport;
  std::unique_ptr<thrift::PaymentSvcClient> svc;
};

const char* name_of(WireTransport transport) {
  return transport == WireTransport::kFramed ? "framed" : "buffered";
}

}  // namespace

TEST_CASE("payment: stop() returns promptly while the server is idle", "[payment][server]") {
  for (const auto wire : {WireTransport::kFramed, WireTransport::kBuffered}) {
    INFO(name_of(wire));
    BackgroundServer server(wire);
    CHECK(server.stop_returns_within(std::chrono::seconds(5)));
  }
}

TEST_CASE("payment: stop() returns promptly while a client holds its connection open",
          "[payment][server]") {
  for (const auto wire : {WireTransport::kFramed, WireTransport::kBuffered}) {
    INFO(name_of(wire));
    BackgroundServer server(wire);
    Client client(wire, server.port());
    // A call answered proves the connection is accepted and served, not just queued.
    thrift::QueryOrderReq query;
    query.__set_merchant_id("m1");
    query.__set_out_order_no("none");
    thrift::QueryOrderResp order;
    CHECK_THROWS_AS(client.svc->QueryOrder(order, query), opp::common::thrift::BizError);
    CHECK(server.stop_returns_within(std::chrono::seconds(5)));
    // The connection is idle between calls and stays open on the client's side meanwhile.
    CHECK(client.transport->isOpen());
  }
}

TEST_CASE("payment: a stop requested before serve() starts still ends it", "[payment][server]") {
  for (const auto transport : {WireTransport::kFramed, WireTransport::kBuffered}) {
    INFO((transport == WireTransport::kFramed ? "framed" : "buffered"));
    for (int round = 0; round < 5; ++round) {
      ServiceFixture f;
      PaymentConfig config = default_config("/tmp");
      config.listen_port = 0;
      config.workers = 2;
      config.transport = transport;
      PaymentThriftServer server(config, std::make_shared<transport::PaymentHandler>(f.service));
      std::thread stopper([&] { server.stop(); });  // waits for the server to come up
      int port = 0;
      {
        Watchdog watchdog("stop before serve");
        server.serve([&](int bound) { port = bound; });
      }
      stopper.join();
      CHECK(port > 0);
    }
  }
}

TEST_CASE("payment: stop() after serve() has ended returns at once", "[payment][server]") {
  ServiceFixture f;
  PaymentConfig config = default_config("/tmp");
  config.listen_port = 0;
  config.workers = 1;
  PaymentThriftServer server(config, std::make_shared<transport::PaymentHandler>(f.service));
  std::thread stopper([&] { server.stop(); });
  int port = 0;
  {
    Watchdog watchdog("first stop");
    server.serve([&](int bound) { port = bound; });
  }
  stopper.join();
  server.stop();  // nothing left to stop: returns at once (a hang fails the run)
  CHECK(port > 0);
}
