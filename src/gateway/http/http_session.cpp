#include "gateway/http/http_session.hpp"

#include <boost/asio/write.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/status.hpp>

#include <algorithm>
#include <chrono>

namespace opp::gateway::http {
namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using std::chrono::milliseconds;

constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

Method method_of(bhttp::verb verb) {
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
std::string_view view(boost::beast::string_view s) {
  return {s.data(), s.size()};
}

Error http_error(std::string sub_code, std::string message) {
  return Error{ErrorCode::kBadRequest, std::move(sub_code), std::move(message), ""};
}

}  // namespace

void Responder::operator()(OutgoingResponse response) {
  if (session_) session_->deliver(sequence_, std::move(response));
  session_.reset();
}

HttpSession::HttpSession(Socket socket, SessionHost& host)
    : stream_(std::move(socket)), host_(host) {
  boost::system::error_code ec;
  auto remote = stream_.socket().remote_endpoint(ec);
  if (!ec) client_address_ = remote.address().to_string();
  stream_.socket().set_option(boost::asio::ip::tcp::no_delay(true), ec);
  host_.sessions.push_back(this);
}

HttpSession::~HttpSession() {
  auto& sessions = host_.sessions;
  sessions.erase(std::remove(sessions.begin(), sessions.end(), this), sessions.end());
  if (host_.on_session_closed) host_.on_session_closed();
}

void HttpSession::start() {
  if (host_.draining) return close();
  wait_for_request();
}

void HttpSession::drain() {
  stop_reading();
  // A read waiting for the first byte of a request has nothing in flight: end it now.
  if (reading_ && buffer_.size() == 0 && !parser_) {
    beast::error_code ec;
    stream_.socket().cancel(ec);
  }
  if (!reading_ && slots_.empty()) close();
}

bool HttpSession::reading_paused() const {
  return slots_.size() >= std::max<uint32_t>(1, host_.limits.http.max_pipelined);
}

void HttpSession::stop_reading() {
  stop_reading_ = true;
}

void HttpSession::wait_for_request() {
  if (closed_ || reading_ || stop_reading_ || reading_paused()) return;
  reading_ = true;
  if (buffer_.size() > 0) return read_header();
  // Waiting for a request's first byte: the idle timeout; then the head has its own.
  stream_.expires_after(milliseconds(host_.limits.http.idle_timeout_ms));
  stream_.async_read_some(buffer_.prepare(8192),
                          [self = shared_from_this()](beast::error_code ec, size_t n) {
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

void HttpSession::read_header() {
  parser_.emplace();
  parser_->header_limit(host_.limits.max_header_bytes);
  parser_->body_limit(host_.limits.max_body_bytes);
  stream_.expires_after(milliseconds(host_.limits.http.header_timeout_ms));
  bhttp::async_read_header(
      stream_, buffer_, *parser_,
      [self = shared_from_this()](beast::error_code ec, size_t) { self->on_header(ec); });
}

void HttpSession::on_header(beast::error_code ec) {
  if (closed_) return;
  if (ec == bhttp::error::header_limit)
    return refuse(http_error(
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
    return refuse(http_error(
        "body-too-large",
        "body exceeds the limit of " + std::to_string(host_.limits.max_body_bytes) + " bytes"));
  if (ec) return refuse(http_error("malformed-http", "malformed HTTP request: " + ec.message()));
  if (auto length = parser_->content_length(); length && *length > host_.limits.max_body_bytes)
    return refuse(http_error("body-too-large", "body of " + std::to_string(*length) +
                                                   " bytes exceeds the limit of " +
                                                   std::to_string(host_.limits.max_body_bytes)));
  if (parser_->is_done()) return dispatch();
  const auto& head = parser_->get();
  auto expect = head.find(bhttp::field::expect);
  // 100 Continue is only correct while no earlier answer is still owed on the connection.
  if (expect != head.end() && beast::iequals(expect->value(), "100-continue") && slots_.empty() &&
      !writing_) {
    writing_ = true;
    stream_.expires_after(milliseconds(host_.limits.http.body_timeout_ms));
    boost::asio::async_write(stream_, boost::asio::buffer(kContinue.data(), kContinue.size()),
                             [self = shared_from_this()](beast::error_code write_ec, size_t) {
                               self->writing_ = false;
                               if (self->closed_) return;
                               if (write_ec) return self->close();
                               self->read_body();
                             });
    return;
  }
  read_body();
}

void HttpSession::read_body() {
  stream_.expires_after(milliseconds(host_.limits.http.body_timeout_ms));
  bhttp::async_read(
      stream_, buffer_, *parser_,
      [self = shared_from_this()](beast::error_code ec, size_t) { self->on_body(ec); });
}

void HttpSession::on_body(beast::error_code ec) {
  if (closed_) return;
  if (ec == bhttp::error::body_limit)
    return refuse(http_error(
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
  if (ec) return refuse(http_error("malformed-http", "malformed HTTP request: " + ec.message()));
  dispatch();
}

void HttpSession::dispatch() {
  bhttp::request<bhttp::string_body> message = parser_->release();
  parser_.reset();
  reading_ = false;

  IncomingRequest request;
  request.method = method_of(message.method());
  request.target = std::string(view(message.target()));
  if (auto it = message.find(bhttp::field::content_type); it != message.end())
    request.content_type = std::string(view(it->value()));
  if (auto it = message.find(bhttp::field::origin); it != message.end())
    request.origin = std::string(view(it->value()));
  if (auto it = message.find("X-Request-Id");
      it != message.end() && is_well_formed_request_id(view(it->value())))
    request.request_id = std::string(view(it->value()));
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
      request.headers.add(view(field.name_string()), view(field.value()));
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
  host_.handler->handle(std::move(request), Responder(shared_from_this(), sequence));
  wait_for_request();  // pipelining: the next request may already be in the buffer
}

void HttpSession::refuse(const Error& error) {
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

void HttpSession::deliver(uint64_t sequence, OutgoingResponse response) {
  if (closed_ || sequence < first_sequence_ || sequence - first_sequence_ >= slots_.size()) return;
  Slot& slot = slots_[sequence - first_sequence_];
  if (response.close || host_.draining) {
    slot.close = true;
    stop_reading();
  }
  slot.wire = serialize(response, slot);
  slot.ready = true;
  write_next();
}

void HttpSession::write_next() {
  if (closed_ || writing_ || slots_.empty() || !slots_.front().ready) return;
  writing_ = true;
  const bool close_after = slots_.front().close;
  stream_.expires_after(milliseconds(host_.limits.http.body_timeout_ms));
  boost::asio::async_write(stream_, boost::asio::buffer(slots_.front().wire),
                           [self = shared_from_this(), close_after](beast::error_code ec, size_t) {
                             self->on_written(ec, close_after);
                           });
}

void HttpSession::on_written(beast::error_code ec, bool close_after) {
  writing_ = false;
  if (closed_) return;
  if (ec) return close();
  slots_.pop_front();
  ++first_sequence_;
  if (close_after || (stop_reading_ && slots_.empty() && !reading_)) return close();
  wait_for_request();  // reading may have paused on the pipelining bound
  write_next();
}

void HttpSession::close() {
  if (closed_) return;
  closed_ = true;
  beast::error_code ec;
  stream_.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_send, ec);
  if (ec || reading_ || writing_) return stream_.close();  // one read at a time on a stream
  // Lingering close: closing with unread input would send a RST that can destroy the last
  // answer before the client reads it (a 413 with its body still arriving, say). Read and
  // drop what the client still sends, bounded in time and bytes, then close.
  stream_.expires_after(std::chrono::seconds(2));
  linger(0);
}

void HttpSession::linger(size_t discarded) {
  if (discarded > kMaxLingerBytes) return stream_.close();
  stream_.async_read_some(boost::asio::buffer(linger_buffer_),
                          [self = shared_from_this(), discarded](beast::error_code ec, size_t n) {
                            if (ec) return self->stream_.close();
                            self->linger(discarded + n);
                          });
}

std::string HttpSession::serialize(const OutgoingResponse& response, const Slot& slot) {
  const auto status = static_cast<bhttp::status>(response.status);
  const beast::string_view reason = bhttp::obsolete_reason(status);
  std::string out;
  size_t headers = 0;
  for (const auto& [name, value] : response.headers) headers += name.size() + value.size() + 4;
  out.reserve(160 + slot.request_id.size() + response.content_type.size() + headers +
              response.body.size());
  out += "HTTP/1.1 ";
  out += std::to_string(response.status);
  out += ' ';
  out.append(reason.data(), reason.size());
  out += "\r\nServer: opp-gateway";
  // 204 and 304 carry no content, and RFC 9110 forbids Content-Length on a 204.
  const bool no_content = response.status == 204 || response.status == 304;
  if (!no_content) {
    out += "\r\nContent-Type: ";
    out += response.content_type;
    out += "\r\nContent-Length: ";
    out += std::to_string(response.body.size());
  }
  out += "\r\nX-Request-Id: ";
  out += slot.request_id;
  for (const auto& [name, value] : response.headers) {
    out += "\r\n";
    out += name;
    out += ": ";
    out += value;
  }
  if (slot.close)
    out += "\r\nConnection: close";
  else if (slot.http10)
    out += "\r\nConnection: keep-alive";
  out += "\r\n\r\n";
  if (!slot.head && !no_content) out += response.body;
  return out;
}

}  // namespace opp::gateway::http
