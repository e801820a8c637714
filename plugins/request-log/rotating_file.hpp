#pragma once
// The request log's file: lines appended to FILE; when the next line would take it past
// max_bytes, FILE.{max_files-1} → FILE.{max_files}, …, FILE.1 → FILE.2, FILE → FILE.1
// and a fresh FILE (logrotate's numbering; the oldest falls off). Only a regular file is
// rotated: renaming /dev/stdout, a FIFO or /dev/null (as root) would be a disaster.
// Used by one thread only.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace opp::plugins::request_log {

class RotatingFile {
 public:
  /// Opens `path` for appending (created 0640, its directory too). Throws ConfigError
  /// naming `config_key` ("path: cannot open /x/requests.log: Permission denied").
  static std::unique_ptr<RotatingFile> open(const std::string& path, uint64_t max_bytes,
                                            unsigned max_files, const char* config_key);
  ~RotatingFile();
  RotatingFile(const RotatingFile&) = delete;
  RotatingFile& operator=(const RotatingFile&) = delete;

  /// Appends whole lines (each ending in '\n'), rotating before a line that would not
  /// fit; a line longer than max_bytes gets a file of its own. Returns how many lines
  /// were lost; a failure (lost lines, a rotation that did not happen) sets *error to a
  /// line naming the file and the reason. A failed rotation keeps appending to the file.
  uint64_t write(std::string_view lines, std::string* error);

  const std::string& path() const { return path_; }
  /// Bytes in the current file, as far as this writer knows.
  uint64_t size() const { return size_; }
  /// Whether the file is rotated at all (it is a regular file).
  bool rotates() const { return rotates_; }

 private:
  RotatingFile(std::string path, int fd, bool rotates, uint64_t size, uint64_t max_bytes,
               unsigned max_files);
  bool rotate(std::string* error);
  uint64_t append(std::string_view lines, std::string* error);

  std::string path_;
  int fd_;
  bool rotates_;
  uint64_t size_;
  uint64_t max_bytes_;
  unsigned max_files_;
};

}  // namespace opp::plugins::request_log
