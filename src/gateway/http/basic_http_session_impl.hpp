#pragma once
// The members of BasicHttpSession both streams share, included only by the two files that
// instantiate the template: http_session.cpp (plain) and tls_session.cpp (TLS, with the
// members only it has). Two translation units rather than one: with both instantiations
// in one unit GCC inlined less into the plain session (callgrind, instructions per plain
// request against the build before TLS: +0.5 % in one unit, -0.7 % in two).

#include <boost/asio/write.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/status.hpp>

#include <algorithm>
#include <chrono>
#include <string>
#include <string_view>

#include "gateway/http/basic_http_session.hpp"

namespace opp::gateway::http {
namespace detail {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

inline constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

inline Method method_of(bhttp::verb verb) {
  switch (verb) {
    case bhttp::verb::get:
      return Method::kGet;
    case bhttp::verb::head:
      return Method::kHead;
    case bhttp::verb::post:
      return Method::kPost;
    case bhttp::verb::options:
      return Method::kOptions;
    default:
      return Method::kOther;
  }
}

// Beast 1.74 speaks boost::string_view.
inline std::string_view view(boost::beast::string_view s) {
  return {s.data(), s.size()};
}

inline Error http_error(std::string sub_code, std::string message) {
  return Error{ErrorCode::kBadRequest, std::move(sub_code), std::move(message), ""};
}

/// The answer's bytes: status line, headers (Content-Length, X-Request-Id and Connection
/// added), body (http_session.cpp).
std::string serialize(const OutgoingResponse& response, const ResponseSlot& slot);

}  // namespace detail

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using std::chrono::milliseconds;

template <class Stream>
void BasicHttpSession<Stream>::opened() {
  boost::system::error_code ec;
  auto remote = tcp().socket().remote_endpoint(ec);
  if (!ec) client_address_ = remote.address().to_string();
  tcp().socket().set_option(boost::asio::ip::tcp::no_delay(true), ec);
  host_.sessions.push_back(this);
}

template <class Stream>
BasicHttpSession<Stream>::~BasicHttpSession() {
  auto& sessions = host_.sessions;
  sessions.erase(std::remove(sessions.begin(), sessions.end(), this), sessions.end());
  if (host_.on_session_closed) host_.on_session_closed();
}

template <class Stream>
void BasicHttpSession<Stream>::start() {
  if (host_.draining) return close();
  if constexpr (kTls)
    accept_tls();
  else
    wait_for_request();
}

template <class Stream>
void BasicHttpSession<Stream>::drain() {
  stop_reading();
  // A read waiting for the first byte of a request has nothing in flight, and a TLS
  // handshake no request yet: end them now.
  const bool between_requests = buffer_.size() == 0 && !parser_;
  if (reading_ && (between_requests || (kTls && !tls_established_))) {
    beast::error_code ec;
    tcp().socket().cancel(ec);
  }
  if (!reading_ && slots_.empty()) close();
}

template <class Stream>
bool BasicHttpSession<Stream>::reading_paused() const {
  return slots_.size() >= std::max<uint32_t>(1, host_.limits.http.max_pipelined);
}

template <class Stream>
void BasicHttpSession<Stream>::stop_reading() {
  stop_reading_ = true;
}

template <class Stream>
void BasicHttpSession<Stream>::wait_for_request() {
  if (closed_ || reading_ || stop_reading_ || reading_paused()) return;
  reading_ = true;
  if (buffer_.size() > 0) return read_header();
  // Waiting for a request's first byte: the idle timeout; then the head has its own.
  tcp().expires_after(milliseconds(host_.limits.http.idle_timeout_ms));
  stream_.async_read_some(buffer_.prepare(8192), [self = self()](beast::error_code ec, size_t n) {
    if (self->closed_) return;
    if (ec) {
      self->reading_ = false;
      self->stop_reading();
      if (self->slots_.empty()) self->close();
      return;
    }
    self->buffer_.commit(n);
    self->read_header();
  });
}

template <class Stream>
void BasicHttpSession<Stream>::read_header() {
  parser_.emplace();
  parser_->header_limit(host_.limits.max_header_bytes);
  parser_->body_limit(host_.limits.max_body_bytes);
  tcp().expires_after(milliseconds(host_.limits.http.header_timeout_ms));
  bhttp::async_read_header(stream_, buffer_, *parser_,
                           [self = self()](beast::error_code ec, size_t) { self->on_header(ec); });
}

template <class Stream>
void BasicHttpSession<Stream>::on_header(beast::error_code ec) {
  if (closed_) return;
  if (ec == bhttp::error::header_limit)
    return refuse(detail::http_error(
        "header-too-large",
        "request head exceeds " + std::to_string(host_.limits.max_header_bytes) + " bytes"));
  if (ec == bhttp::error::end_of_stream || ec == beast::error::timeout ||
      ec == boost::asio::error::operation_aborted || ec == boost::asio::error::connection_reset) {
    reading_ = false;
    stop_reading();
    if (slots_.empty()) close();
    return;
  }
  if (ec == bhttp::error::body_limit)  // the Content-Length already says so
    return refuse(detail::http_error(
        "body-too-large",
        "body exceeds the limit of " + std::to_string(host_.limits.max_body_bytes) + " bytes"));
  if (ec)
    return refuse(detail::http_error("malformed-http", "malformed HTTP request: " + ec.message()));
  if (auto length = parser_->content_length(); length && *length > host_.limits.max_body_bytes)
    return refuse(detail::http_error(
        "body-too-large", "body of " + std::to_string(*length) + " bytes exceeds the limit of " +
                              std::to_string(host_.limits.max_body_bytes)));
  if (parser_->is_done()) return dispatch();
  const auto& head = parser_->get();
  auto expect = head.find(bhttp::field::expect);
  // 100 Continue is only correct while no earlier answer is still owed on the connection.
  if (expect != head.end() && beast::iequals(expect->value(), "100-continue") && slots_.empty() &&
      !writing_) {
    writing_ = true;
    tcp().expires_after(milliseconds(host_.limits.http.body_timeout_ms));
    boost::asio::async_write(
        stream_, boost::asio::buffer(detail::kContinue.data(), detail::kContinue.size()),
        [self = self()](beast::error_code write_ec, size_t) {
          self->writing_ = false;
          if (self->closed_) return;
          if (write_ec) return self->close();
          self->read_body();
        });
    return;
  }
  read_body();
}

template <class Stream>
void BasicHttpSession<Stream>::read_body() {
  tcp().expires_after(milliseconds(host_.limits.http.body_timeout_ms));
  bhttp::async_read(stream_, buffer_, *parser_,
                    [self = self()](beast::error_code ec, size_t) { self->on_body(ec); });
}

template <class Stream>
void BasicHttpSession<Stream>::on_body(beast::error_code ec) {
  if (closed_) return;
  if (ec == bhttp::error::body_limit)
    return refuse(detail::http_error(
        "body-too-large",
        "body exceeds the limit of " + std::to_string(host_.limits.max_body_bytes) + " bytes"));
  if (ec == beast::error::timeout || ec == boost::asio::error::operation_aborted ||
      ec == boost::asio::error::connection_reset || ec == bhttp::error::end_of_stream ||
      ec == bhttp::error::partial_message) {
    // The client stopped sending mid-body: there is no request to answer.
    reading_ = false;
    stop_reading();
    if (slots_.empty()) close();
    return;
  }
  if (ec)
    return refuse(detail::http_error("malformed-http", "malformed HTTP request: " + ec.message()));
  dispatch();
}

template <class Stream>
void BasicHttpSession<Stream>::dispatch() {
  bhttp::request<bhttp::string_body> message = parser_->release();
  parser_.reset();
  reading_ = false;

  IncomingRequest request;
  request.method = detail::method_of(message.method());
  request.target = std::string(detail::view(message.target()));
  if (auto it = message.find(bhttp::field::content_type); it != message.end())
    request.content_type = std::string(detail::view(it->value()));
  if (auto it = message.find(bhttp::field::origin); it != message.end())
    request.origin = std::string(detail::view(it->value()));
  if (auto it = message.find("X-Request-Id");
      it != message.end() && is_well_formed_request_id(detail::view(it->value())))
    request.request_id = std::string(detail::view(it->value()));
  else
    request.request_id = host_.request_ids.next();
  request.client_address = client_address_;
  if (host_.keep_headers && host_.keep_headers->load(std::memory_order_relaxed)) {
    size_t fields = 0, bytes = 0;
    for (const auto& field : message) {
      ++fields;
      bytes += field.name_string().size() + field.value().size();
    }
    request.headers.reserve(fields, bytes);
    for (const auto& field : message)
      request.headers.add(detail::view(field.name_string()), detail::view(field.value()));
  }
  request.body = std::move(message.body());

  const bool keep_alive = message.keep_alive() && !host_.draining;
  if (!keep_alive) stop_reading();
  Slot slot;
  slot.request_id = request.request_id;
  slot.http10 = message.version() == 10;
  slot.head = message.method() == bhttp::verb::head;
  slot.close = !keep_alive;
  slots_.push_back(std::move(slot));
  const uint64_t sequence = first_sequence_ + slots_.size() - 1;
  host_.handler->handle(std::move(request), Responder(self(), sequence));
  wait_for_request();  // pipelining: the next request may already be in the buffer
}

template <class Stream>
void BasicHttpSession<Stream>::refuse(const Error& error) {
  parser_.reset();
  reading_ = false;
  stop_reading();
  std::string request_id = host_.request_ids.next();
  Slot slot;
  slot.request_id = request_id;
  slot.close = true;
  slots_.push_back(std::move(slot));
  OutgoingResponse response = host_.handler->refuse(error, request_id);
  deliver(first_sequence_ + slots_.size() - 1, std::move(response));
}

template <class Stream>
void BasicHttpSession<Stream>::deliver(uint64_t sequence, OutgoingResponse response) {
  if (closed_ || sequence < first_sequence_ || sequence - first_sequence_ >= slots_.size()) return;
  Slot& slot = slots_[sequence - first_sequence_];
  if (response.close || host_.draining) {
    slot.close = true;
    stop_reading();
  }
  slot.wire = detail::serialize(response, slot);
  slot.ready = true;
  write_next();
}

template <class Stream>
void BasicHttpSession<Stream>::write_next() {
  if (closed_ || writing_ || slots_.empty() || !slots_.front().ready) return;
  writing_ = true;
  const bool close_after = slots_.front().close;
  tcp().expires_after(milliseconds(host_.limits.http.body_timeout_ms));
  boost::asio::async_write(stream_, boost::asio::buffer(slots_.front().wire),
                           [self = self(), close_after](beast::error_code ec, size_t) {
                             self->on_written(ec, close_after);
                           });
}

template <class Stream>
void BasicHttpSession<Stream>::on_written(beast::error_code ec, bool close_after) {
  writing_ = false;
  if (closed_) return;
  if (ec) return close();
  slots_.pop_front();
  ++first_sequence_;
  if (close_after || (stop_reading_ && slots_.empty() && !reading_)) return close();
  wait_for_request();  // reading may have paused on the pipelining bound
  write_next();
}

template <class Stream>
void BasicHttpSession<Stream>::close() {
  if (closed_) return;
  closed_ = true;
  if constexpr (kTls) {
    if (tls_established_) return close_tls();
  }
  beast::error_code ec;
  tcp().socket().shutdown(boost::asio::ip::tcp::socket::shutdown_send, ec);
  if (ec || reading_ || writing_) return tcp().close();  // one read at a time on a stream
  // Lingering close: closing with unread input would send a RST that can destroy the last
  // answer before the client reads it (a 413 with its body still arriving, say). Read and
  // drop what the client still sends, bounded in time and bytes, then close.
  tcp().expires_after(std::chrono::seconds(2));
  linger(0);
}

template <class Stream>
void BasicHttpSession<Stream>::linger(size_t discarded) {
  if (discarded > kMaxLingerBytes) return tcp().close();
  tcp().async_read_some(boost::asio::buffer(linger_buffer_),
                        [self = self(), discarded](beast::error_code ec, size_t n) {
                          if (ec) return self->tcp().close();
                          self->linger(discarded + n);
                        });
}

}  // namespace opp::gateway::http
