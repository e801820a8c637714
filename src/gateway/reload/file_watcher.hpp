#pragma once
// Watches directories with inotify through Boost.Asio (no polling loop) and calls back
// once the watched files have been quiet for a while: editors write-then-rename, copy
// tools write in pieces, so one change is many events and a half-written file is never
// the last word.

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <array>
#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <set>
#include <string>

#include "opp/common/result.hpp"

namespace opp::gateway::reload {

class FileWatcher {
 public:
  /// Decides whether an event about `path` (a directory when `is_dir`) matters; others
  /// are ignored (an access log written beside the config file, say).
  using Filter = std::function<bool(const std::filesystem::path& path, bool is_dir)>;

  /// `on_quiet` runs on `io`'s thread after a relevant event and `quiet` without another.
  FileWatcher(boost::asio::io_context& io, std::chrono::milliseconds quiet,
              std::function<void()> on_quiet, Filter filter = {});
  ~FileWatcher();
  FileWatcher(const FileWatcher&) = delete;
  FileWatcher& operator=(const FileWatcher&) = delete;

  /// Opens the inotify instance and starts reading. Errors: 10006 `watch-failed`.
  Result<void> start();
  /// Makes `directories` the watched set (adding and dropping watches); directories that
  /// do not exist are skipped. Call from `io`'s thread.
  void watch(const std::set<std::filesystem::path>& directories);
  void stop();

  size_t watched() const { return by_path_.size(); }

 private:
  void read_events();
  bool relevant(size_t bytes) const;
  void arm_timer();

  boost::asio::io_context& io_;
  std::chrono::milliseconds quiet_;
  std::function<void()> on_quiet_;
  Filter filter_;
  boost::asio::posix::stream_descriptor stream_;
  boost::asio::steady_timer timer_;
  alignas(8) std::array<char, 16384> buffer_;  // inotify_event records
  std::map<std::string, int> by_path_;         ///< directory → watch descriptor
  std::map<int, std::string> by_wd_;
  int fd_ = -1;
  bool stopped_ = false;
};

}  // namespace opp::gateway::reload
