#include "gateway/observe/access_log.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <memory>

#include "opp/codec/json_text.hpp"

namespace opp::gateway::observe {
namespace {

// RFC 3339 UTC with milliseconds. The calendar part is formatted once per second and
// thread: at tens of thousands of lines a second, gmtime + strftime per line showed.
void append_now(std::string& out) {
  thread_local int64_t cached_second = -1;
  thread_local char cached[24];
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
  const int64_t second = ms / 1000;
  if (second != cached_second) {
    std::time_t t = static_cast<std::time_t>(second);
    std::tm tm{};
    gmtime_r(&t, &tm);
    std::strftime(cached, sizeof cached, "%Y-%m-%dT%H:%M:%S", &tm);
    cached_second = second;
  }
  out.append(cached);
  const int millis = static_cast<int>(ms % 1000);
  out += '.';
  out += static_cast<char>('0' + millis / 100);
  out += static_cast<char>('0' + millis / 10 % 10);
  out += static_cast<char>('0' + millis % 10);
  out += 'Z';
}

void append_int(std::string& out, int64_t value) {
  char text[24];
  out.append(text, std::to_chars(text, text + sizeof text, value).ptr);
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
  thread_local std::string line;  // reused: no allocation per request
  line.clear();
  line += "{\"time\":\"";
  append_now(line);
  line += '"';
  append_field(line, "request_id", r.request_id);
  append_field(line, "client", r.client);
  append_field(line, "merchant", r.merchant);
  append_field(line, "svc", r.svc);
  append_field(line, "method", r.method);
  line += ",\"err_code\":";
  append_int(line, r.err_code);
  line += ",\"status\":";
  append_int(line, r.status);
  line += ",\"latency_ms\":";
  char latency[32];
  line.append(latency, std::to_chars(latency, latency + sizeof latency, r.latency_ms,
                                     std::chars_format::fixed, 3)
                           .ptr);
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
