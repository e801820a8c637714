#pragma once
// One client connection: reads requests (keep-alive, pipelined up to a bound), hands each
// to the thread's RequestHandler and writes the answers back in request order.
//
// Runs entirely on its io thread (each io_context has one thread), so nothing here locks.
// Timeouts: the first byte of a request must come within idle_timeout, the rest of its
// head within header_timeout, its body within body_timeout; a slow client is dropped.

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/basic_stream.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include <array>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "gateway/config/gateway_config.hpp"
#include "gateway/http/request_handler.hpp"
#include "gateway/http/request_id.hpp"

namespace opp::gateway::http {

/// Limits a session applies, from the config.
struct SessionLimits {
  uint32_t max_header_bytes = 65536;
  uint32_t max_body_bytes = 1048576;
  config::HttpConfig http;
};

/// What the sessions of one io thread share: their handler, limits, id generator and the
/// set of open sessions (for draining at shutdown).
struct SessionHost {
  RequestHandler* handler = nullptr;
  SessionLimits limits;
  /// When set and true, every header is copied into IncomingRequest::headers (plugins
  /// may read them); else only the few the gateway itself reads are. Flipped by reloads.
  const std::atomic<bool>* keep_headers = nullptr;
  RequestIdGenerator request_ids;
  bool draining = false;
  std::vector<HttpSession*> sessions;
  /// Called on the io thread when a session ends (connection accounting).
  std::function<void()> on_session_closed;
};

/// Sessions are bound to their io_context's own executor type, not the type-erased
/// any_io_executor: every handler of every read and write would otherwise copy and destroy
/// a type-erased executor (measured at ~3 % of the gateway's CPU).
using Socket =
    boost::asio::basic_stream_socket<boost::asio::ip::tcp, boost::asio::io_context::executor_type>;

class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(Socket socket, SessionHost& host);
  ~HttpSession();
  HttpSession(const HttpSession&) = delete;
  HttpSession& operator=(const HttpSession&) = delete;

  void start();
  /// Shutdown: no new requests; close once the answers of requests read so far are written.
  void drain();

 private:
  friend class Responder;
  struct Slot {
    std::string request_id;
    bool http10 = false;  ///< the request was HTTP/1.0: keep-alive must be said
    bool head = false;    ///< HEAD: the answer carries no body
    bool ready = false;
    bool close = false;  ///< the connection closes after this answer
    std::string wire;    ///< the whole answer, head and body, as sent
  };

  void wait_for_request();
  void read_header();
  void on_header(boost::beast::error_code ec);
  void read_body();
  void on_body(boost::beast::error_code ec);
  void dispatch();
  void refuse(const Error& error);
  void stop_reading();
  void deliver(uint64_t sequence, OutgoingResponse response);
  void write_next();
  void on_written(boost::beast::error_code ec, bool close);
  bool reading_paused() const;
  void close();
  void linger(size_t discarded);

  static constexpr size_t kMaxLingerBytes = 1 << 20;

  /// The answer's bytes: status line, headers (Content-Length, X-Request-Id and
  /// Connection added), body. One buffer, one write: cheaper than Beast's serializer,
  /// which walks a buffer sequence of every header field.
  static std::string serialize(const OutgoingResponse& response, const Slot& slot);

  boost::beast::basic_stream<boost::asio::ip::tcp, boost::asio::io_context::executor_type> stream_;
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  SessionHost& host_;
  std::string client_address_;
  // Answers in request order: slots_[i] is the answer to request first_sequence_ + i.
  std::deque<Slot> slots_;
  uint64_t first_sequence_ = 0;
  std::array<char, 4096> linger_buffer_;
  bool reading_ = false;  ///< a read is in progress
  bool writing_ = false;
  bool stop_reading_ = false;  ///< no more requests on this connection
  bool closed_ = false;
};

}  // namespace opp::gateway::http
