// The merchant lookup on the request path: MerchantCache::find (atomic shared_ptr load,
// no lock) against the same map behind a std::mutex, both with 10,000 merchants and on
// one or two threads; plus what a refresh with one changed row costs, and sealing.
#include <benchmark/benchmark.h>

#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "gateway/auth/merchant_cache.hpp"
#include "gateway/auth/secret_box.hpp"

namespace {

using namespace opp::gateway::auth;

constexpr int kMerchants = 10000;

std::string id_of(int i) {
  return "merchant_" + std::to_string(i);
}

/// Serves kMerchants rows once, then one changed row per call (a rotation each time).
class BenchSource final : public MerchantSource {
 public:
  opp::Result<std::vector<MerchantChange>> changed_since(int64_t revision) override {
    std::vector<MerchantChange> changes;
    if (revision == 0) {
      for (int i = 0; i < kMerchants; ++i) changes.push_back(change(id_of(i), 1, ++revision_));
    } else {
      changes.push_back(change(id_of(7), static_cast<uint32_t>(++version_), ++revision_));
    }
    return changes;
  }

 private:
  static MerchantChange change(const std::string& id, uint32_t version, int64_t revision) {
    return MerchantChange{
        MerchantInfo{id, opp::crypto::SignType::kHmacSha256, true, version, 0, 0, revision},
        std::string("secret-of-") + id};
  }
  int64_t revision_ = 0;
  int version_ = 1;
};

MerchantCache& shared_cache() {
  static BenchSource source;
  static auto cache = MerchantCache::create(source).value();
  return *cache;
}

const std::vector<std::string>& lookup_ids() {
  static const std::vector<std::string> ids = [] {
    std::vector<std::string> out;
    for (int i = 0; i < 1024; ++i) out.push_back(id_of((i * 7919) % kMerchants));
    return out;
  }();
  return ids;
}

void BM_CacheFind(benchmark::State& state) {
  MerchantCache& cache = shared_cache();
  const auto& ids = lookup_ids();
  size_t i = 0;
  for (auto _ : state) {
    auto merchant = cache.find(ids[i++ & 1023]);
    benchmark::DoNotOptimize(merchant);
  }
}
BENCHMARK(BM_CacheFind)->Threads(1)->Threads(2)->UseRealTime();

/// Baseline: the same records in a map guarded by one mutex.
void BM_MutexMapFind(benchmark::State& state) {
  static std::mutex mutex;
  static const auto map = [] {
    std::unordered_map<std::string, std::shared_ptr<const Merchant>> out;
    for (int i = 0; i < kMerchants; ++i) out[id_of(i)] = shared_cache().find(id_of(i));
    return out;
  }();
  const auto& ids = lookup_ids();
  size_t i = 0;
  for (auto _ : state) {
    std::shared_ptr<const Merchant> merchant;
    {
      std::lock_guard lock(mutex);
      auto found = map.find(ids[i++ & 1023]);
      if (found != map.end()) merchant = found->second;
    }
    benchmark::DoNotOptimize(merchant);
  }
}
BENCHMARK(BM_MutexMapFind)->Threads(1)->Threads(2)->UseRealTime();

/// A refresh that finds one changed row among 10,000: the map is copied and published.
void BM_RefreshOneChange(benchmark::State& state) {
  BenchSource source;
  auto cache = MerchantCache::create(source).value();
  for (auto _ : state) {
    auto refreshed = cache->refresh();
    benchmark::DoNotOptimize(refreshed);
  }
}
BENCHMARK(BM_RefreshOneChange)->Unit(benchmark::kMicrosecond);

void BM_SealOpenSecret(benchmark::State& state) {
  const auto box = SecretBox::from_key(std::string(SecretBox::kKeyBytes, 'k')).value();
  const std::string aad = merchant_secret_aad("merchant_1", 1);
  for (auto _ : state) {
    auto sealed = box.seal("0123456789abcdef0123456789abcdef", aad);
    auto opened = box.open(*sealed, aad);
    benchmark::DoNotOptimize(opened);
  }
}
BENCHMARK(BM_SealOpenSecret);

}  // namespace
