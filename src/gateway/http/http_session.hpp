#pragma once
// One client connection: reads requests (keep-alive, pipelined up to a bound), hands each
// to the thread's RequestHandler and writes the answers back in request order. This
// header has what every session shares; the sessions themselves, plain and TLS, are
// basic_http_session.hpp.

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <cstdint>
#include <functional>
#include <vector>

#include "gateway/config/gateway_config.hpp"
#include "gateway/http/request_handler.hpp"
#include "gateway/http/request_id.hpp"
#include "gateway/http/tls_stats.hpp"

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
  HandshakeCounters tls_handshakes;  ///< of this thread's TLS sessions
  /// Called on the io thread when a session ends (connection accounting).
  std::function<void()> on_session_closed;
};

/// Sessions are bound to their io_context's own executor type, not the type-erased
/// any_io_executor: every handler of every read and write would otherwise copy and destroy
/// a type-erased executor (measured at ~3 % of the gateway's CPU).
using Socket =
    boost::asio::basic_stream_socket<boost::asio::ip::tcp, boost::asio::io_context::executor_type>;

/// A session whatever its stream (plain TCP or TLS, basic_http_session.hpp): what the
/// server and a Responder see of it.
class HttpSession {
 public:
  virtual ~HttpSession() = default;
  /// Shutdown: no new requests; close once the answers of requests read so far are written.
  virtual void drain() = 0;

 private:
  friend class Responder;
  /// The answer to request `sequence` of the connection; dropped once it is closed.
  virtual void deliver(uint64_t sequence, OutgoingResponse response) = 0;
};

}  // namespace opp::gateway::http
