// The members only TLS sessions have: the first byte checked, the handshake, the plain-HTTP
// answer to a client that speaks no TLS, close_notify. Instantiates TlsSession.
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/stream_base.hpp>

#include "gateway/http/basic_http_session_impl.hpp"

namespace opp::gateway::http {
namespace {

/// The content type of a TLS record that opens a handshake (RFC 8446 §5.1).
constexpr uint8_t kTlsHandshakeRecord = 0x16;
/// A ClientHello is one record of a few hundred bytes; the handshake reads any rest.
constexpr size_t kFirstReadBytes = 4096;

HandshakeFailure failure_of(const beast::error_code& ec) {
  if (ec == beast::error::timeout) return HandshakeFailure::kTimeout;
  if (ec == boost::asio::error::eof || ec == boost::asio::error::connection_reset ||
      ec == boost::asio::error::broken_pipe || ec == boost::asio::ssl::error::stream_truncated)
    return HandshakeFailure::kClosed;
  return HandshakeFailure::kProtocol;
}

}  // namespace

template <class Stream>
BasicHttpSession<Stream>::BasicHttpSession(
    Socket socket, SessionHost& host,
    std::shared_ptr<boost::asio::ssl::context> context) requires(kTls)
    : tls_context_(std::move(context)), stream_(std::move(socket), *tls_context_), host_(host) {
  opened();
}

template <class Stream>
void BasicHttpSession<Stream>::accept_tls() requires(kTls) {
  // The handshake, its first byte included, gets the time of a request head: a client
  // that connects and stalls is dropped like a slow one.
  reading_ = true;
  tcp().expires_after(milliseconds(host_.limits.http.header_timeout_ms));
  tcp().async_read_some(
      buffer_.prepare(kFirstReadBytes), [self = self()](beast::error_code ec, size_t n) {
        if (self->closed_) return;
        if (ec) return self->on_handshake(ec);
        self->buffer_.commit(n);
        if (static_cast<const uint8_t*>(self->buffer_.data().data())[0] != kTlsHandshakeRecord)
          return self->answer_plain_http();
        // The bytes read so far go to the handshake first; it reads the rest itself.
        self->stream_.async_handshake(boost::asio::ssl::stream_base::server, self->buffer_.data(),
                                      [self](beast::error_code handshake_ec, size_t used) {
                                        self->buffer_.consume(used);
                                        self->on_handshake(handshake_ec);
                                      });
      });
}

template <class Stream>
void BasicHttpSession<Stream>::on_handshake(beast::error_code ec) requires(kTls) {
  reading_ = false;
  if (closed_) return;
  if (ec) {
    if (ec != boost::asio::error::operation_aborted) host_.tls_handshakes.fail(failure_of(ec));
    stop_reading();
    return close();
  }
  host_.tls_handshakes.completed.fetch_add(1, std::memory_order_relaxed);
  tls_established_ = true;
  if (stop_reading_) return close();  // drained meanwhile
  wait_for_request();
}

// As nginx does: a plain-HTTP answer, unencrypted, since the client speaks plain HTTP.
template <class Stream>
void BasicHttpSession<Stream>::answer_plain_http() requires(kTls) {
  host_.tls_handshakes.fail(HandshakeFailure::kHttpOnTlsPort);
  reading_ = false;
  stop_reading();
  Slot slot;
  slot.request_id = host_.request_ids.next();
  slot.close = true;
  const OutgoingResponse response = host_.handler->refuse(
      detail::http_error("http-on-tls-port", "plain HTTP sent to the TLS port: use https://"),
      slot.request_id);
  slot.wire = detail::serialize(response, slot);
  slots_.push_back(std::move(slot));
  writing_ = true;
  tcp().expires_after(milliseconds(host_.limits.http.body_timeout_ms));
  boost::asio::async_write(tcp(), boost::asio::buffer(slots_.front().wire),
                           [self = self()](beast::error_code, size_t) {
                             self->writing_ = false;
                             self->close();
                           });
}

// close_notify, then the client's (OpenSSL drops what the client still sends meanwhile),
// bounded in time like the lingering close.
template <class Stream>
void BasicHttpSession<Stream>::close_tls() requires(kTls) {
  if (reading_ || writing_ || !tcp().socket().is_open()) return tcp().close();
  tcp().expires_after(std::chrono::seconds(2));
  stream_.async_shutdown([self = self()](beast::error_code) { self->tcp().close(); });
}

template class BasicHttpSession<TlsStream>;

}  // namespace opp::gateway::http
