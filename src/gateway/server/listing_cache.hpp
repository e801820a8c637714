#pragma once
// The route listings served at GET /gateway/routes, /gateway/openapi.json and
// /gateway/docs: rendered once per catalog snapshot and format (a render costs
// milliseconds), then shared by every thread until a reload publishes a new snapshot.

#include <array>
#include <memory>
#include <mutex>
#include <string>

#include "opp/catalog/snapshot.hpp"
#include "routes/routes.hpp"

namespace opp::gateway::server {

class ListingCache {
 public:
  /// The listing of `snapshot` in `format`. Thread-safe.
  std::shared_ptr<const std::string> get(const std::shared_ptr<const catalog::Snapshot>& snapshot,
                                         routes::Format format);

 private:
  std::mutex mutex_;
  std::shared_ptr<const catalog::Snapshot> snapshot_;  ///< the one the entries were made from
  std::array<std::shared_ptr<const std::string>, 4> rendered_;
};

}  // namespace opp::gateway::server
