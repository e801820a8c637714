#include "gateway/auth/memory_nonce_store.hpp"

#include <algorithm>
#include <bit>
#include <limits>
#include <mutex>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace opp::gateway::auth {
namespace {

constexpr size_t kDefaultShards = 64;
/// Below this a heap's spare capacity is not worth giving back.
constexpr size_t kShrinkFloor = 1024;

/// Hash and equality that accept string_view, so lookups build no std::string.
/// (std::hash has a fixed seed; a merchant could aim collisions only at its own nonces,
/// holding a valid key, at most max_nonces_per_merchant of them.)
struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view text) const noexcept {
    return std::hash<std::string_view>{}(text);
  }
};
struct StringEqual {
  using is_transparent = void;
  bool operator()(std::string_view a, std::string_view b) const noexcept { return a == b; }
};

struct Expiry {
  int64_t at_s;
  const std::string* nonce;  // the set's own key: nodes of an unordered_set never move
};
bool expires_later(const Expiry& a, const Expiry& b) {
  return a.at_s > b.at_s;
}

/// One merchant's unexpired nonces, and a min-heap of their expiry times.
struct MerchantNonces {
  std::unordered_set<std::string, StringHash, StringEqual> nonces;
  std::vector<Expiry> by_expiry;

  /// Drops every nonce that expired before `now_s`; how many.
  size_t drop_expired(int64_t now_s) {
    size_t dropped = 0;
    while (!by_expiry.empty() && by_expiry.front().at_s < now_s) {
      std::pop_heap(by_expiry.begin(), by_expiry.end(), expires_later);
      nonces.erase(nonces.find(*by_expiry.back().nonce));
      by_expiry.pop_back();
      ++dropped;
    }
    return dropped;
  }

  /// Gives back memory a past burst left behind.
  void shrink() {
    if (by_expiry.capacity() > kShrinkFloor && by_expiry.size() < by_expiry.capacity() / 4) {
      by_expiry.shrink_to_fit();
      nonces.rehash(0);
    }
  }
};

Error quota_exceeded() {
  return Error{ErrorCode::kUnauthorized,
               "nonce-quota-exceeded",
               "too many nonces inside the timestamp window for this merchant; retry later",
               {}};
}

}  // namespace

struct alignas(64) MemoryNonceStore::Shard {
  std::mutex mutex;
  std::unordered_map<std::string, MerchantNonces, StringHash, StringEqual> merchants;
  int64_t next_sweep_s = std::numeric_limits<int64_t>::min();
  size_t held = 0;

  /// Drops expired nonces of every merchant, and merchants left with none.
  void sweep(int64_t now_s) {
    for (auto it = merchants.begin(); it != merchants.end();) {
      held -= it->second.drop_expired(now_s);
      if (it->second.nonces.empty()) {
        it = merchants.erase(it);
      } else {
        it->second.shrink();
        ++it;
      }
    }
  }
};

MemoryNonceStore::MemoryNonceStore(uint32_t max_nonces_per_merchant, size_t shards)
    : max_nonces_per_merchant_(max_nonces_per_merchant) {
  const size_t count = std::bit_ceil(shards == 0 ? kDefaultShards : shards);
  shard_mask_ = count - 1;
  shards_ = std::make_unique<Shard[]>(count);
}

MemoryNonceStore::~MemoryNonceStore() = default;

MemoryNonceStore::Shard& MemoryNonceStore::shard_for(std::string_view merchant_id) const {
  return shards_[StringHash{}(merchant_id)&shard_mask_];
}

Result<void> MemoryNonceStore::remember(std::string_view merchant_id, std::string_view nonce,
                                        int64_t expires_at_s, int64_t now_s) {
  Shard& shard = shard_for(merchant_id);
  std::lock_guard lock(shard.mutex);
  if (now_s >= shard.next_sweep_s) {
    shard.sweep(now_s);
    shard.next_sweep_s = now_s + 1;
  }
  auto merchant = shard.merchants.find(merchant_id);
  if (merchant == shard.merchants.end()) {
    merchant = shard.merchants.emplace(std::string(merchant_id), MerchantNonces{}).first;
  }
  MerchantNonces& nonces = merchant->second;
  shard.held -= nonces.drop_expired(now_s);
  if (nonces.nonces.contains(nonce)) return nonce_replayed();
  if (nonces.nonces.size() >= max_nonces_per_merchant_) return quota_exceeded();

  // Room in the heap first: once the nonce is in the set, nothing may throw.
  if (nonces.by_expiry.size() == nonces.by_expiry.capacity()) {
    nonces.by_expiry.reserve(std::max<size_t>(16, nonces.by_expiry.capacity() * 2));
  }
  const std::string& stored = *nonces.nonces.emplace(nonce).first;
  nonces.by_expiry.push_back({expires_at_s, &stored});
  std::push_heap(nonces.by_expiry.begin(), nonces.by_expiry.end(), expires_later);
  ++shard.held;
  return {};
}

size_t MemoryNonceStore::size() const {
  size_t total = 0;
  for (size_t i = 0; i <= shard_mask_; ++i) {
    std::lock_guard lock(shards_[i].mutex);
    total += shards_[i].held;
  }
  return total;
}

}  // namespace opp::gateway::auth
