#include "gateway/http/http_server.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>

#include "gateway/http/basic_http_session.hpp"
#include "gateway/http/tls_context.hpp"

namespace opp::gateway::http {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;

Error listen_error(const std::string& what) {
  return Error{ErrorCode::kServerHandleFail, "listen-failed", what, ""};
}

}  // namespace

HttpServer::HttpServer(ServerOptions options) : options_(std::move(options)) {
  const size_t n = std::max<uint32_t>(1, options_.threads);
  for (size_t i = 0; i < n; ++i) {
    auto io = std::make_unique<IoThread>();
    io->host.limits = options_.limits;
    io->host.keep_headers = options_.keep_headers;
    io->host.on_session_closed = [this] {
      open_connections_.fetch_sub(1, std::memory_order_relaxed);
    };
    threads_.push_back(std::move(io));
  }
}

HttpServer::~HttpServer() {
  if (!stopped_) stop_contexts();
  join();
  listeners_.clear();
  threads_.clear();  // while the connection counter the sessions decrement still exists
}

Result<BoundListeners> HttpServer::start(const HandlerFactory& make_handler) {
  for (size_t i = 0; i < threads_.size(); ++i) {
    threads_[i]->handler = make_handler(i, threads_[i]->context);
    threads_[i]->host.handler = threads_[i]->handler.get();
  }
  BoundListeners bound;
  if (options_.listen) {
    OPP_TRY_ASSIGN(bound.plain, listen(*options_.listen, false));
  }
  if (options_.tls_listen) {
    OPP_TRY_ASSIGN(bound.tls, listen(*options_.tls_listen, true));
  }
  for (auto& listener : listeners_) accept_next(*listener);
  for (auto& io : threads_) {
    io->thread = std::thread([ctx = &io->context] {
      auto guard = asio::make_work_guard(*ctx);
      ctx->run();
    });
  }
  return bound;
}

Result<config::HostPort> HttpServer::listen(const config::HostPort& address, bool tls) {
  const char* key = tls ? "tls.listen" : "listen";
  boost::system::error_code ec;
  auto ip = asio::ip::make_address(address.host, ec);
  if (ec) return listen_error(std::string(key) + ": invalid address '" + address.host + "'");
  tcp::endpoint endpoint(ip, address.port);
  auto acceptor = std::make_unique<tcp::acceptor>(threads_[0]->context);
  acceptor->open(endpoint.protocol(), ec);
  if (!ec) acceptor->set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor->bind(endpoint, ec);
  if (!ec) acceptor->listen(asio::socket_base::max_listen_connections, ec);
  if (ec)
    return listen_error(std::string(key) + ": cannot listen on " + address.to_string() + ": " +
                        ec.message());
  const uint16_t port = acceptor->local_endpoint().port();
  listeners_.push_back(std::make_unique<Listener>(Listener{std::move(acceptor), tls}));
  return config::HostPort{address.host, port};
}

void HttpServer::accept_next(Listener& listener) {
  IoThread& target = *threads_[next_thread_];
  next_thread_ = (next_thread_ + 1) % threads_.size();
  // Accepted straight into a socket of the target thread's context (and its concrete
  // executor type), so the connection never touches another thread's reactor again.
  auto socket = std::make_shared<Socket>(target.context);
  listener.acceptor->async_accept(
      *socket, [this, &listener, &target, socket](boost::system::error_code ec) {
        if (ec == asio::error::operation_aborted || draining_) return;
        if (!ec) {
          if (open_connections_.load(std::memory_order_relaxed) >=
              options_.limits.http.max_connections) {
            refused_.fetch_add(1, std::memory_order_relaxed);
            boost::system::error_code ignored;
            socket->close(ignored);
          } else if (listener.tls) {
            open_connections_.fetch_add(1, std::memory_order_relaxed);
            // The context of the moment: a reload meanwhile changes nothing for this one.
            asio::post(target.context, [&target, socket, context = options_.tls->current()] {
              std::make_shared<TlsSession>(std::move(*socket), target.host, context)->start();
            });
          } else {
            open_connections_.fetch_add(1, std::memory_order_relaxed);
            asio::post(target.context, [&target, socket] {
              std::make_shared<PlainSession>(std::move(*socket), target.host)->start();
            });
          }
        }
        // Accept errors (out of descriptors, say) are not fatal: keep accepting.
        accept_next(listener);
      });
}

HandshakeTotals HttpServer::tls_handshakes() const {
  HandshakeTotals totals;
  for (const auto& io : threads_) {
    const HandshakeCounters& counters = io->host.tls_handshakes;
    totals.completed += counters.completed.load(std::memory_order_relaxed);
    for (size_t i = 0; i < kHandshakeFailureKinds; ++i)
      totals.failed[i] += counters.failed[i].load(std::memory_order_relaxed);
  }
  return totals;
}

void HttpServer::drain(std::chrono::milliseconds grace) {
  if (draining_.exchange(true)) return;
  asio::post(threads_[0]->context, [this] {
    boost::system::error_code ec;
    for (auto& listener : listeners_) listener->acceptor->close(ec);
  });
  for (auto& io : threads_) {
    asio::post(io->context, [host = &io->host] {
      host->draining = true;
      // drain() may close a session, which removes itself from the list.
      std::vector<HttpSession*> sessions = host->sessions;
      for (HttpSession* session : sessions) session->drain();
    });
  }
  drain_watch_ = std::make_unique<std::thread>([this, grace] {
    const auto deadline = std::chrono::steady_clock::now() + grace;
    while (open_connections_.load() > 0 && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    stop_contexts();
  });
}

void HttpServer::stop_contexts() {
  stopped_ = true;
  for (auto& io : threads_) io->context.stop();
}

void HttpServer::join() {
  if (drain_watch_ && drain_watch_->joinable()) drain_watch_->join();
  for (auto& io : threads_)
    if (io->thread.joinable()) io->thread.join();
}

}  // namespace opp::gateway::http
