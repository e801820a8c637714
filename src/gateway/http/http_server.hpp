#pragma once
// The gateway's HTTP/1.1 listeners, plain and TLS (either or both): `threads` io threads,
// each with its own io_context and its own RequestHandler; connections are accepted on the
// first and handed round robin to all, then live on one thread for good (no locks between
// connections). Both listeners share the threads, handlers, limits and max_connections.

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include "gateway/config/gateway_config.hpp"
#include "gateway/http/http_session.hpp"
#include "opp/common/result.hpp"

namespace opp::gateway::http {

class TlsContextStore;

struct ServerOptions {
  std::optional<config::HostPort> listen;      ///< plain HTTP
  std::optional<config::HostPort> tls_listen;  ///< HTTPS, with the contexts of `tls`
  TlsContextStore* tls = nullptr;              ///< required with tls_listen; outlives the server
  uint32_t threads = 1;
  SessionLimits limits;
  const std::atomic<bool>* keep_headers = nullptr;  ///< see SessionHost::keep_headers
};

/// The addresses bound, with the ports picked for port 0.
struct BoundListeners {
  std::optional<config::HostPort> plain;
  std::optional<config::HostPort> tls;
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

  /// Makes each io thread's handler, binds the listeners and starts the io threads.
  /// Errors: 10006 `listen-failed`.
  Result<BoundListeners> start(const HandlerFactory& make_handler);
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
  /// The TLS listener's handshakes so far, every io thread's.
  HandshakeTotals tls_handshakes() const;

 private:
  // Destroyed bottom-up: the handler (which may own sockets) before its context, the
  // context (whose queued handlers may hold sessions) before the host sessions refer to.
  struct IoThread {
    SessionHost host;
    boost::asio::io_context context{1};
    std::unique_ptr<RequestHandler> handler;
    std::thread thread;
  };

  struct Listener {
    std::unique_ptr<boost::asio::ip::tcp::acceptor> acceptor;
    bool tls = false;
  };

  Result<config::HostPort> listen(const config::HostPort& address, bool tls);
  void accept_next(Listener& listener);
  void stop_contexts();

  ServerOptions options_;
  std::vector<std::unique_ptr<IoThread>> threads_;
  std::vector<std::unique_ptr<Listener>> listeners_;
  size_t next_thread_ = 0;
  std::atomic<uint32_t> open_connections_{0};
  std::atomic<uint64_t> refused_{0};
  std::atomic<bool> draining_{false};
  std::atomic<bool> stopped_{false};
  std::unique_ptr<std::thread> drain_watch_;
};

}  // namespace opp::gateway::http
