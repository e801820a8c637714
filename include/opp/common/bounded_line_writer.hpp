#pragma once
// A log that never slows the threads that write to it: they append whole lines to a
// bounded in-memory buffer; one thread of the writer hands the buffer to a sink (a file,
// stdout, a rotating file) every interval or when asked. When the sink cannot keep up and
// the buffer is full, new lines are dropped and counted instead of blocking the caller or
// growing memory. The access log and the request-log plugin share it.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

namespace opp {

class BoundedLineWriter {
 public:
  /// Writes a batch of whole lines (each ending in '\n'); returns how many of them were
  /// lost (0 when all were written). Called on the writer's thread only, so it may block.
  using Sink = std::function<uint64_t(std::string_view lines)>;

  /// Starts the writer thread. `max_buffered_bytes` bounds the lines waiting for the
  /// sink; `interval` is how long a line may wait when nobody calls flush().
  BoundedLineWriter(Sink sink, size_t max_buffered_bytes,
                    std::chrono::milliseconds interval = std::chrono::milliseconds(50));
  /// Hands everything buffered to the sink, then joins the thread (so it waits for a
  /// sink that blocks).
  ~BoundedLineWriter();
  BoundedLineWriter(const BoundedLineWriter&) = delete;
  BoundedLineWriter& operator=(const BoundedLineWriter&) = delete;

  /// Appends one line, which must end in '\n'; never waits for the sink. Returns false
  /// (and counts it dropped) when the buffer has no room for it. Thread-safe.
  bool append(std::string_view line);
  /// Waits until every line appended before the call has been handed to the sink.
  /// Thread-safe.
  void flush();

  /// Lines dropped so far: no room in the buffer, or lost by the sink.
  uint64_t dropped() const { return dropped_.load(std::memory_order_relaxed); }
  /// Lines the sink has written so far.
  uint64_t written() const { return written_.load(std::memory_order_relaxed); }
  size_t max_buffered_bytes() const { return max_buffered_bytes_; }

 private:
  void run();

  const Sink sink_;
  const size_t max_buffered_bytes_;
  const std::chrono::milliseconds interval_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable flushed_;
  std::string pending_;
  uint64_t appended_ = 0;       ///< lines appended to pending_ so far
  uint64_t flushed_up_to_ = 0;  ///< lines handed to the sink so far
  bool flush_requested_ = false;
  bool stop_ = false;
  std::atomic<uint64_t> dropped_{0};
  std::atomic<uint64_t> written_{0};
  std::thread writer_;
};

/// Writes all of `bytes` to `fd`, resuming after short writes and EINTR; false on an
/// error (errno tells which). The usual body of a Sink.
bool write_all(int fd, std::string_view bytes);

}  // namespace opp
