#include "gateway/auth/merchant_store.hpp"

#include <soci/soci.h>

#include <chrono>

#include "gateway/auth/kek_file.hpp"
#include "gateway/auth/merchant_schema.hpp"
#include "opp/crypto/base64.hpp"
#include "sql/session.hpp"

namespace opp::gateway::auth {
namespace {

using crypto::SignType;

constexpr const char* kSelectMerchants =
    "SELECT merchant_id, sign_type, enabled, key_version, sealed_secret, public_key_pem, "
    "created_at_ms, updated_at_ms, revision FROM gateway_merchants ";

/// The check value sealed under the key file (see gateway_key_check in the schema).
constexpr std::string_view kKeyCheckPlaintext = "opp-gateway secret key check v1";
constexpr std::string_view kKeyCheckAad = "opp-gateway-key-check";

/// One gateway_merchants row as SOCI binds it.
struct Row {
  std::string id;
  std::string sign_type;
  int enabled = 0;
  int key_version = 0;
  std::string sealed_secret;  ///< base64 of the sealed value; empty for RSA2
  std::string public_key_pem;
  long long created_at_ms = 0;
  long long updated_at_ms = 0;
  long long revision = 0;
};

long long now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

Error unknown_merchant(std::string_view id) {
  return Error{
      ErrorCode::kUnauthorized, "unknown-merchant", "no merchant with id " + std::string(id), {}};
}

Error storage_failure(std::string message) {
  return Error{ErrorCode::kServerHandleFail, "storage-error", std::move(message), {}};
}

/// Rows selected by `tail` ("WHERE ..."), one placeholder bound to `param`.
template <class Param>
std::vector<Row> select_rows(soci::session& session, const std::string& tail, const Param& param) {
  Row row;
  soci::statement statement =
      (session.prepare << kSelectMerchants + tail, soci::into(row.id), soci::into(row.sign_type),
       soci::into(row.enabled), soci::into(row.key_version), soci::into(row.sealed_secret),
       soci::into(row.public_key_pem), soci::into(row.created_at_ms), soci::into(row.updated_at_ms),
       soci::into(row.revision), soci::use(param));
  statement.execute(false);
  std::vector<Row> rows;
  while (statement.fetch()) rows.push_back(row);
  return rows;
}

Result<MerchantInfo> info_of(const Row& row) {
  auto sign_type = crypto::parse_sign_type(row.sign_type);
  if (!sign_type) return storage_failure("merchant " + row.id + " has an unknown sign type");
  return MerchantInfo{row.id,
                      *sign_type,
                      row.enabled != 0,
                      static_cast<uint32_t>(row.key_version),
                      row.created_at_ms,
                      row.updated_at_ms,
                      row.revision};
}

/// The next revision, taken first inside the caller's write transaction: the counter row
/// stays locked until commit, so revisions become visible in the order they are handed
/// out, and every writer takes its locks in one order (counter, then merchant row).
long long next_revision(soci::session& session) {
  session << "UPDATE gateway_revision SET revision = revision + 1 WHERE id = 1";
  long long revision = 0;
  session << "SELECT revision FROM gateway_revision WHERE id = 1", soci::into(revision);
  return revision;
}

/// In a write transaction, before changing `id`'s row: takes the next revision (first,
/// see next_revision), then reads the row locked until commit, carrying that revision.
/// Errors: 10002 `unknown-merchant`.
Result<Row> lock_for_change(soci::session& session, const sql::Database& database,
                            std::string_view id) {
  const long long revision = next_revision(session);
  std::vector<Row> rows = select_rows(
      session, std::string("WHERE merchant_id = :id") + database.lock_rows(), std::string(id));
  if (rows.empty()) return unknown_merchant(id);
  rows.front().revision = revision;
  return std::move(rows.front());
}

/// The stored columns for `key` of a merchant at `key_version`: sealed secret or PEM.
Result<Row> key_columns(const SecretBox& box, std::string_view id, uint32_t key_version,
                        SignType sign_type, const std::string& material) {
  Row row;
  if (crypto::is_hmac(sign_type)) {
    auto sealed = box.seal(material, merchant_secret_aad(id, key_version));
    if (!sealed) return std::move(sealed).error();
    row.sealed_secret = crypto::base64_encode(*sealed);
  } else {
    row.public_key_pem = material;
  }
  return row;
}

/// The key of a row: its opened secret, or its PEM.
Result<std::string> key_of(const SecretBox& box, const Row& row, const MerchantInfo& info) {
  if (!crypto::is_hmac(info.sign_type)) return row.public_key_pem;
  auto sealed = crypto::base64_decode(row.sealed_secret);
  if (!sealed) return box.open("", "");  // the same error as any value that does not open
  return box.open(*sealed, merchant_secret_aad(info.id, info.key_version));
}

/// Seals the check value on first use, and refuses a key file that cannot open it.
Result<void> verify_key_check(sql::Database& database, const SecretBox& box) {
  return sql::in_write_transaction(database, [&](soci::session& session) -> Result<void> {
    std::string stored;
    soci::indicator present = soci::i_null;
    session << "SELECT sealed FROM gateway_key_check WHERE id = 1", soci::into(stored, present);
    if (session.got_data() && present == soci::i_ok) {
      auto sealed = crypto::base64_decode(stored);
      auto opened = sealed ? box.open(*sealed, kKeyCheckAad) : box.open("", "");
      if (!opened || *opened != kKeyCheckPlaintext) {
        return Error{ErrorCode::kServerHandleFail,
                     "secret-key-mismatch",
                     "the secret key file does not hold the key this database's merchant "
                     "secrets were sealed with",
                     {}};
      }
      return {};
    }
    auto sealed = box.seal(kKeyCheckPlaintext, kKeyCheckAad);
    if (!sealed) return std::move(sealed).error();
    const std::string encoded = crypto::base64_encode(*sealed);
    session << "INSERT INTO gateway_key_check (id, sealed) VALUES (1, :s)", soci::use(encoded);
    return {};
  });
}

/// Whether the database already holds sealed data (then its key file must exist).
Result<bool> has_key_check(sql::Database& database) {
  return sql::with_session(database, [](soci::session& session) {
    int rows = 0;
    session << "SELECT COUNT(*) FROM gateway_key_check", soci::into(rows);
    return rows > 0;
  });
}

}  // namespace

MerchantStore::MerchantStore(std::unique_ptr<sql::Database> database, SecretBox box)
    : database_(std::move(database)), box_(std::move(box)) {}

MerchantStore::~MerchantStore() = default;

Result<std::unique_ptr<MerchantStore>> MerchantStore::open(
    const std::string& database_url, const std::filesystem::path& secret_key_file,
    size_t pool_size) {
  std::error_code ec;
  auto target = sql::parse_database_url(database_url, std::filesystem::current_path(ec));
  if (!target) return std::move(target).error();
  std::unique_ptr<sql::Database> database;
  try {
    database = std::make_unique<sql::Database>(*target, pool_size);
    apply_gateway_migrations(*database);
  } catch (const std::exception& e) {
    return sql::storage_error(e);
  }
  auto sealed_before = has_key_check(*database);
  if (!sealed_before) return std::move(sealed_before).error();
  auto box = *sealed_before ? load_kek(secret_key_file) : load_or_create_kek(secret_key_file);
  if (!box) {
    Error error = std::move(box).error();
    if (*sealed_before) error.message += " (this database's merchant secrets were sealed with it)";
    return error;
  }
  if (auto checked = verify_key_check(*database, *box); !checked) {
    return std::move(checked).error();
  }
  return std::make_unique<MerchantStore>(std::move(database), std::move(*box));
}

Result<MerchantInfo> MerchantStore::add(std::string_view id, SignType sign_type,
                                        const KeyMaterial& key) {
  if (auto valid = validate_merchant_id(id); !valid) return std::move(valid).error();
  auto material = normalize_key_material(sign_type, key);
  if (!material) return std::move(material).error();
  auto columns = key_columns(box_, id, 1, sign_type, *material);
  if (!columns) return std::move(columns).error();

  return sql::in_write_transaction(*database_, [&](soci::session& session) -> Result<MerchantInfo> {
    Row row = std::move(*columns);
    row.id = std::string(id);
    row.sign_type = std::string(crypto::sign_type_name(sign_type));
    row.enabled = 1;
    row.key_version = 1;
    row.created_at_ms = row.updated_at_ms = now_ms();
    row.revision = next_revision(session);
    soci::statement insert =
        (session.prepare << "INSERT INTO gateway_merchants (merchant_id, sign_type, enabled, "
                            "key_version, sealed_secret, public_key_pem, created_at_ms, "
                            "updated_at_ms, revision) VALUES (:id, :st, :en, :kv, :ss, :pk, "
                            ":ca, :ua, :rv) ON CONFLICT (merchant_id) DO NOTHING",
         soci::use(row.id), soci::use(row.sign_type), soci::use(row.enabled),
         soci::use(row.key_version), soci::use(row.sealed_secret), soci::use(row.public_key_pem),
         soci::use(row.created_at_ms), soci::use(row.updated_at_ms), soci::use(row.revision));
    insert.execute(true);
    if (insert.get_affected_rows() != 1) {
      return Error{ErrorCode::kBadRequest,
                   "duplicate-merchant",
                   "a merchant with id " + row.id + " already exists",
                   {}};
    }
    return info_of(row);
  });
}

Result<MerchantInfo> MerchantStore::set_enabled(std::string_view id, bool enabled) {
  if (auto valid = validate_merchant_id(id); !valid) return std::move(valid).error();
  return sql::in_write_transaction(*database_, [&](soci::session& session) -> Result<MerchantInfo> {
    auto locked = lock_for_change(session, *database_, id);
    if (!locked) return std::move(locked).error();
    Row& row = *locked;
    row.enabled = enabled ? 1 : 0;
    row.updated_at_ms = now_ms();
    session << "UPDATE gateway_merchants SET enabled = :en, updated_at_ms = :ua, revision = :rv "
               "WHERE merchant_id = :id",
        soci::use(row.enabled), soci::use(row.updated_at_ms), soci::use(row.revision),
        soci::use(row.id);
    return info_of(row);
  });
}

Result<MerchantInfo> MerchantStore::rotate(std::string_view id, const KeyMaterial& key,
                                           std::optional<SignType> new_sign_type) {
  if (auto valid = validate_merchant_id(id); !valid) return std::move(valid).error();
  return sql::in_write_transaction(*database_, [&](soci::session& session) -> Result<MerchantInfo> {
    auto locked = lock_for_change(session, *database_, id);
    if (!locked) return std::move(locked).error();
    auto current = info_of(*locked);
    if (!current) return std::move(current).error();
    const SignType sign_type = new_sign_type.value_or(current->sign_type);
    auto material = normalize_key_material(sign_type, key);
    if (!material) return std::move(material).error();
    const uint32_t key_version = current->key_version + 1;
    auto columns = key_columns(box_, id, key_version, sign_type, *material);
    if (!columns) return std::move(columns).error();

    Row row = std::move(*columns);
    row.id = locked->id;
    row.sign_type = std::string(crypto::sign_type_name(sign_type));
    row.enabled = locked->enabled;
    row.key_version = static_cast<int>(key_version);
    row.created_at_ms = locked->created_at_ms;
    row.updated_at_ms = now_ms();
    row.revision = locked->revision;
    session << "UPDATE gateway_merchants SET sign_type = :st, key_version = :kv, "
               "sealed_secret = :ss, public_key_pem = :pk, updated_at_ms = :ua, revision = :rv "
               "WHERE merchant_id = :id",
        soci::use(row.sign_type), soci::use(row.key_version), soci::use(row.sealed_secret),
        soci::use(row.public_key_pem), soci::use(row.updated_at_ms), soci::use(row.revision),
        soci::use(row.id);
    return info_of(row);
  });
}

Result<std::vector<MerchantInfo>> MerchantStore::list() {
  auto rows = sql::with_session(*database_, [](soci::session& session) {
    // Every row: revisions start at 1.
    return select_rows(session, "WHERE revision >= :r ORDER BY merchant_id", 0LL);
  });
  if (!rows) return std::move(rows).error();
  std::vector<MerchantInfo> merchants;
  for (const Row& row : *rows) {
    auto info = info_of(row);
    if (!info) return std::move(info).error();
    merchants.push_back(std::move(*info));
  }
  return merchants;
}

Result<std::vector<MerchantChange>> MerchantStore::changed_since(int64_t revision) {
  auto rows = sql::with_session(*database_, [&](soci::session& session) {
    return select_rows(session, "WHERE revision > :r ORDER BY revision",
                       static_cast<long long>(revision));
  });
  if (!rows) return std::move(rows).error();
  std::vector<MerchantChange> changes;
  changes.reserve(rows->size());
  for (const Row& row : *rows) {
    auto info = info_of(row);
    if (!info) return std::move(info).error();
    Result<std::string> key = key_of(box_, row, *info);
    changes.push_back(MerchantChange{std::move(*info), std::move(key)});
  }
  return changes;
}

}  // namespace opp::gateway::auth
