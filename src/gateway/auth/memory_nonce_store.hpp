#pragma once
// The in-process NonceStore (auth.nonce_store: memory): right for one gateway process;
// several gateways behind one address need a shared store.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "gateway/auth/nonce_store.hpp"

namespace opp::gateway::auth {

/// Nonces sharded by merchant: each shard has its own lock, so threads serving different
/// merchants rarely meet, and one merchant's nonces are decided under one lock (which is
/// what makes "exactly one of N racing requests wins" hold).
///
/// Memory is bounded: at most `max_nonces_per_merchant` unexpired nonces per merchant (24
/// to 96 bytes each, see nonce_table.hpp), and only merchants that passed the signature
/// check get here, so the number of merchants is bounded by the merchant directory.
/// Expired nonces are reused or dropped as the merchant stores new ones, and every shard
/// drops merchants whose nonces have all expired at most once a second of the caller's
/// clock.
class MemoryNonceStore final : public NonceStore {
 public:
  /// `max_nonces_per_merchant` ≥ 1 (AuthConfig::max_nonces_per_merchant); `shards` is
  /// rounded up to a power of two, 0 = a default fit for many threads. Throws
  /// std::runtime_error when the CSPRNG cannot seed the fingerprints (start-up only).
  explicit MemoryNonceStore(uint32_t max_nonces_per_merchant, size_t shards = 0);
  ~MemoryNonceStore() override;

  /// See NonceStore::remember. At the cap the merchant's new nonces are refused (10002
  /// `nonce-quota-exceeded`) until old ones expire: failing closed, because evicting an
  /// unexpired nonce to make room would let that nonce be replayed. Other merchants are
  /// unaffected. Only a merchant holding a valid key can fill its own quota.
  Result<void> remember(std::string_view merchant_id, std::string_view nonce, int64_t expires_at_s,
                        int64_t now_s) override;

  /// Nonces held now, expired ones not yet dropped or reused included (for tests and
  /// metrics).
  size_t size() const;

 private:
  struct Shard;
  Shard& shard_for(std::string_view merchant_id) const;

  uint32_t max_nonces_per_merchant_;
  uint64_t seed_;  // of the nonce fingerprints: unknown outside, so probe chains stay short
  size_t shard_mask_;
  std::unique_ptr<Shard[]> shards_;
};

}  // namespace opp::gateway::auth
