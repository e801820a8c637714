#include "nonce_table.hpp"

#include <algorithm>

#define XXH_INLINE_ALL
#include <xxhash.h>

namespace opp::gateway::auth::detail {
namespace {

constexpr size_t kMinSlots = 16;

}  // namespace

NonceFingerprint fingerprint(std::string_view nonce, uint64_t seed) noexcept {
  return XXH3_64bits_withSeed(nonce.data(), nonce.size(), seed);
}

// The slot a fingerprint starts probing at: the fingerprint scaled to the table's size
// (Lemire's multiply-shift), so the size need not be a power of two.
size_t NonceTable::home(NonceFingerprint nonce) const noexcept {
  return static_cast<size_t>((static_cast<unsigned __int128>(nonce) * slots_.size()) >> 64);
}

NonceTable::Probe NonceTable::probe(const NonceFingerprint& nonce, int64_t now_s) {
  Probe found;
  const size_t size = slots_.size();
  // Room is kept for at least one never-used slot, so every probe ends.
  for (size_t i = home(nonce);; i = i + 1 == size ? 0 : i + 1) {
    Slot& slot = slots_[i];
    if (!slot.used()) {
      found.empty = &slot;
      return found;
    }
    if (slot.expired(now_s)) {
      if (found.reusable == nullptr) found.reusable = &slot;
    } else if (slot.nonce() == nonce) {
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
  target->nonce_low = static_cast<uint32_t>(nonce);
  target->nonce_high = static_cast<uint32_t>(nonce >> 32);
  target->expires_at_s = static_cast<uint32_t>(expires_at_s);
  earliest_expiry_s_ = std::min(earliest_expiry_s_, expires_at_s);
  latest_expiry_s_ = std::max(latest_expiry_s_, expires_at_s);
  return Outcome::kStored;
}

void NonceTable::rebuild(int64_t now_s) {
  std::vector<Slot> old;
  old.swap(slots_);
  size_t live = 0;
  for (const Slot& slot : old) live += slot.used() && !slot.expired(now_s) ? 1 : 0;
  // Twice the live count, not the next power of two: every request leaves a nonce here for
  // the whole window, so the table's slack is most of the gateway's memory under load.
  slots_.resize(std::max(kMinSlots, 2 * (live + 1)));
  used_ = 0;
  earliest_expiry_s_ = std::numeric_limits<int64_t>::max();
  latest_expiry_s_ = kEmpty;
  const size_t size = slots_.size();
  for (const Slot& slot : old) {
    if (!slot.used() || slot.expired(now_s)) continue;
    size_t i = home(slot.nonce());
    while (slots_[i].used()) i = i + 1 == size ? 0 : i + 1;
    slots_[i] = slot;
    ++used_;
    earliest_expiry_s_ = std::min<int64_t>(earliest_expiry_s_, slot.expires_at_s);
    latest_expiry_s_ = std::max<int64_t>(latest_expiry_s_, slot.expires_at_s);
  }
}

}  // namespace opp::gateway::auth::detail
