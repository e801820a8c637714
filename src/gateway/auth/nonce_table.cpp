#include "nonce_table.hpp"

#include <algorithm>
#include <bit>

#define XXH_INLINE_ALL
#include <xxhash.h>

namespace opp::gateway::auth::detail {
namespace {

constexpr size_t kMinSlots = 16;

}  // namespace

NonceFingerprint fingerprint(std::string_view nonce, uint64_t seed) noexcept {
  const XXH128_hash_t hash = XXH3_128bits_withSeed(nonce.data(), nonce.size(), seed);
  return {hash.low64, hash.high64};
}

NonceTable::Probe NonceTable::probe(const NonceFingerprint& nonce, int64_t now_s) {
  Probe found;
  const size_t mask = slots_.size() - 1;
  // Room is kept for at least one never-used slot, so every probe ends.
  for (size_t i = nonce.low & mask;; i = (i + 1) & mask) {
    Slot& slot = slots_[i];
    if (slot.expires_at_s == kEmpty) {
      found.empty = &slot;
      return found;
    }
    if (slot.expires_at_s < now_s) {
      if (found.reusable == nullptr) found.reusable = &slot;
    } else if (slot.nonce == nonce) {
      found.replayed = true;
      return found;
    }
  }
}

NonceTable::Outcome NonceTable::insert(const NonceFingerprint& nonce, int64_t expires_at_s,
                                       int64_t now_s, size_t max_live) {
  if (slots_.empty()) slots_.resize(kMinSlots);
  Probe found = probe(nonce, now_s);
  if (found.replayed) return Outcome::kReplayed;

  if (used_ >= max_live) {
    // Only a rebuild tells how many are live; it can free a slot only once one expired.
    if (now_s <= earliest_expiry_s_) return Outcome::kFull;
    rebuild(now_s);
    if (used_ >= max_live) return Outcome::kFull;
    found = probe(nonce, now_s);
  } else if (found.reusable == nullptr && !room_for_one_more()) {
    rebuild(now_s);
    found = probe(nonce, now_s);
  }

  Slot* target = found.reusable;
  if (target == nullptr) {
    target = found.empty;
    ++used_;
  }
  target->nonce = nonce;
  target->expires_at_s = expires_at_s;
  earliest_expiry_s_ = std::min(earliest_expiry_s_, expires_at_s);
  latest_expiry_s_ = std::max(latest_expiry_s_, expires_at_s);
  return Outcome::kStored;
}

void NonceTable::rebuild(int64_t now_s) {
  std::vector<Slot> old;
  old.swap(slots_);
  size_t live = 0;
  for (const Slot& slot : old) live += slot.expires_at_s >= now_s ? 1 : 0;
  slots_.resize(std::max(kMinSlots, std::bit_ceil(2 * (live + 1))));
  used_ = 0;
  earliest_expiry_s_ = std::numeric_limits<int64_t>::max();
  latest_expiry_s_ = kEmpty;
  const size_t mask = slots_.size() - 1;
  for (const Slot& slot : old) {
    if (slot.expires_at_s < now_s) continue;  // expired (or never used)
    size_t i = slot.nonce.low & mask;
    while (slots_[i].expires_at_s != kEmpty) i = (i + 1) & mask;
    slots_[i] = slot;
    ++used_;
    earliest_expiry_s_ = std::min(earliest_expiry_s_, slot.expires_at_s);
    latest_expiry_s_ = std::max(latest_expiry_s_, slot.expires_at_s);
  }
}

}  // namespace opp::gateway::auth::detail
