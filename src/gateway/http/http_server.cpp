#include "gateway/http/http_server.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>

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
  acceptor_.reset();
  threads_.clear();  // while the connection counter the sessions decrement still exists
}

Result<uint16_t> HttpServer::start(const HandlerFactory& make_handler) {
  for (size_t i = 0; i < threads_.size(); ++i) {
    threads_[i]->handler = make_handler(i, threads_[i]->context);
    threads_[i]->host.handler = threads_[i]->handler.get();
  }
  boost::system::error_code ec;
  auto address = asio::ip::make_address(options_.listen.host, ec);
  if (ec) return listen_error("listen: invalid address '" + options_.listen.host + "'");
  tcp::endpoint endpoint(address, options_.listen.port);
  acceptor_ = std::make_unique<tcp::acceptor>(threads_[0]->context);
  acceptor_->open(endpoint.protocol(), ec);
  if (!ec) acceptor_->set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_->bind(endpoint, ec);
  if (!ec) acceptor_->listen(asio::socket_base::max_listen_connections, ec);
  if (ec)
    return listen_error("cannot listen on " + options_.listen.to_string() + ": " + ec.message());
  const uint16_t port = acceptor_->local_endpoint().port();
  accept_next();
  for (auto& io : threads_) {
    io->thread = std::thread([ctx = &io->context] {
      auto guard = asio::make_work_guard(*ctx);
      ctx->run();
    });
  }
  return port;
}

void HttpServer::accept_next() {
  IoThread& target = *threads_[next_thread_];
  next_thread_ = (next_thread_ + 1) % threads_.size();
  // Accepted straight into a socket of the target thread's context (and its concrete
  // executor type), so the connection never touches another thread's reactor again.
  auto socket = std::make_shared<Socket>(target.context);
  acceptor_->async_accept(*socket, [this, &target, socket](boost::system::error_code ec) {
    if (ec == asio::error::operation_aborted || draining_) return;
    if (!ec) {
      if (open_connections_.load(std::memory_order_relaxed) >=
          options_.limits.http.max_connections) {
        refused_.fetch_add(1, std::memory_order_relaxed);
        boost::system::error_code ignored;
        socket->close(ignored);
      } else {
        open_connections_.fetch_add(1, std::memory_order_relaxed);
        asio::post(target.context, [&target, socket] {
          std::make_shared<HttpSession>(std::move(*socket), target.host)->start();
        });
      }
    }
    // Accept errors (out of descriptors, say) are not fatal: keep accepting.
    accept_next();
  });
}

void HttpServer::drain(std::chrono::milliseconds grace) {
  if (draining_.exchange(true)) return;
  asio::post(threads_[0]->context, [this] {
    boost::system::error_code ec;
    if (acceptor_) acceptor_->close(ec);
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
