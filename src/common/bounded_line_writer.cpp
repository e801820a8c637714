#include "opp/common/bounded_line_writer.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <utility>

namespace opp {

BoundedLineWriter::BoundedLineWriter(Sink sink, size_t max_buffered_bytes,
                                     std::chrono::milliseconds interval)
    : sink_(std::move(sink)), max_buffered_bytes_(max_buffered_bytes), interval_(interval) {
  writer_ = std::thread([this] { run(); });
}

BoundedLineWriter::~BoundedLineWriter() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_one();
  writer_.join();
}

bool BoundedLineWriter::append(std::string_view line) {
  std::lock_guard lock(mutex_);
  if (pending_.size() + line.size() > max_buffered_bytes_) {
    dropped_.fetch_add(1, std::memory_order_relaxed);
    return false;
  }
  pending_ += line;
  ++appended_;
  // Half full: the writer starts now rather than at the end of its interval, so a burst
  // drops lines only when the sink, not the timer, is too slow.
  const size_t half = max_buffered_bytes_ / 2;
  if (pending_.size() >= half && pending_.size() - line.size() < half) wake_.notify_one();
  return true;
}

void BoundedLineWriter::flush() {
  std::unique_lock lock(mutex_);
  const uint64_t target = appended_;
  flush_requested_ = true;
  wake_.notify_one();
  flushed_.wait(lock, [&] { return flushed_up_to_ >= target || stop_; });
}

void BoundedLineWriter::run() {
  // The batch is swapped out under the lock and written without it: appenders only ever
  // wait for a string swap, never for the sink.
  std::string batch;
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait_for(lock, interval_, [&] {
      return stop_ || flush_requested_ || pending_.size() >= max_buffered_bytes_ / 2;
    });
    flush_requested_ = false;
    batch.swap(pending_);
    const uint64_t lines = appended_;
    const bool stopping = stop_;
    lock.unlock();
    if (!batch.empty()) {
      const auto count = static_cast<uint64_t>(std::count(batch.begin(), batch.end(), '\n'));
      const uint64_t lost = std::min(sink_(batch), count);
      written_.fetch_add(count - lost, std::memory_order_relaxed);
      dropped_.fetch_add(lost, std::memory_order_relaxed);
      batch.clear();
    }
    lock.lock();
    flushed_up_to_ = lines;
    flushed_.notify_all();
    if (stopping && pending_.empty()) return;
  }
}

bool write_all(int fd, std::string_view bytes) {
  const char* data = bytes.data();
  size_t left = bytes.size();
  while (left > 0) {
    const ssize_t n = ::write(fd, data, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data += n;
    left -= static_cast<size_t>(n);
  }
  return true;
}

}  // namespace opp
