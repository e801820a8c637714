#include "gateway/observe/access_log.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <ctime>
#include <memory>

#include "opp/codec/json_text.hpp"

namespace opp::gateway::observe {
namespace {

// RFC 3339 UTC with milliseconds.
void append_now(std::string& out) {
  auto now = std::chrono::system_clock::now();
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char text[32];
  size_t n = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &tm);
  n += static_cast<size_t>(std::snprintf(text + n, sizeof text - n, ".%03dZ", int(ms % 1000)));
  out.append(text, n);
}

void append_field(std::string& out, std::string_view key, std::string_view value) {
  out += ",\"";
  out += key;
  out += "\":";
  codec::append_json_string(out, value);
}

bool write_all(int fd, const char* data, size_t n) {
  while (n > 0) {
    ssize_t w = ::write(fd, data, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data += w;
    n -= static_cast<size_t>(w);
  }
  return true;
}

}  // namespace

Result<std::unique_ptr<AccessLog>> AccessLog::open(const std::string& destination) {
  if (destination.empty()) return std::unique_ptr<AccessLog>();
  if (destination == "-") return std::unique_ptr<AccessLog>(new AccessLog(STDOUT_FILENO, false));
  std::error_code ec;
  std::filesystem::path parent = std::filesystem::path(destination).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  int fd = ::open(destination.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
  if (fd < 0)
    return Error{ErrorCode::kServerHandleFail, "access-log-unwritable",
                 "access_log: cannot open " + destination + ": " + std::strerror(errno), ""};
  return std::unique_ptr<AccessLog>(new AccessLog(fd, true));
}

AccessLog::AccessLog(int fd, bool owns_fd) : fd_(fd), owns_fd_(owns_fd) {
  writer_ = std::thread([this] { run(); });
}

AccessLog::~AccessLog() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_one();
  writer_.join();
  if (owns_fd_) ::close(fd_);
}

void AccessLog::write(const AccessRecord& r) {
  std::string line;
  line.reserve(256);
  line += "{\"time\":\"";
  append_now(line);
  line += '"';
  append_field(line, "request_id", r.request_id);
  append_field(line, "client", r.client);
  append_field(line, "merchant", r.merchant);
  append_field(line, "svc", r.svc);
  append_field(line, "method", r.method);
  line += ",\"err_code\":" + std::to_string(r.err_code);
  line += ",\"status\":" + std::to_string(r.status);
  char latency[32];
  int n = std::snprintf(latency, sizeof latency, "%.3f", r.latency_ms);
  line += ",\"latency_ms\":";
  line.append(latency, static_cast<size_t>(n));
  append_field(line, "upstream", r.upstream);
  line += "}\n";
  std::lock_guard lock(mutex_);
  if (pending_.size() + line.size() > kMaxBufferedBytes) {
    dropped_.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  pending_ += line;
  ++appended_;
}

void AccessLog::flush() {
  std::unique_lock lock(mutex_);
  const uint64_t target = appended_;
  flush_requested_ = true;
  wake_.notify_one();
  flushed_.wait(lock, [&] { return flushed_up_to_ >= target || stop_; });
}

void AccessLog::run() {
  std::string batch;
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait_for(lock, std::chrono::milliseconds(50), [&] { return stop_ || flush_requested_; });
    flush_requested_ = false;
    batch.swap(pending_);
    const uint64_t lines = appended_;
    const bool stopping = stop_;
    lock.unlock();
    if (!batch.empty()) {
      const uint64_t count = static_cast<uint64_t>(std::count(batch.begin(), batch.end(), '\n'));
      if (write_all(fd_, batch.data(), batch.size()))
        written_.fetch_add(count, std::memory_order_relaxed);
      else
        dropped_.fetch_add(count, std::memory_order_relaxed);
      batch.clear();
    }
    lock.lock();
    flushed_up_to_ = lines;
    flushed_.notify_all();
    if (stopping && pending_.empty()) return;
  }
}

}  // namespace opp::gateway::observe
