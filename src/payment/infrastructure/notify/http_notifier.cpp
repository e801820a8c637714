#include "payment/infrastructure/notify/http_notifier.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
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

/// One request's state, driven by the handlers below on a private io_context. The
/// steps run strictly one after another, so no handler races another.
class Exchange {
 public:
  Exchange(asio::io_context& io, const HttpNotifierOptions& options, const NotifyUrl& url)
      : options_(options), url_(url), resolver_(io), stream_(io) {
    parser_.body_limit(options.max_response_bytes);
  }

  void start(http::request<http::string_body>& request) {
    request_ = &request;
    resolver_.async_resolve(url_.host, std::to_string(url_.port),
                            [this](beast::error_code ec, tcp::resolver::results_type results) {
                              if (ec) return finish(ec, "resolve");
                              connect(results);
                            });
  }

  /// Aborts whatever step is in progress; its handler then finishes with an error.
  void abandon() {
    abandoned_ = true;
    resolver_.cancel();
    stream_.cancel();
  }

  std::optional<Result<void>> outcome;

 private:
  void connect(const tcp::resolver::results_type& results) {
    stream_.expires_after(options_.connect_timeout);
    stream_.async_connect(results, [this](beast::error_code ec, const tcp::endpoint&) {
      if (ec) return finish(ec, "connect");
      stream_.expires_after(options_.response_timeout);
      http::async_write(stream_, *request_, [this](beast::error_code ec, size_t) {
        if (ec) return finish(ec, "send");
        http::async_read(stream_, buffer_, parser_, [this](beast::error_code ec, size_t) {
          if (ec) return finish(ec, "read");
          answered();
        });
      });
    });
  }

  void answered() {
    const unsigned status = parser_.get().result_int();
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    if (status >= 200 && status < 300) {
      outcome = Result<void>();
    } else {
      outcome = failure("notify-http-status", "notify_url answered HTTP " + std::to_string(status));
    }
  }

  void finish(beast::error_code ec, const char* step) {
    if (abandoned_) {
      outcome = failure("notify-cancelled", "delivery abandoned at shutdown");
    } else if (ec == beast::error::timeout) {
      outcome = failure("notify-timeout", std::string("notify_url timed out (") + step + ")");
    } else {
      outcome = failure("notify-unreachable",
                        std::string("notify_url ") + step + " failed: " + ec.message());
    }
  }

  const HttpNotifierOptions& options_;
  const NotifyUrl& url_;
  tcp::resolver resolver_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  http::response_parser<http::string_body> parser_;
  http::request<http::string_body>* request_ = nullptr;
  bool abandoned_ = false;
};

}  // namespace

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
