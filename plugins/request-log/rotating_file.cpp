#include "request-log/rotating_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "common/plugin_support.hpp"
#include "opp/common/bounded_line_writer.hpp"

namespace opp::plugins::request_log {
namespace {

int open_for_append(const std::string& path) {
  return ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
}

uint64_t count_lines(std::string_view s) {
  return static_cast<uint64_t>(std::count(s.begin(), s.end(), '\n'));
}

std::string numbered(const std::string& path, unsigned n) {
  return path + "." + std::to_string(n);
}

}  // namespace

std::unique_ptr<RotatingFile> RotatingFile::open(const std::string& path, uint64_t max_bytes,
                                                 unsigned max_files, const char* config_key) {
  std::error_code ignored;  // a directory that cannot be made shows as the open's error
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ignored);
  const int fd = open_for_append(path);
  if (fd < 0)
    throw ConfigError(config_key,
                      "cannot open " + path + " for appending: " + std::strerror(errno));
  struct stat st {};
  const bool regular = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
  const uint64_t size = regular ? static_cast<uint64_t>(st.st_size) : 0;
  return std::unique_ptr<RotatingFile>(
      new RotatingFile(path, fd, regular, size, max_bytes, max_files));
}

RotatingFile::RotatingFile(std::string path, int fd, bool rotates, uint64_t size,
                           uint64_t max_bytes, unsigned max_files)
    : path_(std::move(path)),
      fd_(fd),
      rotates_(rotates),
      size_(size),
      max_bytes_(max_bytes),
      max_files_(max_files) {}

RotatingFile::~RotatingFile() {
  ::close(fd_);
}

uint64_t RotatingFile::write(std::string_view lines, std::string* error) {
  if (!rotates_) return append(lines, error);
  // Consecutive lines that fit go out in one write(2); a rotation cuts between lines.
  uint64_t lost = 0;
  size_t chunk_start = 0, at = 0;
  while (at < lines.size()) {
    size_t end = lines.find('\n', at);
    end = end == std::string_view::npos ? lines.size() : end + 1;
    const uint64_t chunk = at - chunk_start;
    const uint64_t line = end - at;
    if (size_ + chunk > 0 && size_ + chunk + line > max_bytes_) {
      lost += append(lines.substr(chunk_start, chunk), error);
      chunk_start = at;
      rotate(error);
    }
    at = end;
  }
  return lost + append(lines.substr(chunk_start), error);
}

uint64_t RotatingFile::append(std::string_view lines, std::string* error) {
  if (lines.empty()) return 0;
  size_ += lines.size();
  if (write_all(fd_, lines)) return 0;
  if (error) *error = "cannot write to " + path_ + ": " + std::strerror(errno);
  return count_lines(lines);
}

bool RotatingFile::rotate(std::string* error) {
  // Counted as rotated even when it fails: the next attempt waits for another
  // max_bytes instead of failing on every line.
  size_ = 0;
  for (unsigned n = max_files_; n > 1; --n) {
    const std::string from = numbered(path_, n - 1);
    if (std::rename(from.c_str(), numbered(path_, n).c_str()) != 0 && errno != ENOENT) {
      if (error) *error = "cannot rotate " + from + ": " + std::strerror(errno);
      return false;
    }
  }
  // The open descriptor follows FILE to FILE.1; lines keep going there until the new
  // FILE is open, so a failure below loses nothing.
  if (std::rename(path_.c_str(), numbered(path_, 1).c_str()) != 0) {
    if (error) *error = "cannot rotate " + path_ + ": " + std::strerror(errno);
    return false;
  }
  const int fd = open_for_append(path_);
  if (fd < 0) {
    if (error) *error = "cannot reopen " + path_ + " after rotating: " + std::strerror(errno);
    return false;
  }
  ::close(fd_);
  fd_ = fd;
  return true;
}

}  // namespace opp::plugins::request_log
