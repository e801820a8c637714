#pragma once
// A blocking HTTP/1.1 POST of one notification (Boost.Beast), over TLS for https://
// receivers, bounded by timeouts and abandonable from another thread so a dispatcher can
// stop promptly. Each call runs its own io_context: the name lookup (c-ares, see
// dns_resolver.hpp), the connection, the handshake and the exchange all wait there
// without blocking, so every step is under a deadline.

#include <atomic>
#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "opp/common/result.hpp"
#include "payment/infrastructure/notify/dns_resolver.hpp"
#include "payment/infrastructure/notify/notify_url.hpp"
#include "payment/infrastructure/notify/tls_client_context.hpp"

namespace opp::payment {

struct HttpNotifierOptions {
  /// For reaching the receiver: the name lookup, the TCP connection and the TLS
  /// handshake together.
  std::chrono::milliseconds connect_timeout{5000};
  /// For sending the request and receiving the whole response.
  std::chrono::milliseconds response_timeout{5000};
  /// Merchants answer with a short acknowledgement; a longer response is cut off.
  size_t max_response_bytes = 64 * 1024;
  /// Whom https:// receivers must be certified by; empty: the system CA store only.
  TlsClientContext tls;
  DnsResolverOptions dns;
};

using HeaderList = std::vector<std::pair<std::string, std::string>>;

class HttpNotifier {
 public:
  explicit HttpNotifier(HttpNotifierOptions options = {});

  /// POSTs `body` as application/json with `headers`. Success only for a 2xx status.
  /// Errors (code 10005): `notify-unreachable` (the name does not resolve, the connection
  /// or the transport fails), `notify-timeout` (the step is in the message: resolve,
  /// connect, handshake, send, read), `notify-certificate` (the receiver's certificate
  /// does not verify; OpenSSL's reason is in the message), `notify-tls` (another
  /// handshake failure), `notify-http-status` (a non-2xx answer, the status in the
  /// message), `notify-cancelled` (`*cancel` became true while waiting).
  Result<void> post_json(const NotifyUrl& url, const HeaderList& headers, std::string_view body,
                         const std::atomic<bool>* cancel = nullptr) const;

 private:
  HttpNotifierOptions options_;
};

}  // namespace opp::payment
