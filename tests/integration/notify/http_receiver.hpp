#pragma once
// A merchant's notification endpoint for tests: a Boost.Beast HTTP server on an
// ephemeral loopback port that records every request and answers with scripted statuses.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

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
  HttpReceiver();
  ~HttpReceiver();
  HttpReceiver(const HttpReceiver&) = delete;
  HttpReceiver& operator=(const HttpReceiver&) = delete;

  uint16_t port() const { return port_; }
  std::string url(const std::string& target = "/notify") const;

  /// Statuses for the next requests, in order; then `status_after_script` (200).
  void script(std::vector<unsigned> statuses, unsigned status_after_script = 200);
  /// Requests are read and recorded but never answered (a merchant that hangs).
  void hang(bool hang);

  std::vector<ReceivedRequest> requests() const;
  /// True once at least `count` requests arrived within `timeout`.
  bool wait_for_requests(size_t count, std::chrono::milliseconds timeout) const;

 private:
  struct Impl;
  friend struct Impl;
  unsigned next_status(const ReceivedRequest& request);

  std::unique_ptr<Impl> impl_;
  uint16_t port_ = 0;
  std::thread thread_;

  mutable std::mutex mutex_;
  mutable std::condition_variable arrived_;
  std::vector<ReceivedRequest> requests_;
  std::deque<unsigned> script_;
  unsigned status_after_script_ = 200;
  bool hang_ = false;
};

}  // namespace opp::payment::test
