#pragma once
// The current plugin chain, replaceable while requests run (SIGHUP, a config file
// change). Each io thread reads through a PluginReader, which takes the lock only when a
// new chain was published: with no plugins configured a request pays one atomic load.

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>

#include "gateway/plugins/plugin_chain.hpp"

namespace opp::gateway::plugins {

class PluginDirectory {
 public:
  std::shared_ptr<const PluginChain> current() const {
    std::lock_guard lock(mutex_);
    return chain_;
  }
  void publish(std::shared_ptr<const PluginChain> chain) {
    {
      std::lock_guard lock(mutex_);
      chain_ = std::move(chain);
    }
    version_.fetch_add(1, std::memory_order_release);
  }
  uint64_t version() const { return version_.load(std::memory_order_acquire); }

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const PluginChain> chain_ = std::make_shared<PluginChain>();
  std::atomic<uint64_t> version_{1};
};

/// One io thread's view of a PluginDirectory. Not thread-safe.
class PluginReader {
 public:
  explicit PluginReader(const PluginDirectory& directory) : directory_(&directory) {}

  /// A PluginCall for a request to `svc` ("" outside the merchant API), or nullopt
  /// when no plugin sees it.
  std::optional<PluginCall> start(std::string_view svc) {
    if (uint64_t v = directory_->version(); v != seen_) {
      chain_ = directory_->current();
      seen_ = v;
    }
    if (chain_->empty() || !chain_->applies_to(svc)) return std::nullopt;
    return PluginCall(chain_, svc);
  }

 private:
  const PluginDirectory* directory_;
  uint64_t seen_ = 0;
  std::shared_ptr<const PluginChain> chain_;
};

}  // namespace opp::gateway::plugins
