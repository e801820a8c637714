#pragma once
// The structured access log: one JSON line per request (time, request_id, client,
// merchant, svc, method, err_code, HTTP status, latency, upstream endpoint), never
// `sign`, secrets or `biz_params`.
//
// Request threads only append to an in-memory buffer; a writer thread flushes it to the
// file (or stdout) every 50 ms. The buffer is bounded: when the disk cannot keep up,
// lines are dropped and counted instead of slowing requests or growing memory.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "opp/common/result.hpp"

namespace opp::gateway::observe {

struct AccessRecord {
  std::string_view request_id;
  std::string_view client;
  std::string_view merchant;  ///< "" before authentication
  std::string_view svc;
  std::string_view method;
  int32_t err_code = 0;
  uint16_t status = 200;
  double latency_ms = 0;
  std::string_view upstream;  ///< endpoint that served the call, or ""
};

class AccessLog {
 public:
  static constexpr size_t kMaxBufferedBytes = 8 << 20;

  /// `destination`: "-" = stdout, "" = off, else a file appended to (created 0640).
  /// Errors: 10006 `access-log-unwritable`.
  static Result<std::unique_ptr<AccessLog>> open(const std::string& destination);
  ~AccessLog();
  AccessLog(const AccessLog&) = delete;
  AccessLog& operator=(const AccessLog&) = delete;

  /// Appends one line; never blocks on I/O. Thread-safe.
  void write(const AccessRecord& record);
  /// Writes out everything buffered so far and waits for it. Thread-safe.
  void flush();

  uint64_t dropped() const { return dropped_.load(std::memory_order_relaxed); }
  uint64_t written() const { return written_.load(std::memory_order_relaxed); }

 private:
  explicit AccessLog(int fd, bool owns_fd);
  void run();

  int fd_ = -1;
  bool owns_fd_ = false;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable flushed_;
  std::string pending_;
  uint64_t appended_ = 0;  ///< lines appended to pending_ so far
  uint64_t flushed_up_to_ = 0;
  bool flush_requested_ = false;
  bool stop_ = false;
  std::atomic<uint64_t> dropped_{0};
  std::atomic<uint64_t> written_{0};
  std::thread writer_;
};

}  // namespace opp::gateway::observe
