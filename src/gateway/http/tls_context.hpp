#pragma once
// The TLS listener's server context (SPEC §7 `tls`): the certificate chain and key from
// their PEM files, TLS 1.2 or 1.3 at least (`min_version`), ECDHE with AEAD ciphers only
// under TLS 1.2 (OpenSSL's suites under 1.3), server cipher order, no compression, no
// renegotiation.
//
// Reloads publish a new context for the connections accepted from then on; an open
// connection keeps the one it started with (the session holds it), so a reload drops
// nothing. A certificate or key that cannot be used leaves the current context in place.

#include <boost/asio/ssl/context.hpp>

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>

#include "gateway/config/gateway_config.hpp"
#include "opp/common/result.hpp"

namespace opp::gateway::http {

class TlsContextStore {
 public:
  /// Loads the certificate and key `settings` names. Errors: 10006 `tls-config`, one line
  /// naming the key (`tls.cert`, `tls.key`), the file and what is wrong with it (unreadable,
  /// not PEM, an encrypted key, a key that does not match the certificate).
  static Result<std::unique_ptr<TlsContextStore>> open(const config::TlsConfig& settings);

  /// The context for a connection accepted now. Any thread.
  std::shared_ptr<boost::asio::ssl::context> current() const;

  /// Reads the files of `settings` (its `listen` is not looked at) again and publishes
  /// them; on an error the current context stays and the failure is counted. Errors as
  /// open().
  Result<void> reload(const config::TlsConfig& settings);

  uint64_t reloads() const { return reloads_.load(std::memory_order_relaxed); }
  uint64_t reload_failures() const { return reload_failures_.load(std::memory_order_relaxed); }
  /// The current certificate's notAfter, Unix seconds.
  int64_t not_after() const { return not_after_.load(std::memory_order_relaxed); }

 private:
  TlsContextStore() = default;
  void publish(std::shared_ptr<boost::asio::ssl::context> context, int64_t not_after);

  mutable std::mutex mutex_;  // guards current_: taken per accepted connection and per reload
  std::shared_ptr<boost::asio::ssl::context> current_;
  std::atomic<uint64_t> reloads_{0};
  std::atomic<uint64_t> reload_failures_{0};
  std::atomic<int64_t> not_after_{0};
};

}  // namespace opp::gateway::http
