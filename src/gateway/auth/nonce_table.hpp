#pragma once
// One merchant's nonces inside the memory nonce store: an open-addressing table (linear
// probing) of 24-byte slots — a 128-bit fingerprint of the nonce and its expiry time — so
// remembering a nonce allocates nothing and touches one or two cache lines.
//
// Nonces are compared by fingerprint: XXH3-128 under a per-store random seed. Two distinct
// nonces share one with probability 2^-128, far below any other failure of the system;
// only the merchant's own nonces are in its table, so a crafted collision could at most
// refuse that merchant's own request.

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string_view>
#include <vector>

namespace opp::gateway::auth::detail {

struct NonceFingerprint {
  uint64_t low = 0;
  uint64_t high = 0;
  bool operator==(const NonceFingerprint&) const = default;
};

/// XXH3-128 of `nonce` under `seed`.
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
  struct Slot {
    NonceFingerprint nonce;
    int64_t expires_at_s = kEmpty;  // kEmpty: never used; < now: expired, reusable
  };
  struct Probe {
    bool replayed = false;
    Slot* reusable = nullptr;  // first expired slot on the probe path
    Slot* empty = nullptr;     // the never-used slot that ended the probe
  };

  Probe probe(const NonceFingerprint& nonce, int64_t now_s);
  /// Keeps the live entries only, in a table twice their number (at least kMinSlots).
  void rebuild(int64_t now_s);
  /// At most 3/4 full (expired slots included): an unsuccessful linear probe then reads
  /// about 8 slots on average, and a rebuild leaves the table at most half full.
  bool room_for_one_more() const noexcept { return (used_ + 1) * 4 <= slots_.size() * 3; }

  std::vector<Slot> slots_;  // size is 0 or a power of two
  size_t used_ = 0;
  int64_t earliest_expiry_s_ = std::numeric_limits<int64_t>::max();
  int64_t latest_expiry_s_ = kEmpty;
};

}  // namespace opp::gateway::auth::detail
