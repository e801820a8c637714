#pragma once
// Authenticated encryption of merchant HMAC secrets at rest: AES-256-GCM (OpenSSL EVP)
// under the gateway's key-encryption key, a fresh random 96-bit nonce per encryption,
// and associated data that binds a ciphertext to its row, so one sealed secret cannot
// be moved to another merchant or key version without failing to open.

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "opp/common/result.hpp"

namespace opp::gateway::auth {

class SecretBox {
 public:
  static constexpr size_t kKeyBytes = 32;
  static constexpr size_t kNonceBytes = 12;
  static constexpr size_t kTagBytes = 16;

  /// A box under `key` (exactly 32 bytes). Errors: 10006 `bad-secret-key`.
  static Result<SecretBox> from_key(std::string_view key);

  /// format byte || nonce || ciphertext || tag. Errors: 10006 `crypto-failure`.
  Result<std::string> seal(std::string_view plaintext, std::string_view associated_data) const;

  /// The plaintext of a sealed value, when its tag verifies under this key and
  /// `associated_data`. Errors: 10006 `secret-undecryptable` (wrong key, altered or moved
  /// ciphertext); the message never shows any of the bytes.
  Result<std::string> open(std::string_view sealed, std::string_view associated_data) const;

 private:
  using Key = std::array<unsigned char, kKeyBytes>;
  explicit SecretBox(std::shared_ptr<const Key> key) : key_(std::move(key)) {}
  std::shared_ptr<const Key> key_;  ///< wiped when the last copy goes
};

/// The associated data of a merchant's sealed HMAC secret: binds merchant id and key
/// version (a length prefix keeps ("ab", 1) and ("a", b1) apart).
std::string merchant_secret_aad(std::string_view merchant_id, uint32_t key_version);

}  // namespace opp::gateway::auth
