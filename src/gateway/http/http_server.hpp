#pragma once
// The gateway's HTTP/1.1 listener: `threads` io threads, each with its own io_context and
// its own RequestHandler; connections are accepted on the first and handed round robin to
// all, then live on one thread for good (no locks between connections).

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

#include "gateway/config/gateway_config.hpp"
#include "gateway/http/http_session.hpp"
#include "opp/common/result.hpp"

namespace opp::gateway::http {

struct ServerOptions {
  config::HostPort listen;
  uint32_t threads = 1;
  SessionLimits limits;
  const std::atomic<bool>* keep_headers = nullptr;  ///< see SessionHost::keep_headers
};

class HttpServer {
 public:
  /// Makes the handler of io thread `index`, on that thread's context.
  using HandlerFactory =
      std::function<std::unique_ptr<RequestHandler>(size_t index, boost::asio::io_context&)>;

  /// Creates the io threads' contexts (not their threads yet).
  explicit HttpServer(ServerOptions options);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  /// Makes each io thread's handler, binds and starts the io threads; returns the bound
  /// port. Errors: 10006 `listen-failed`.
  Result<uint16_t> start(const HandlerFactory& make_handler);
  /// Stops accepting; every connection finishes the requests it has read and closes. Once
  /// none is left, or `grace` has passed, the io threads stop. Thread-safe, returns at once.
  void drain(std::chrono::milliseconds grace);
  /// Waits until the io threads have stopped.
  void join();

  size_t threads() const { return threads_.size(); }
  boost::asio::io_context& context(size_t index) { return threads_[index]->context; }
  uint32_t open_connections() const { return open_connections_.load(std::memory_order_relaxed); }
  /// Connections closed at accept because max_connections were open.
  uint64_t refused_connections() const { return refused_.load(std::memory_order_relaxed); }

 private:
  // Destroyed bottom-up: the handler (which may own sockets) before its context, the
  // context (whose queued handlers may hold sessions) before the host sessions refer to.
  struct IoThread {
    SessionHost host;
    boost::asio::io_context context{1};
    std::unique_ptr<RequestHandler> handler;
    std::thread thread;
  };

  void accept_next();
  void stop_contexts();

  ServerOptions options_;
  std::vector<std::unique_ptr<IoThread>> threads_;
  std::unique_ptr<boost::asio::ip::tcp::acceptor> acceptor_;
  size_t next_thread_ = 0;
  std::atomic<uint32_t> open_connections_{0};
  std::atomic<uint64_t> refused_{0};
  std::atomic<bool> draining_{false};
  std::atomic<bool> stopped_{false};
  std::unique_ptr<std::thread> drain_watch_;
};

}  // namespace opp::gateway::http
