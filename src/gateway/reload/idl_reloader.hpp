#pragma once
// Hot reload of idl_dir (SPEC §2): a change anywhere the current snapshot read from (the
// directory, its subdirectories, the directories of included files) is rescanned once
// quiet for ~200 ms and published atomically; only what changed is parsed again
// (catalog::scan reuses byte-identical entries). Requests in flight keep their snapshot.

#include <boost/asio/io_context.hpp>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <set>
#include <string>

#include "gateway/reload/file_watcher.hpp"
#include "opp/catalog/catalog.hpp"

namespace opp::gateway::reload {

/// Counters for /metrics and /gateway/_status.
struct ReloadStats {
  std::atomic<uint64_t> reloads{0};   ///< rescans published
  std::atomic<uint64_t> failures{0};  ///< rescans that left some file failing
  std::atomic<uint64_t> last_duration_us{0};
};

class IdlReloader {
 public:
  /// Watches from `io`'s thread (not a request thread: a rescan takes milliseconds);
  /// `log` receives one line per reload and per new error.
  IdlReloader(boost::asio::io_context& io, catalog::Catalog& catalog, std::filesystem::path idl_dir,
              std::function<void(const std::string&)> log,
              std::chrono::milliseconds quiet = std::chrono::milliseconds(200));

  /// Starts watching (call once the first snapshot is published). Errors: the watcher's.
  Result<void> start();
  void stop();
  const ReloadStats& stats() const { return stats_; }

 private:
  void reload();
  void rewatch(const catalog::Snapshot& snapshot);

  catalog::Catalog& catalog_;
  std::filesystem::path idl_dir_;
  std::function<void(const std::string&)> log_;
  std::set<std::string> inputs_;  ///< files the current snapshot read (control thread)
  FileWatcher watcher_;
  ReloadStats stats_;
};

}  // namespace opp::gateway::reload
