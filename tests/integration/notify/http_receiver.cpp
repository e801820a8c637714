#include "http_receiver.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <cctype>
#include <functional>

namespace opp::payment::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

/// One connection: (TLS handshake,) read one request, answer it (unless hanging), close.
template <typename Stream>
class Session : public std::enable_shared_from_this<Session<Stream>> {
 public:
  using Decide = std::function<unsigned(const ReceivedRequest&)>;  // 0 = do not answer
  Session(Stream stream, Decide decide, std::function<void()> on_handshake_failure)
      : stream_(std::move(stream)),
        decide_(std::move(decide)),
        on_handshake_failure_(std::move(on_handshake_failure)) {}

  void start() {
    if constexpr (std::is_same_v<Stream, tcp::socket>) {
      read();
    } else {
      stream_.async_handshake(asio::ssl::stream_base::server,
                              [self = this->shared_from_this()](beast::error_code ec) {
                                if (ec) return self->on_handshake_failure_();
                                self->read();
                              });
    }
  }

 private:
  void read() {
    http::async_read(stream_, buffer_, request_,
                     [self = this->shared_from_this()](beast::error_code ec, size_t) {
                       if (!ec) self->on_request();
                     });
  }

  void on_request() {
    ReceivedRequest received;
    received.method = std::string(request_.method_string());
    received.target = std::string(request_.target());
    for (const auto& field : request_) {
      std::string name(field.name_string());
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      received.headers[name] = std::string(field.value());
    }
    received.body = request_.body();
    const unsigned status = decide_(received);
    if (status == 0) {
      // Keep the connection open and silent until the server stops.
      http::async_read(stream_, buffer_, request_,
                       [self = this->shared_from_this()](beast::error_code, size_t) {});
      return;
    }
    response_.result(status);
    response_.version(11);
    response_.set(http::field::content_type, "text/plain");
    if (status != 204 && status != 304) {
      response_.body() = status >= 200 && status < 300 ? "success" : "fail";
    }
    response_.keep_alive(false);
    response_.prepare_payload();
    http::async_write(
        stream_, response_, [self = this->shared_from_this()](beast::error_code, size_t) {
          beast::error_code ignored;
          beast::get_lowest_layer(self->stream_).shutdown(tcp::socket::shutdown_send, ignored);
        });
  }

  Stream stream_;
  Decide decide_;
  std::function<void()> on_handshake_failure_;
  beast::flat_buffer buffer_;
  http::request<http::string_body> request_;
  http::response<http::string_body> response_;
};

}  // namespace

struct HttpReceiver::Impl {
  asio::io_context io;
  tcp::acceptor acceptor{io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)};
  std::optional<asio::ssl::context> tls;

  void accept(HttpReceiver* owner) {
    acceptor.async_accept([this, owner](beast::error_code ec, tcp::socket socket) {
      if (ec) return;
      auto decide = [owner](const ReceivedRequest& request) { return owner->next_status(request); };
      auto failed = [owner] { owner->handshake_failed(); };
      if (tls) {
        using TlsStream = asio::ssl::stream<tcp::socket>;
        std::make_shared<Session<TlsStream>>(TlsStream(std::move(socket), *tls), decide, failed)
            ->start();
      } else {
        std::make_shared<Session<tcp::socket>>(std::move(socket), decide, failed)->start();
      }
      accept(owner);
    });
  }
};

HttpReceiver::HttpReceiver(std::optional<CertifiedKey> tls) : impl_(std::make_unique<Impl>()) {
  if (tls) {
    impl_->tls.emplace(asio::ssl::context::tls_server);
    impl_->tls->use_certificate_chain(asio::buffer(tls->certificate_pem));
    impl_->tls->use_private_key(asio::buffer(tls->private_key_pem), asio::ssl::context::pem);
  }
  port_ = impl_->acceptor.local_endpoint().port();
  impl_->accept(this);
  thread_ = std::thread([this] { impl_->io.run(); });
}

HttpReceiver::~HttpReceiver() {
  impl_->io.stop();
  thread_.join();
}

std::string HttpReceiver::url(const std::string& target) const {
  return url_for("127.0.0.1", target);
}

std::string HttpReceiver::url_for(const std::string& host, const std::string& target) const {
  return (impl_->tls ? "https://" : "http://") + host + ":" + std::to_string(port_) + target;
}

void HttpReceiver::script(std::vector<unsigned> statuses, unsigned status_after_script) {
  std::lock_guard lock(mutex_);
  script_.assign(statuses.begin(), statuses.end());
  status_after_script_ = status_after_script;
}

void HttpReceiver::hang(bool hang) {
  std::lock_guard lock(mutex_);
  hang_ = hang;
}

unsigned HttpReceiver::next_status(const ReceivedRequest& request) {
  std::lock_guard lock(mutex_);
  requests_.push_back(request);
  arrived_.notify_all();
  if (hang_) return 0;
  if (script_.empty()) return status_after_script_;
  const unsigned status = script_.front();
  script_.pop_front();
  return status;
}

void HttpReceiver::handshake_failed() {
  std::lock_guard lock(mutex_);
  ++tls_failures_;
}

size_t HttpReceiver::tls_failures() const {
  std::lock_guard lock(mutex_);
  return tls_failures_;
}

std::vector<ReceivedRequest> HttpReceiver::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

bool HttpReceiver::wait_for_requests(size_t count, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  return arrived_.wait_for(lock, timeout, [&] { return requests_.size() >= count; });
}

}  // namespace opp::payment::test
