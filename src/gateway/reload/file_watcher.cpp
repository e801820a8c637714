#include "gateway/reload/file_watcher.hpp"

#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace opp::gateway::reload {
namespace {

// Everything that changes what a scan would read: contents, names, and directories
// appearing (a subdirectory used by includes).
constexpr uint32_t kMask = IN_CREATE | IN_MODIFY | IN_CLOSE_WRITE | IN_DELETE | IN_MOVED_FROM |
                           IN_MOVED_TO | IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF;

}  // namespace

FileWatcher::FileWatcher(boost::asio::io_context& io, std::chrono::milliseconds quiet,
                         std::function<void()> on_quiet, Filter filter)
    : io_(io),
      quiet_(quiet),
      on_quiet_(std::move(on_quiet)),
      filter_(std::move(filter)),
      stream_(io),
      timer_(io) {}

FileWatcher::~FileWatcher() {
  stop();
}

Result<void> FileWatcher::start() {
  fd_ = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd_ < 0)
    return Error{ErrorCode::kServerHandleFail, "watch-failed",
                 std::string("inotify: ") + std::strerror(errno), ""};
  stream_.assign(fd_);
  read_events();
  return {};
}

void FileWatcher::watch(const std::set<std::filesystem::path>& directories) {
  if (fd_ < 0) return;
  for (auto it = by_path_.begin(); it != by_path_.end();) {
    if (directories.count(it->first)) {
      ++it;
      continue;
    }
    inotify_rm_watch(fd_, it->second);
    by_wd_.erase(it->second);
    it = by_path_.erase(it);
  }
  for (const auto& dir : directories) {
    const std::string key = dir.string();
    if (by_path_.count(key)) continue;
    int wd = inotify_add_watch(fd_, key.c_str(), kMask | IN_ONLYDIR);
    if (wd >= 0) {
      by_path_[key] = wd;
      by_wd_[wd] = key;
    }
  }
}

void FileWatcher::stop() {
  if (stopped_) return;
  stopped_ = true;
  boost::system::error_code ec;
  timer_.cancel();
  if (fd_ >= 0) stream_.close(ec);  // closes the inotify descriptor and its watches
  fd_ = -1;
}

void FileWatcher::read_events() {
  stream_.async_read_some(boost::asio::buffer(buffer_),
                          [this](boost::system::error_code ec, size_t bytes) {
                            if (ec || stopped_) return;
                            // What changed does not matter beyond the filter: any
                            // relevant event means "look again once quiet".
                            if (relevant(bytes)) arm_timer();
                            read_events();
                          });
}

bool FileWatcher::relevant(size_t bytes) const {
  if (!filter_) return true;
  for (size_t at = 0; at + sizeof(inotify_event) <= bytes;) {
    const auto* event = reinterpret_cast<const inotify_event*>(buffer_.data() + at);
    at += sizeof(inotify_event) + event->len;
    if (event->mask & IN_Q_OVERFLOW) return true;  // events were lost: assume the worst
    auto dir = by_wd_.find(event->wd);
    if (dir == by_wd_.end()) continue;
    std::filesystem::path path = dir->second;
    if (event->len) path /= event->name;
    if (filter_(path, event->mask & IN_ISDIR)) return true;
  }
  return false;
}

void FileWatcher::arm_timer() {
  timer_.expires_after(quiet_);
  timer_.async_wait([this](boost::system::error_code ec) {
    if (ec || stopped_) return;
    on_quiet_();
  });
}

}  // namespace opp::gateway::reload
