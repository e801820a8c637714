#pragma once
// A merchant's notification endpoint for tests: a Boost.Beast HTTP server (HTTPS when
// given a certificate) on an ephemeral loopback port that records every request and
// answers with scripted statuses.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "test_ca.hpp"

namespace opp::payment::test {

struct ReceivedRequest {
  std::string method;
  std::string target;
  std::map<std::string, std::string> headers;  ///< names lowercased
  std::string body;

  std::string header(const std::string& lowercase_name) const {
    auto it = headers.find(lowercase_name);
    return it == headers.end() ? std::string() : it->second;
  }
};

class HttpReceiver {
 public:
  /// With `tls`, every connection starts with a TLS handshake presenting that certificate.
  explicit HttpReceiver(std::optional<CertifiedKey> tls = std::nullopt);
  ~HttpReceiver();
  HttpReceiver(const HttpReceiver&) = delete;
  HttpReceiver& operator=(const HttpReceiver&) = delete;

  uint16_t port() const { return port_; }
  /// http[s]://127.0.0.1:PORT/notify
  std::string url(const std::string& target = "/notify") const;
  /// The same with another host (a name the test resolves to 127.0.0.1).
  std::string url_for(const std::string& host, const std::string& target = "/notify") const;

  /// Statuses for the next requests, in order; then `status_after_script` (200).
  void script(std::vector<unsigned> statuses, unsigned status_after_script = 200);
  /// Requests are read and recorded but never answered (a merchant that hangs).
  void hang(bool hang);

  std::vector<ReceivedRequest> requests() const;
  /// True once at least `count` requests arrived within `timeout`.
  bool wait_for_requests(size_t count, std::chrono::milliseconds timeout) const;
  /// TLS handshakes that failed (the client refused the certificate, or gave up).
  size_t tls_failures() const;

 private:
  struct Impl;
  friend struct Impl;
  unsigned next_status(const ReceivedRequest& request);
  void handshake_failed();

  std::unique_ptr<Impl> impl_;
  uint16_t port_ = 0;
  std::thread thread_;

  mutable std::mutex mutex_;
  mutable std::condition_variable arrived_;
  std::vector<ReceivedRequest> requests_;
  std::deque<unsigned> script_;
  unsigned status_after_script_ = 200;
  bool hang_ = false;
  size_t tls_failures_ = 0;
};

}  // namespace opp::payment::test
