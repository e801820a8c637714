#pragma once
// The gateway's merchants in SQL (SPEC §3.4) through SOCI: SQLite by default, PostgreSQL
// by connect string; the schema (schemas/<dialect>/gateway/) is created when missing.
// HMAC secrets are stored only sealed (secret_box.hpp) under the key file
// auth.secret_key, RSA2 public keys as PEM. Every change takes the next value of a
// revision counter, so the cache fetches only rows whose revision grew. Thread-safe.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/auth/merchant_key.hpp"
#include "gateway/auth/secret_box.hpp"
#include "opp/common/result.hpp"
#include "opp/crypto/sign_type.hpp"
#include "sql/database.hpp"

namespace opp::gateway::auth {

/// A merchant as listed: everything but its key.
struct MerchantInfo {
  std::string id;
  crypto::SignType sign_type = crypto::SignType::kHmacSha256;
  bool enabled = true;
  uint32_t key_version = 0;
  int64_t created_at_ms = 0;
  int64_t updated_at_ms = 0;
  int64_t revision = 0;  ///< the revision counter's value at the row's last change
};

/// A row changed since some revision, with its key: the HMAC secret (opened) or the
/// public key PEM, or why it could not be read (a wrong key file, an altered row).
struct MerchantChange {
  MerchantInfo info;
  Result<std::string> key_material;
};

/// What the merchant cache reads. MerchantStore implements it; tests substitute fakes.
class MerchantSource {
 public:
  virtual ~MerchantSource() = default;
  /// Rows whose revision is greater than `revision`, in revision order.
  /// Errors: 10006 `storage-error`.
  virtual Result<std::vector<MerchantChange>> changed_since(int64_t revision) = 0;
};

class MerchantStore final : public MerchantSource {
 public:
  /// Opens `database_url` (a SOCI connect string as in gateway.yaml; a relative SQLite
  /// file is taken from the current directory) with `pool_size` sessions, creates the
  /// schema when missing, and loads the key file — generating it when the database has
  /// sealed nothing yet. Errors: 10006 `bad-database-url`, `storage-error` (cannot open,
  /// migrate), `secret-key-*` (key file), `secret-key-mismatch` (the key file holds
  /// another key than the one this database's secrets were sealed with).
  static Result<std::unique_ptr<MerchantStore>> open(const std::string& database_url,
                                                     const std::filesystem::path& secret_key_file,
                                                     size_t pool_size = 1);

  /// A new, enabled merchant with key version 1. Errors: those of validate_merchant_id
  /// and normalize_key_material, 10001 `duplicate-merchant`, 10006 `storage-error`.
  Result<MerchantInfo> add(std::string_view id, crypto::SignType sign_type, const KeyMaterial& key);

  /// Enables or disables a merchant (its key stays). Errors: 10002 `unknown-merchant`,
  /// 10001 `invalid-merchant-id`, 10006 `storage-error`.
  Result<MerchantInfo> set_enabled(std::string_view id, bool enabled);

  /// Replaces a merchant's key and bumps key_version; the sign type stays unless
  /// `new_sign_type` is given. Errors: as add, and 10002 `unknown-merchant`.
  Result<MerchantInfo> rotate(std::string_view id, const KeyMaterial& key,
                              std::optional<crypto::SignType> new_sign_type = std::nullopt);

  /// Every merchant, by id. Errors: 10006 `storage-error`.
  Result<std::vector<MerchantInfo>> list();

  Result<std::vector<MerchantChange>> changed_since(int64_t revision) override;

  MerchantStore(std::unique_ptr<sql::Database> database, SecretBox box);
  ~MerchantStore() override;

 private:
  std::unique_ptr<sql::Database> database_;
  SecretBox box_;
};

}  // namespace opp::gateway::auth
