#pragma once
// A plugin's config that hooks read on many threads while reconfigure() replaces it:
// each reader gets one whole version, kept alive while it holds it.

#include <memory>
#include <mutex>
#include <utility>

namespace opp::plugins {

/// Not std::atomic<std::shared_ptr>: libstdc++ 12's load() releases its internal lock
/// with a relaxed store, which is a data race with a concurrent store (ThreadSanitizer
/// reports it). That implementation is a spin lock around the same copy anyway, so a
/// mutex held for a reference-count increment costs about the same.
template <class T>
class SharedConfig {
 public:
  explicit SharedConfig(std::shared_ptr<const T> value) : value_(std::move(value)) {}

  /// The current version. Thread-safe.
  std::shared_ptr<const T> load() const {
    std::lock_guard lock(mutex_);
    return value_;
  }

  /// Replaces the version; readers holding the old one keep it until they drop it.
  /// Thread-safe.
  void store(std::shared_ptr<const T> value) {
    {
      std::lock_guard lock(mutex_);
      value_.swap(value);
    }
    // `value` now holds the old version; when it is the last reference, it is freed
    // here, outside the lock.
  }

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const T> value_;
};

}  // namespace opp::plugins
