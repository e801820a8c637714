#pragma once
// A blocking HTTP/1.1 POST of one notification (Boost.Beast), bounded by timeouts and
// abandonable from another thread so a dispatcher can stop promptly.

#include <atomic>
#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "opp/common/result.hpp"
#include "payment/infrastructure/notify/notify_url.hpp"

namespace opp::payment {

struct HttpNotifierOptions {
  std::chrono::milliseconds connect_timeout{5000};
  /// For sending the request and receiving the whole response.
  std::chrono::milliseconds response_timeout{5000};
  /// Merchants answer with a short acknowledgement; a longer response is cut off.
  size_t max_response_bytes = 64 * 1024;
};

using HeaderList = std::vector<std::pair<std::string, std::string>>;

class HttpNotifier {
 public:
  explicit HttpNotifier(HttpNotifierOptions options = {}) : options_(options) {}

  /// POSTs `body` as application/json with `headers`. Success only for a 2xx status.
  /// Errors (code 10005): `notify-unreachable` (resolve/connect/transport failure),
  /// `notify-timeout`, `notify-http-status` (a non-2xx answer, the status in the message),
  /// `notify-cancelled` (`*cancel` became true while waiting).
  Result<void> post_json(const NotifyUrl& url, const HeaderList& headers, std::string_view body,
                         const std::atomic<bool>* cancel = nullptr) const;

 private:
  HttpNotifierOptions options_;
};

}  // namespace opp::payment
