#pragma once
// A session over its stream: plain TCP (PlainSession) or TLS over TCP (TlsSession). One
// class template, so both speak HTTP/1.1 through the same code (keep-alive, pipelining,
// limits, timeouts) and the plain one pays nothing for TLS. The shared members are in
// basic_http_session_impl.hpp, instantiated for plain TCP in http_session.cpp and for TLS
// in tls_session.cpp (with the members only TLS has).
//
// Runs entirely on its io thread (each io_context has one thread), so nothing here locks.
// Timeouts: the first byte of a request must come within idle_timeout, the rest of its
// head within header_timeout, its body within body_timeout; a slow client is dropped.
//
// TLS: the connection's first byte must open a TLS handshake record; anything else is
// answered a plain-HTTP 400 `http-on-tls-port` and closed. The handshake, from accept to
// its end, must be over within header_timeout, like a request head. A TLS session keeps
// the context it was accepted with for its whole life, and closes with close_notify.

#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/basic_stream.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <array>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>

#include "gateway/http/http_session.hpp"

namespace opp::gateway::http {

using TcpStream =
    boost::beast::basic_stream<boost::asio::ip::tcp, boost::asio::io_context::executor_type>;
using TlsStream = boost::beast::ssl_stream<TcpStream>;

/// An answer owed on a connection, in request order.
struct ResponseSlot {
  std::string request_id;
  bool http10 = false;  ///< the request was HTTP/1.0: keep-alive must be said
  bool head = false;    ///< HEAD: the answer carries no body
  bool ready = false;
  bool close = false;  ///< the connection closes after this answer
  std::string wire;    ///< the whole answer, head and body, as sent
};

template <class Stream>
class BasicHttpSession final : public HttpSession,
                               public std::enable_shared_from_this<BasicHttpSession<Stream>> {
 public:
  static constexpr bool kTls = std::is_same_v<Stream, TlsStream>;

  BasicHttpSession(Socket socket, SessionHost& host) requires(!kTls);
  /// `context`: the TLS listener's at accept, kept while the connection lives.
  BasicHttpSession(Socket socket, SessionHost& host,
                   std::shared_ptr<boost::asio::ssl::context> context) requires(kTls);
  ~BasicHttpSession() override;
  BasicHttpSession(const BasicHttpSession&) = delete;
  BasicHttpSession& operator=(const BasicHttpSession&) = delete;

  void start();
  void drain() override;

 private:
  using Slot = ResponseSlot;

  std::shared_ptr<BasicHttpSession> self() { return this->shared_from_this(); }
  /// The TCP layer: timeouts, the socket, lingering. The stream itself for plain HTTP.
  TcpStream& tcp() { return boost::beast::get_lowest_layer(stream_); }
  void opened();

  void accept_tls() requires(kTls);
  void on_handshake(boost::beast::error_code ec) requires(kTls);
  void answer_plain_http() requires(kTls);
  void close_tls() requires(kTls);

  void wait_for_request();
  void read_header();
  void on_header(boost::beast::error_code ec);
  void read_body();
  void on_body(boost::beast::error_code ec);
  void dispatch();
  void refuse(const Error& error);
  void stop_reading();
  void deliver(uint64_t sequence, OutgoingResponse response) override;
  void write_next();
  void on_written(boost::beast::error_code ec, bool close);
  bool reading_paused() const;
  void close();
  void linger(size_t discarded);

  static constexpr size_t kMaxLingerBytes = 1 << 20;

  std::shared_ptr<boost::asio::ssl::context> tls_context_;  ///< before stream_, which uses it
  Stream stream_;
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  SessionHost& host_;
  std::string client_address_;
  // Answers in request order: slots_[i] is the answer to request first_sequence_ + i.
  std::deque<Slot> slots_;
  uint64_t first_sequence_ = 0;
  std::array<char, 4096> linger_buffer_;
  bool reading_ = false;  ///< a read (or the TLS handshake) is in progress
  bool writing_ = false;
  bool stop_reading_ = false;  ///< no more requests on this connection
  bool closed_ = false;
  bool tls_established_ = false;  ///< the handshake is done: closing says close_notify
};

using PlainSession = BasicHttpSession<TcpStream>;
using TlsSession = BasicHttpSession<TlsStream>;
extern template class BasicHttpSession<TcpStream>;
extern template class BasicHttpSession<TlsStream>;

}  // namespace opp::gateway::http
