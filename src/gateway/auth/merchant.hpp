#pragma once
// A merchant as the gateway holds it in memory (SPEC §3.2, §3.4): keys are parsed once
// per key version when the record is loaded, never per request.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "opp/crypto/sign_type.hpp"
#include "opp/crypto/signature.hpp"

namespace opp::gateway::auth {

struct Merchant {
  std::string id;
  bool enabled = true;
  crypto::SignType sign_type = crypto::SignType::kHmacSha256;
  /// Bumped by every rotation; lets caches tell a new key from an old one.
  uint32_t key_version = 0;
  /// The HMAC secret (HMAC types) or the parsed RSA public key (RSA2).
  crypto::VerifyKey verify_key;
};

/// The read side the authenticator needs. Implemented by the in-memory cache over the
/// SQL merchant store, and by fakes in tests. Thread-safe; never queries a database.
class MerchantDirectory {
 public:
  virtual ~MerchantDirectory() = default;
  /// The merchant's current record, or nullptr when unknown.
  virtual std::shared_ptr<const Merchant> find(std::string_view id) const = 0;
};

}  // namespace opp::gateway::auth
