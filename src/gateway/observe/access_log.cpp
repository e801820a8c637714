#include "gateway/observe/access_log.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <memory>

#include "opp/codec/json_text.hpp"
#include "opp/common/utc_timestamp.hpp"

namespace opp::gateway::observe {
namespace {

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

AccessLog::AccessLog(int fd, bool owns_fd)
    : fd_(fd),
      owns_fd_(owns_fd),
      lines_(std::make_unique<BoundedLineWriter>(
          [fd](std::string_view batch) -> uint64_t {
            if (write_all(fd, batch)) return 0;
            return static_cast<uint64_t>(std::count(batch.begin(), batch.end(), '\n'));
          },
          kMaxBufferedBytes)) {}

AccessLog::~AccessLog() {
  lines_.reset();  // writes out what is buffered and stops the thread before the fd goes
  if (owns_fd_) ::close(fd_);
}

void AccessLog::write(const AccessRecord& r) {
  thread_local std::string line;  // reused: no allocation per request
  line.clear();
  line += "{\"time\":\"";
  append_utc_now(line);
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
  lines_->append(line);
}

void AccessLog::flush() {
  lines_->flush();
}

}  // namespace opp::gateway::observe
