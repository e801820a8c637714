// PaymentThriftServer's stop(): it must end serve() whenever it comes, including a stop
// requested while the server is still starting (a SIGTERM during start-up).
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
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

}  // namespace

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
