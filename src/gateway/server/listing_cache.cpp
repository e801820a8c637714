#include "gateway/server/listing_cache.hpp"

namespace opp::gateway::server {

std::shared_ptr<const std::string> ListingCache::get(
    const std::shared_ptr<const catalog::Snapshot>& snapshot, routes::Format format) {
  const size_t index = static_cast<size_t>(format);
  {
    std::lock_guard lock(mutex_);
    if (snapshot_ == snapshot && rendered_[index]) return rendered_[index];
  }
  // Rendered outside the lock: two threads may both render a new snapshot once.
  auto text = std::make_shared<const std::string>(routes::render(*snapshot, format));
  std::lock_guard lock(mutex_);
  if (snapshot_ != snapshot) {
    if (snapshot_ && snapshot->generation < snapshot_->generation) return text;  // stale
    snapshot_ = snapshot;
    rendered_ = {};
  }
  rendered_[index] = text;
  return text;
}

}  // namespace opp::gateway::server
