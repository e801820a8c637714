#pragma once
// A merchant's notify_url, split into what an HTTP/1.1 client needs: http:// or
// https:// (delivered over TLS with the receiver's certificate verified).

#include <cstdint>
#include <string>
#include <string_view>

#include "opp/common/result.hpp"

namespace opp::payment {

struct NotifyUrl {
  bool tls = false;  ///< https://
  std::string host;  ///< name or IP literal, IPv6 without brackets
  uint16_t port = 80;
  std::string target;  ///< path and query, at least "/"; the fragment is dropped
  /// The Host header value: host, bracketed if IPv6, with ":port" unless the scheme's
  /// default (80, 443).
  std::string host_header() const;
  /// "scheme://host:port", the host lowercased: one receiver, whatever the path.
  std::string origin() const;
};

/// Parses "http[s]://host[:port][/path][?query][#fragment]". Errors: 10001
/// `invalid-notify-url` (another scheme, user info, a bad port, or characters outside
/// printable ASCII, which would let a URL smuggle headers into the request).
Result<NotifyUrl> parse_notify_url(std::string_view url);

}  // namespace opp::payment
