#pragma once
// The structured access log: one JSON line per request (time, request_id, client,
// merchant, svc, method, err_code, HTTP status, latency, upstream endpoint), never
// `sign`, secrets or `biz_params`.
//
// Request threads only append to an in-memory buffer; a writer thread flushes it to the
// file (or stdout) every 50 ms. The buffer is bounded: when the disk cannot keep up,
// lines are dropped and counted instead of slowing requests or growing memory
// (opp/common/bounded_line_writer.hpp).

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "opp/common/bounded_line_writer.hpp"
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

  uint64_t dropped() const { return lines_->dropped(); }
  uint64_t written() const { return lines_->written(); }

 private:
  explicit AccessLog(int fd, bool owns_fd);

  int fd_ = -1;
  bool owns_fd_ = false;
  std::unique_ptr<BoundedLineWriter> lines_;
};

}  // namespace opp::gateway::observe
