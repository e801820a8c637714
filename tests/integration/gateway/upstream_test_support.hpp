#pragma once
// Helpers of the upstream client tests: io threads like the gateway's (one io_context
// each), synchronous calls with a liveness bound, and upstream configurations.

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <chrono>
#include <future>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "fake_thrift_server.hpp"
#include "gateway/upstream/client.hpp"

namespace opp::gateway::testing {

/// N io threads, each running its own io_context until destroyed.
class IoThreads {
 public:
  explicit IoThreads(size_t n) {
    for (size_t i = 0; i < n; ++i) contexts_.push_back(std::make_unique<boost::asio::io_context>());
    running_ = std::make_unique<std::atomic<size_t>>(n);
    for (auto& io : contexts_) {
      guards_.emplace_back(io->get_executor());
      threads_.emplace_back([&io = *io, &running = *running_] {
        io.run();
        running.fetch_sub(1);
      });
    }
  }
  ~IoThreads() { stop(); }
  /// Lets the threads finish their work (a client shut down closes its connections), then
  /// joins them; stops them after 10 s of work left over.
  void stop() {
    for (auto& guard : guards_) guard.reset();
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (running_->load() > 0 && std::chrono::steady_clock::now() < until)
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    for (auto& io : contexts_) io->stop();
    for (auto& t : threads_)
      if (t.joinable()) t.join();
  }
  std::vector<boost::asio::io_context*> pointers() {
    std::vector<boost::asio::io_context*> out;
    for (auto& io : contexts_) out.push_back(io.get());
    return out;
  }
  boost::asio::io_context& operator[](size_t i) { return *contexts_[i]; }
  size_t size() const { return contexts_.size(); }

  /// Runs `fn` on io thread `i` and waits for it.
  template <class F>
  void run_on(size_t i, F fn) {
    std::promise<void> done;
    boost::asio::post(*contexts_[i], [&] {
      fn();
      done.set_value();
    });
    done.get_future().get();
  }

 private:
  std::vector<std::unique_ptr<boost::asio::io_context>> contexts_;
  std::vector<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> guards_;
  std::vector<std::thread> threads_;
  std::unique_ptr<std::atomic<size_t>> running_;
};

/// A call message as the codec writes it: envelope + `body` (a struct, STOP-terminated).
inline upstream::CallRequest make_request(std::string_view name, int32_t seqid,
                                          std::string_view body = std::string_view("\0", 1),
                                          codec::Protocol protocol = codec::Protocol::kBinary) {
  upstream::CallRequest request;
  request.message = FakeThriftServer::envelope(protocol, name, 1, seqid);
  request.message += body;
  request.seqid = seqid;
  request.protocol = protocol;
  return request;
}

/// A struct body {1: string text} (binary protocol), so replies can be told apart.
inline std::string text_body(std::string_view text) {
  std::string out = std::string("\x0b\x00\x01", 3);
  for (int shift = 24; shift >= 0; shift -= 8)
    out += static_cast<char>(static_cast<uint32_t>(text.size()) >> shift);
  out += text;
  out += '\0';
  return out;
}

/// Makes one call on io thread `io_index` and waits for its result (liveness bound 20 s).
inline upstream::CallResult call_sync(upstream::UpstreamClient& client, IoThreads& io,
                                      size_t io_index, upstream::CallRequest request) {
  auto promise = std::make_shared<std::promise<upstream::CallResult>>();
  auto future = promise->get_future();
  boost::asio::post(io[io_index], [&client, io_index, promise, &request] {
    client.call(io_index, std::move(request),
                [promise](upstream::CallResult r) { promise->set_value(std::move(r)); });
  });
  if (future.wait_for(std::chrono::seconds(20)) != std::future_status::ready)
    throw std::runtime_error("upstream call did not complete within 20 s");
  return future.get();
}

/// An upstream configuration over `endpoints` with short timeouts for tests.
inline config::UpstreamConfig upstream_config(std::vector<config::HostPort> endpoints) {
  config::UpstreamConfig c;
  c.endpoints = std::move(endpoints);
  c.connect_timeout_ms = 1000;
  c.timeout_ms = 2000;
  c.max_connections = 8;
  c.eject_ms = 5000;
  return c;
}

/// Waits until `predicate` holds (polling), up to 10 s; returns whether it did.
template <class P>
bool eventually(P predicate) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < until) {
    if (predicate()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return predicate();
}

}  // namespace opp::gateway::testing
