#include "gateway/auth/memory_nonce_store.hpp"

#include <bit>
#include <cstring>
#include <limits>
#include <mutex>
#include <stdexcept>
#include <string>
#include <unordered_map>

#include "nonce_table.hpp"
#include "opp/crypto/random.hpp"

namespace opp::gateway::auth {
namespace {

constexpr size_t kDefaultShards = 64;

/// Hash and equality that accept string_view, so finding a merchant builds no string.
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

Error quota_exceeded() {
  return Error{ErrorCode::kUnauthorized,
               "nonce-quota-exceeded",
               "too many nonces inside the timestamp window for this merchant; retry later",
               {}};
}

uint64_t random_seed() {
  auto bytes = crypto::random_bytes(sizeof(uint64_t));
  if (!bytes) throw std::runtime_error("nonce store: " + bytes.error().message);
  uint64_t seed;
  std::memcpy(&seed, bytes->data(), sizeof seed);
  return seed;
}

}  // namespace

struct alignas(64) MemoryNonceStore::Shard {
  std::mutex mutex;
  std::unordered_map<std::string, detail::NonceTable, StringHash, StringEqual> merchants;
  int64_t next_sweep_s = std::numeric_limits<int64_t>::min();

  /// Drops the tables of merchants whose nonces have all expired.
  void sweep(int64_t now_s) {
    std::erase_if(merchants,
                  [now_s](const auto& entry) { return entry.second.all_expired(now_s); });
  }
};

MemoryNonceStore::MemoryNonceStore(uint32_t max_nonces_per_merchant, size_t shards)
    : max_nonces_per_merchant_(max_nonces_per_merchant), seed_(random_seed()) {
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
  const detail::NonceFingerprint key = detail::fingerprint(nonce, seed_);
  Shard& shard = shard_for(merchant_id);
  std::lock_guard lock(shard.mutex);
  if (now_s >= shard.next_sweep_s) {
    shard.sweep(now_s);
    shard.next_sweep_s = now_s + 1;
  }
  auto merchant = shard.merchants.find(merchant_id);
  if (merchant == shard.merchants.end()) {
    merchant = shard.merchants.emplace(std::string(merchant_id), detail::NonceTable{}).first;
  }
  switch (merchant->second.insert(key, expires_at_s, now_s, max_nonces_per_merchant_)) {
    case detail::NonceTable::Outcome::kStored:
      return {};
    case detail::NonceTable::Outcome::kReplayed:
      return nonce_replayed();
    case detail::NonceTable::Outcome::kFull:
      break;
  }
  return quota_exceeded();
}

size_t MemoryNonceStore::size() const {
  size_t total = 0;
  for (size_t i = 0; i <= shard_mask_; ++i) {
    std::lock_guard lock(shards_[i].mutex);
    for (const auto& [id, table] : shards_[i].merchants) total += table.used();
  }
  return total;
}

}  // namespace opp::gateway::auth
