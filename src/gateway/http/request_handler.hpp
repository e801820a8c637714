#pragma once
// The seam between the HTTP layer and the gateway: one handler per io thread, called on
// that thread for every request read off one of its connections.

#include <cstdint>
#include <memory>
#include <string_view>

#include "gateway/http/http_message.hpp"
#include "opp/common/error.hpp"

namespace opp::gateway::http {

class HttpSession;

/// Answers one request. Move-only; call it exactly once, on the connection's io thread
/// (the thread the request was handed over on). Responses go out in request order
/// however the answers arrive. If the connection is gone, the answer is dropped.
class Responder {
 public:
  Responder(std::shared_ptr<HttpSession> session, uint64_t sequence)
      : session_(std::move(session)), sequence_(sequence) {}
  Responder(Responder&&) noexcept = default;
  Responder& operator=(Responder&&) noexcept = default;
  Responder(const Responder&) = delete;
  Responder& operator=(const Responder&) = delete;

  void operator()(OutgoingResponse response);

 private:
  std::shared_ptr<HttpSession> session_;
  uint64_t sequence_;
};

class RequestHandler {
 public:
  virtual ~RequestHandler() = default;
  /// Handles `request`; answers through `respond`, now or later.
  virtual void handle(IncomingRequest request, Responder respond) = 0;
  /// The response to a request the HTTP layer refused before it was complete (malformed,
  /// head or body too large): a JSON error body of the gateway's envelope.
  virtual OutgoingResponse refuse(const Error& error, std::string_view request_id) = 0;
};

}  // namespace opp::gateway::http
