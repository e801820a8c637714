#pragma once
// The authenticator's merchant directory (merchant.hpp): every merchant held in memory
// as an immutable map, published atomically, so a request finds its merchant without a
// lock or a database query. A background refresher asks the store for rows whose
// revision grew and publishes a new map; keys are parsed once per key version. A failed
// refresh keeps the last good map and is logged (never with key material).

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>

#include "gateway/auth/merchant.hpp"
#include "gateway/auth/merchant_store.hpp"
#include "opp/common/result.hpp"

namespace opp::gateway::auth {

struct MerchantCacheOptions {
  /// Time between two refreshes; SPEC §3.4 wants key changes live within 2 s.
  std::chrono::milliseconds refresh_interval{250};
  /// Receives one line per refresh problem (a failure, a row whose key cannot be used,
  /// a recovery). Default: standard error.
  std::function<void(const std::string&)> log;
};

class MerchantCache final : public MerchantDirectory {
 public:
  /// Loads every merchant from `source`, which must outlive the cache. The refresher is
  /// not running yet (start()). Errors: the source's.
  static Result<std::unique_ptr<MerchantCache>> create(MerchantSource& source,
                                                       MerchantCacheOptions options = {});
  ~MerchantCache() override;

  /// The merchant's current record, or nullptr when unknown (or its key is unusable).
  /// Lock-free for readers; never touches the database.
  std::shared_ptr<const Merchant> find(std::string_view id) const override;

  /// Starts the background refresher; a second call does nothing.
  void start();
  /// Stops the refresher and joins it: returns once a refresh in progress ends.
  void stop();

  /// One refresh on the calling thread: fetches rows whose revision grew and publishes
  /// the new map. On error the last good map stays. Errors: the source's.
  Result<void> refresh();

  /// The highest revision the published map reflects.
  int64_t revision() const { return revision_.load(); }
  /// Merchants in the published map.
  size_t size() const;
  /// Refreshes that failed since start, for metrics.
  uint64_t refresh_failures() const { return failures_.load(); }

  MerchantCache(MerchantSource& source, MerchantCacheOptions options);

 private:
  struct IdHash {
    using is_transparent = void;
    size_t operator()(std::string_view id) const noexcept {
      return std::hash<std::string_view>{}(id);
    }
  };
  using Map =
      std::unordered_map<std::string, std::shared_ptr<const Merchant>, IdHash, std::equal_to<>>;

  void publish(std::shared_ptr<const Map> map);
  void run();
  void refresh_and_report();
  void log(const std::string& line) const;

  MerchantSource& source_;
  MerchantCacheOptions options_;
  /// The published map. Readers copy it only when `generation_` moved: a thread keeps the
  /// map it last used, so a lookup writes to no shared cache line (the map's reference
  /// count would be one, bouncing between cores on every request).
  std::atomic<std::shared_ptr<const Map>> map_;
  std::atomic<uint64_t> generation_;  ///< unique across caches; changes with every publish
  std::atomic<int64_t> revision_{0};
  std::atomic<uint64_t> failures_{0};

  std::mutex refresh_mutex_;  ///< one refresh at a time (writers only; readers never lock)
  std::string last_problem_;  ///< guarded by refresh_mutex_: repeats are not logged again

  std::mutex stop_mutex_;
  std::condition_variable stop_signal_;
  bool stopping_ = false;
  std::thread refresher_;
};

}  // namespace opp::gateway::auth
