#pragma once
// The upstream clients by svc name, replaceable while requests run (a reload of the
// config's `upstreams` may add or remove a service's upstream). Each io thread's pipeline
// reads through an UpstreamReader, which takes the lock only when a new map was
// published; a request holds its client for as long as it needs it.

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "gateway/upstream/client.hpp"

namespace opp::gateway::pipeline {

using UpstreamMap = std::map<std::string, std::shared_ptr<upstream::UpstreamClient>, std::less<>>;

class UpstreamDirectory {
 public:
  std::shared_ptr<const UpstreamMap> current() const {
    std::lock_guard lock(mutex_);
    return map_;
  }
  void publish(std::shared_ptr<const UpstreamMap> map) {
    {
      std::lock_guard lock(mutex_);
      map_ = std::move(map);
    }
    version_.fetch_add(1, std::memory_order_release);
  }
  uint64_t version() const { return version_.load(std::memory_order_acquire); }

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const UpstreamMap> map_ = std::make_shared<UpstreamMap>();
  std::atomic<uint64_t> version_{1};
};

/// One thread's view of an UpstreamDirectory. Not thread-safe.
class UpstreamReader {
 public:
  explicit UpstreamReader(const UpstreamDirectory& directory) : directory_(&directory) {}
  /// The client of `svc`, or null.
  std::shared_ptr<upstream::UpstreamClient> find(std::string_view svc) {
    if (uint64_t v = directory_->version(); v != seen_) {
      map_ = directory_->current();
      seen_ = v;
    }
    auto it = map_->find(svc);
    return it == map_->end() ? nullptr : it->second;
  }

 private:
  const UpstreamDirectory* directory_;
  uint64_t seen_ = 0;
  std::shared_ptr<const UpstreamMap> map_;
};

}  // namespace opp::gateway::pipeline
