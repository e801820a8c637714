#pragma once
// Scanning idl_dir into snapshots (SPEC §2) and holding the current one: readers take the
// current snapshot without a lock and keep it as long as they need; a rescan publishes a
// new one atomically.

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>

#include "opp/catalog/snapshot.hpp"

namespace opp::catalog {

/// Scans `idl_dir` (SPEC §2). Entries of `previous` whose inputs are byte-identical are
/// taken over as they are (the same objects); everything else is parsed and compiled
/// again. A service whose file fails keeps its entry from `previous` (or stays absent),
/// with the error recorded in `files`; every other service updates.
std::shared_ptr<const Snapshot> scan(const std::filesystem::path& idl_dir,
                                     const Snapshot* previous = nullptr);

/// Holder of the current snapshot. Thread-safe.
class Catalog {
 public:
  /// The latest published snapshot (null before the first); the caller's copy stays valid
  /// however many snapshots are published after it. (libstdc++ guards shared_ptr atomics
  /// with a small lock pool: hot paths use a CatalogReader, which calls this only when the
  /// generation moved.)
  std::shared_ptr<const Snapshot> current() const;
  /// How many snapshots were published; one relaxed-cost atomic load.
  uint64_t publications() const { return publications_.load(std::memory_order_acquire); }
  /// Makes `snapshot` the one current() returns, atomically for concurrent readers.
  void publish(std::shared_ptr<const Snapshot> snapshot);
  /// Scans `idl_dir` against the current snapshot and publishes the result. Concurrent
  /// rescans run one after the other, so generations never go backwards.
  std::shared_ptr<const Snapshot> rescan(const std::filesystem::path& idl_dir);

 private:
  std::shared_ptr<const Snapshot> current_;  // accessed with std::atomic_load/store
  std::atomic<uint64_t> publications_{0};
  std::mutex rescan_mutex_;
};

/// One thread's view of a Catalog: the snapshot it last took, refreshed when a new one
/// was published. Not thread-safe; one per io thread.
class CatalogReader {
 public:
  explicit CatalogReader(const Catalog& catalog) : catalog_(&catalog) {}
  /// The current snapshot (null before the first publication). Copy the pointer to keep
  /// a snapshot for a request's whole life.
  const std::shared_ptr<const Snapshot>& current() {
    uint64_t seen = catalog_->publications();
    if (seen != seen_) {
      snapshot_ = catalog_->current();
      seen_ = seen;
    }
    return snapshot_;
  }

 private:
  const Catalog* catalog_;
  uint64_t seen_ = 0;
  std::shared_ptr<const Snapshot> snapshot_;
};

}  // namespace opp::catalog
