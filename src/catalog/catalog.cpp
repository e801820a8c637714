// The holder of the current snapshot.
#include "opp/catalog/catalog.hpp"

#include <atomic>

namespace opp::catalog {

std::shared_ptr<const Snapshot> Catalog::current() const {
  return std::atomic_load(&current_);
}

void Catalog::publish(std::shared_ptr<const Snapshot> snapshot) {
  std::atomic_store(&current_, std::move(snapshot));
  publications_.fetch_add(1, std::memory_order_release);
}

std::shared_ptr<const Snapshot> Catalog::rescan(const std::filesystem::path& idl_dir) {
  std::lock_guard lock(rescan_mutex_);
  std::shared_ptr<const Snapshot> previous = current();
  std::shared_ptr<const Snapshot> next = scan(idl_dir, previous.get());
  publish(next);
  return next;
}

}  // namespace opp::catalog
