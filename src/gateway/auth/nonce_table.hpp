#pragma once
// One merchant's nonces inside the memory nonce store: an open-addressing table (linear
// probing) of 12-byte slots — a 64-bit fingerprint of the nonce and its expiry second —
// so remembering a nonce allocates nothing and touches one or two cache lines. Every
// request inside the timestamp window leaves one slot behind, so the slot size is most of
// the gateway's memory under load: at 50k requests/s a 10 s run holds 500k nonces.
//
// Nonces are compared by fingerprint: XXH3-64 under a per-store random seed, unknown
// outside. A fresh nonce is taken for a replay with probability (live nonces) / 2^64 —
// below 10^-13 at the per-merchant cap — and only the merchant's own nonces are in its
// table, so a collision could at most refuse that merchant's own request.

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string_view>
#include <vector>

namespace opp::gateway::auth::detail {

using NonceFingerprint = uint64_t;

/// XXH3-64 of `nonce` under `seed`.
NonceFingerprint fingerprint(std::string_view nonce, uint64_t seed) noexcept;

class NonceTable {
 public:
  enum class Outcome { kStored, kReplayed, kFull };

  /// Stores `nonce` until `expires_at_s` (inclusive) unless an unexpired equal one is held
  /// (kReplayed), or `max_live` unexpired nonces are held already (kFull; a replay is still
  /// reported as kReplayed). Entries that expired before `now_s` count as gone.
  /// Amortised O(1); the table is rebuilt (expired entries dropped, resized to twice the
  /// live count) when it runs out of free slots, and at the cap at most once per expiry.
  Outcome insert(const NonceFingerprint& nonce, int64_t expires_at_s, int64_t now_s,
                 size_t max_live);

  /// Slots in use: live nonces plus expired ones not yet dropped.
  size_t used() const noexcept { return used_; }
  /// True when every nonce held has expired at `now_s` (the table can be dropped).
  bool all_expired(int64_t now_s) const noexcept { return latest_expiry_s_ < now_s; }

 private:
  static constexpr int64_t kEmpty = std::numeric_limits<int64_t>::min();
  // 4-byte aligned, so 12 bytes: the fingerprint in two halves, the expiry as unsigned
  // Unix seconds (0 = never used; the window keeps expiries far from both ends).
  struct Slot {
    uint32_t nonce_low = 0;
    uint32_t nonce_high = 0;
    uint32_t expires_at_s = 0;  // 0: never used; < now: expired, reusable
    NonceFingerprint nonce() const { return (uint64_t{nonce_high} << 32) | nonce_low; }
    bool used() const { return expires_at_s != 0; }
    bool expired(int64_t now_s) const { return int64_t{expires_at_s} < now_s; }
  };
  static_assert(sizeof(Slot) == 12);
  struct Probe {
    bool replayed = false;
    Slot* reusable = nullptr;  // first expired slot on the probe path
    Slot* empty = nullptr;     // the never-used slot that ended the probe
  };

  size_t home(NonceFingerprint nonce) const noexcept;
  Probe probe(const NonceFingerprint& nonce, int64_t now_s);
  /// Keeps the live entries only, in a table twice their number (at least kMinSlots).
  void rebuild(int64_t now_s);
  /// At most 3/4 full (expired slots included): an unsuccessful linear probe then reads
  /// about 8 slots on average, and a rebuild leaves the table at most half full.
  bool room_for_one_more() const noexcept { return (used_ + 1) * 4 <= slots_.size() * 3; }

  std::vector<Slot> slots_;  // empty, or at least 16 slots
  size_t used_ = 0;
  int64_t earliest_expiry_s_ = std::numeric_limits<int64_t>::max();
  int64_t latest_expiry_s_ = kEmpty;
};

}  // namespace opp::gateway::auth::detail
