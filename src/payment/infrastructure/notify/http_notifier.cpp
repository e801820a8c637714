#include "payment/infrastructure/notify/http_notifier.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <optional>

namespace opp::payment {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

/// How often a waiting request looks at the cancel flag.
constexpr std::chrono::milliseconds kCancelCheckInterval{50};

Error failure(const char* sub_code, std::string message) {
  return Error{ErrorCode::kRequestServerFail, sub_code, std::move(message), {}};
}

std::optional<asio::ip::address> ip_literal(const std::string& host) {
  beast::error_code ec;
  asio::ip::address address = asio::ip::make_address(host, ec);
  if (ec) return std::nullopt;
  return address;
}

/// One request's state, driven by the handlers below on a private io_context. The
/// steps run strictly one after another (resolve → connect → handshake → send → read),
/// so no handler races another.
class Exchange {
 public:
  Exchange(asio::io_context& io, const HttpNotifierOptions& options, const NotifyUrl& url)
      : options_(options), url_(url), io_(io), lookup_deadline_(io) {
    if (url.tls) {
      tls_.emplace(io, *options.tls);
    } else {
      plain_.emplace(io);
    }
    parser_.body_limit(options.max_response_bytes);
  }

  void start(http::request<http::string_body>& request) {
    request_ = &request;
    reach_deadline_ = std::chrono::steady_clock::now() + options_.connect_timeout;
    if (auto address = ip_literal(url_.host)) return connect({tcp::endpoint(*address, url_.port)});
    resolve();
  }

  /// Aborts whatever step is in progress; its handler then finishes with an error.
  void abandon() {
    abandoned_ = true;
    stop_waiting();
  }

  std::optional<Result<void>> outcome;

 private:
  beast::tcp_stream& tcp() { return tls_ ? tls_->next_layer() : *plain_; }

  void resolve() {
    auto resolver = DnsResolver::create(io_, options_.dns);
    if (!resolver) return finish(std::move(resolver).error());
    resolver_ = std::move(*resolver);
    lookup_deadline_.expires_at(reach_deadline_);
    lookup_deadline_.async_wait([this](beast::error_code ec) {
      if (ec) return;  // the lookup ended first
      lookup_timed_out_ = true;
      resolver_->cancel();
    });
    resolver_->resolve(url_.host, url_.port, [this](Result<DnsResolver::Endpoints> endpoints) {
      lookup_deadline_.cancel();
      if (abandoned_ || lookup_timed_out_) return finish_cancelled("resolve");
      if (!endpoints) {
        return finish(failure("notify-unreachable",
                              "notify_url resolve failed: " + endpoints.error().message));
      }
      connect(*endpoints);
    });
  }

  void connect(const DnsResolver::Endpoints& endpoints) {
    tcp().expires_at(reach_deadline_);
    tcp().async_connect(endpoints, [this](beast::error_code ec, const tcp::endpoint&) {
      if (ec) return finish_step(ec, "connect");
      if (tls_) return handshake();
      send(*plain_);
    });
  }

  void handshake() {
    if (auto expected = expect_peer_identity(tls_->native_handle(), url_.host); !expected) {
      return finish(std::move(expected).error());
    }
    tls_->async_handshake(asio::ssl::stream_base::client, [this](beast::error_code ec) {
      if (!ec) return send(*tls_);
      if (auto reason = certificate_rejection(tls_->native_handle())) {
        return finish(failure("notify-certificate", "notify_url certificate rejected: " + *reason));
      }
      if (abandoned_ || ec == beast::error::timeout) return finish_step(ec, "handshake");
      finish(failure("notify-tls", "notify_url TLS handshake failed: " + ec.message()));
    });
  }

  template <typename Stream>
  void send(Stream& stream) {
    tcp().expires_after(options_.response_timeout);
    http::async_write(stream, *request_, [this, &stream](beast::error_code ec, size_t) {
      if (ec) return finish_step(ec, "send");
      http::async_read(stream, buffer_, parser_, [this](beast::error_code ec, size_t) {
        if (ec) return finish_step(ec, "read");
        answered();
      });
    });
  }

  void answered() {
    const unsigned status = parser_.get().result_int();
    // Connection: close was asked for and the whole answer is read; a TLS close_notify
    // would only wait on the receiver.
    stop_waiting();
    if (status >= 200 && status < 300) {
      outcome = Result<void>();
    } else {
      outcome = failure("notify-http-status", "notify_url answered HTTP " + std::to_string(status));
    }
  }

  void finish_step(beast::error_code ec, const char* step) {
    if (abandoned_ || ec == beast::error::timeout) return finish_cancelled(step);
    finish(failure("notify-unreachable",
                   std::string("notify_url ") + step + " failed: " + ec.message()));
  }

  /// The step was cut short: by abandon(), else by its deadline.
  void finish_cancelled(const char* step) {
    if (abandoned_) return finish(failure("notify-cancelled", "delivery abandoned at shutdown"));
    finish(failure("notify-timeout", std::string("notify_url timed out (") + step + ")"));
  }

  void finish(Error error) {
    stop_waiting();
    if (!outcome) outcome = std::move(error);  // the first ending is the one that counts
  }

  void stop_waiting() {
    lookup_deadline_.cancel();
    if (resolver_) resolver_->cancel();
    beast::error_code ignored;
    tcp().socket().shutdown(tcp::socket::shutdown_both, ignored);
    tcp().cancel();
  }

  const HttpNotifierOptions& options_;
  const NotifyUrl& url_;
  asio::io_context& io_;
  std::chrono::steady_clock::time_point reach_deadline_;
  asio::steady_timer lookup_deadline_;
  std::unique_ptr<DnsResolver> resolver_;
  std::optional<beast::tcp_stream> plain_;
  std::optional<beast::ssl_stream<beast::tcp_stream>> tls_;
  beast::flat_buffer buffer_;
  http::response_parser<http::string_body> parser_;
  http::request<http::string_body>* request_ = nullptr;
  bool abandoned_ = false;
  bool lookup_timed_out_ = false;
};

}  // namespace

HttpNotifier::HttpNotifier(HttpNotifierOptions options) : options_(std::move(options)) {
  // Without an extra CA file there is nothing to read, so this cannot fail.
  if (!options_.tls) options_.tls = make_tls_client_context(std::nullopt).value();
}

Result<void> HttpNotifier::post_json(const NotifyUrl& url, const HeaderList& headers,
                                     std::string_view body, const std::atomic<bool>* cancel) const {
  http::request<http::string_body> request{http::verb::post, url.target, 11};
  request.set(http::field::host, url.host_header());
  request.set(http::field::user_agent, "opp-payment-notify");
  request.set(http::field::content_type, "application/json");
  request.set(http::field::connection, "close");
  for (const auto& [name, value] : headers) request.set(name, value);
  request.body() = std::string(body);
  request.prepare_payload();

  asio::io_context io;
  Exchange exchange(io, options_, url);
  exchange.start(request);
  // Runs in slices so a stopping dispatcher is not held up by a slow merchant.
  while (!io.stopped()) {
    io.run_for(kCancelCheckInterval);
    if (cancel != nullptr && cancel->load() && !exchange.outcome) exchange.abandon();
  }
  if (!exchange.outcome) return failure("notify-unreachable", "notify_url request did not finish");
  return std::move(*exchange.outcome);
}

}  // namespace opp::payment
