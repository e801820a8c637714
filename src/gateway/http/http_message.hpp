#pragma once
// What the HTTP layer hands the gateway and gets back: plain values, no Beast types, so
// the request pipeline reads without the transport's vocabulary.

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace opp::gateway::http {

enum class Method : uint8_t { kGet, kHead, kPost, kOptions, kOther };

/// One request as read off a connection. The body is owned here.
struct IncomingRequest {
  Method method = Method::kOther;
  std::string target;  ///< path and query, as sent
  std::string content_type;
  std::string origin;  ///< the Origin header, for CORS
  std::string body;
  std::string request_id;  ///< the client's X-Request-Id when well-formed, else generated
  std::string client_address;
  /// Every header as sent, only when a plugin may read them (HttpHost::keep_headers).
  std::vector<std::pair<std::string, std::string>> headers;

  /// The path part of target (before '?').
  std::string_view path() const {
    std::string_view t(target);
    return t.substr(0, t.find('?'));
  }
};

/// One response. Content-Length, Date and X-Request-Id are added by the HTTP layer.
struct OutgoingResponse {
  uint16_t status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  bool close = false;  ///< close the connection after this response
};

}  // namespace opp::gateway::http
