#pragma once
// An immutable value that io threads read while a reconfigure replaces it: readers copy
// the shared_ptr under a mutex held for that copy only, and keep their copy for the rest of
// the call; the writer builds the new value in full before the swap.
//
// Not std::atomic<std::shared_ptr>: GCC 12's libstdc++ releases its internal lock bit with a
// relaxed store after load() reads the pointer, which ThreadSanitizer reports as a data
// race with store() (google/sanitizers#1558); a mutex is what that implementation amounts to
// anyway, and ThreadSanitizer understands it.

#include <memory>
#include <mutex>
#include <utility>

namespace opp::plugins {

template <class T>
class SharedSnapshot {
 public:
  explicit SharedSnapshot(std::shared_ptr<const T> value) : value_(std::move(value)) {}

  /// The current value; stays valid (and unchanged) for as long as the caller holds it.
  std::shared_ptr<const T> load() const {
    std::lock_guard lock(mutex_);
    return value_;
  }

  /// Replaces the value; calls holding the old one finish with it, the last frees it.
  void store(std::shared_ptr<const T> value) {
    {
      std::lock_guard lock(mutex_);
      value_.swap(value);
    }
    // `value` (the old one) is released here, outside the lock.
  }

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const T> value_;
};

}  // namespace opp::plugins
