// The merchant store on SQLite (always) and PostgreSQL (OPP_TEST_POSTGRES_URL): every
// operation and error, revisions, sealed secrets that reveal nothing and cannot be
// moved between rows, the key check, the schema, and concurrent writers.
#include "gateway/auth/merchant_store.hpp"

#include <soci/soci.h>
#include <catch2/catch.hpp>

#include <atomic>
#include <set>
#include <thread>

#include "gateway/auth/kek_file.hpp"
#include "gateway/auth/merchant_schema.hpp"
#include "gateway_test_support.hpp"

using namespace opp::gateway::auth;
using opp::crypto::SignType;
using opp::gateway::testing::read_file;
using opp::gateway::testing::TestDatabase;

namespace {

constexpr auto kSecret = KeyMaterial::Kind::kSecret;
constexpr auto kPem = KeyMaterial::Kind::kPublicKeyPem;

std::string crypto_testdata(const std::string& name) {
  return read_file(std::string(OPP_SOURCE_DIR) + "/tests/unit/crypto/testdata/" + name);
}

std::unique_ptr<MerchantStore> open_store(const TestDatabase& db, size_t pool = 1) {
  auto store = MerchantStore::open(db.url, db.kek(), pool);
  if (!store) FAIL(store.error().message);
  return std::move(store).value();
}

/// The opened key of `id` as the cache would see it.
std::string key_of(MerchantStore& store, const std::string& id) {
  auto changes = store.changed_since(0);
  REQUIRE(changes.ok());
  for (const MerchantChange& change : *changes) {
    if (change.info.id == id) {
      REQUIRE(change.key_material.ok());
      return *change.key_material;
    }
  }
  FAIL("no merchant " << id);
  return "";
}

/// Runs SQL on the store's database directly, as someone holding a copy of it could.
void run_sql(const TestDatabase& db, const std::function<void(soci::session&)>& work) {
  opp::sql::Database database(opp::sql::parse_database_url(db.url, "/").value(), 1);
  soci::session sql(database.pool());
  work(sql);
}

}  // namespace

TEST_CASE("merchant store: add, list, disable, enable, rotate", "[gateway][store]") {
  const std::string kind = GENERATE("sqlite", "postgresql");
  OPP_GATEWAY_DB_OR_SKIP(db, kind);
  auto store = open_store(db);

  auto added = store->add("M1", SignType::kHmacSha256, {kSecret, "secret-one"});
  REQUIRE(added.ok());
  CHECK(added->id == "M1");
  CHECK(added->sign_type == SignType::kHmacSha256);
  CHECK(added->enabled);
  CHECK(added->key_version == 1);
  CHECK(added->created_at_ms > 0);
  CHECK(added->updated_at_ms == added->created_at_ms);
  REQUIRE(store->add("R1", SignType::kRsa2, {kPem, crypto_testdata("pub_pkcs1.pem")}).ok());
  REQUIRE(store->add("S1", SignType::kHmacSm3, {kSecret, "sm3-secret"}).ok());

  auto listed = store->list();
  REQUIRE(listed.ok());
  REQUIRE(listed->size() == 3);
  CHECK((*listed)[0].id == "M1");
  CHECK((*listed)[1].id == "R1");
  CHECK((*listed)[1].sign_type == SignType::kRsa2);
  CHECK((*listed)[2].sign_type == SignType::kHmacSm3);
  CHECK(key_of(*store, "M1") == "secret-one");
  CHECK(key_of(*store, "R1") == crypto_testdata("pub_spki.pem"));

  auto disabled = store->set_enabled("M1", false);
  REQUIRE(disabled.ok());
  CHECK_FALSE(disabled->enabled);
  CHECK(disabled->key_version == 1);
  CHECK(disabled->revision > added->revision);
  CHECK_FALSE(store->list().value()[0].enabled);
  CHECK(store->set_enabled("M1", true).value().enabled);

  auto rotated = store->rotate("M1", {kSecret, "secret-two"});
  REQUIRE(rotated.ok());
  CHECK(rotated->key_version == 2);
  CHECK(rotated->sign_type == SignType::kHmacSha256);
  CHECK(rotated->created_at_ms == added->created_at_ms);
  CHECK(key_of(*store, "M1") == "secret-two");
  // A rotation may change the sign type, with a key of the new kind.
  auto to_rsa = store->rotate("S1", {kPem, crypto_testdata("pub_spki.pem")}, SignType::kRsa2);
  REQUIRE(to_rsa.ok());
  CHECK(to_rsa->sign_type == SignType::kRsa2);
  CHECK(to_rsa->key_version == 2);
  CHECK(key_of(*store, "S1") == crypto_testdata("pub_spki.pem"));
  CHECK(store->rotate("R1", {kPem, crypto_testdata("pub_spki.pem")}).value().key_version == 2);

  // A second store (another program) sees the same merchants.
  auto other = open_store(db);
  CHECK(other->list().value().size() == 3);
  CHECK(key_of(*other, "M1") == "secret-two");
}

TEST_CASE("merchant store: operation errors", "[gateway][store]") {
  const std::string kind = GENERATE("sqlite", "postgresql");
  OPP_GATEWAY_DB_OR_SKIP(db, kind);
  auto store = open_store(db);
  REQUIRE(store->add("M1", SignType::kHmacSha256, {kSecret, "s"}).ok());
  REQUIRE(store->add("R1", SignType::kRsa2, {kPem, crypto_testdata("pub_spki.pem")}).ok());
  const int64_t revision_before = store->list().value().back().revision;

  auto duplicate = store->add("M1", SignType::kHmacSm3, {kSecret, "other"});
  REQUIRE_FALSE(duplicate.ok());
  CHECK(duplicate.error().sub_code == "duplicate-merchant");
  CHECK(duplicate.error().message == "a merchant with id M1 already exists");
  CHECK(key_of(*store, "M1") == "s");  // untouched

  for (const auto& unknown :
       {store->set_enabled("nobody", false), store->rotate("nobody", {kSecret, "x"})}) {
    REQUIRE_FALSE(unknown.ok());
    CHECK(unknown.error().sub_code == "unknown-merchant");
    CHECK(unknown.error().message == "no merchant with id nobody");
  }
  CHECK(store->add("bad id", SignType::kHmacSha256, {kSecret, "s"}).error().sub_code ==
        "invalid-merchant-id");
  CHECK(store->set_enabled(std::string(65, 'x'), true).error().sub_code == "invalid-merchant-id");
  CHECK(store->add("M2", SignType::kRsa2, {kSecret, "s"}).error().sub_code == "sign-type-mismatch");
  CHECK(store->rotate("M1", {kPem, crypto_testdata("pub_spki.pem")}).error().sub_code ==
        "sign-type-mismatch");
  CHECK(store->rotate("R1", {kSecret, "s"}).error().sub_code == "sign-type-mismatch");
  CHECK(store->add("M3", SignType::kHmacSm3, {kSecret, ""}).error().sub_code == "empty-secret");
  CHECK(store->rotate("M1", {kSecret, ""}).error().sub_code == "empty-secret");
  auto small = store->add("R2", SignType::kRsa2, {kPem, crypto_testdata("small_pub.pem")});
  CHECK(small.error().message == "RSA keys must have at least 2048 bits");

  // Failed operations changed no row: the last revision is still R1's.
  const auto after = store->list().value();
  CHECK(after.size() == 2);
  CHECK(after.back().revision == revision_before);
  CHECK(store->changed_since(revision_before).value().empty());
  CHECK(store->list().value()[0].key_version == 1);
}

TEST_CASE("merchant store: revisions grow and changed_since returns only what changed",
          "[gateway][store]") {
  const std::string kind = GENERATE("sqlite", "postgresql");
  OPP_GATEWAY_DB_OR_SKIP(db, kind);
  auto store = open_store(db);
  CHECK(store->changed_since(0).value().empty());
  const int64_t r1 = store->add("A", SignType::kHmacSha256, {kSecret, "a"}).value().revision;
  const int64_t r2 = store->add("B", SignType::kHmacSha256, {kSecret, "b"}).value().revision;
  CHECK(r2 > r1);
  auto since_r1 = store->changed_since(r1).value();
  REQUIRE(since_r1.size() == 1);
  CHECK(since_r1[0].info.id == "B");
  const int64_t r3 = store->set_enabled("A", false).value().revision;
  CHECK(r3 > r2);
  auto since_r2 = store->changed_since(r2).value();
  REQUIRE(since_r2.size() == 1);
  CHECK(since_r2[0].info.id == "A");
  CHECK_FALSE(since_r2[0].info.enabled);
  auto all = store->changed_since(0).value();
  REQUIRE(all.size() == 2);
  CHECK(all[0].info.id == "B");  // in revision order
  CHECK(all[1].info.id == "A");
  CHECK(store->changed_since(r3).value().empty());
}

TEST_CASE("merchant store: a copy of the database reveals no secret", "[gateway][store]") {
  OPP_GATEWAY_DB_OR_SKIP(db, "sqlite");
  const std::string secret = "a-very-recognisable-merchant-secret-0123456789";
  {
    auto store = open_store(db);
    REQUIRE(store->add("M1", SignType::kHmacSha256, {kSecret, secret}).ok());
    REQUIRE(store->rotate("M1", {kSecret, secret + "-rotated"}).ok());
  }
  // Every file SQLite wrote (database, WAL, shared memory), as raw bytes.
  std::string everything;
  for (const auto& entry : std::filesystem::directory_iterator(db.dir.path / "data")) {
    everything += read_file(entry.path());
  }
  REQUIRE_FALSE(everything.empty());
  CHECK(everything.find("M1") != std::string::npos);    // the rows are there...
  CHECK(everything.find(secret) == std::string::npos);  // ...the secrets are not
  CHECK(everything.find("recognisable") == std::string::npos);
  // Nor the key that would open them.
  CHECK(everything.find(read_file(db.kek())) == std::string::npos);
}

TEST_CASE("merchant store: a sealed secret moved to another row does not open",
          "[gateway][store]") {
  const std::string kind = GENERATE("sqlite", "postgresql");
  OPP_GATEWAY_DB_OR_SKIP(db, kind);
  auto store = open_store(db);
  REQUIRE(store->add("VICTIM", SignType::kHmacSha256, {kSecret, "victim-secret"}).ok());
  REQUIRE(store->add("ATTACKER", SignType::kHmacSha256, {kSecret, "attacker-secret"}).ok());
  REQUIRE(store->rotate("ATTACKER", {kSecret, "attacker-2"}).ok());
  // Someone with write access to the database copies the victim's ciphertext over.
  run_sql(db, [](soci::session& sql) {
    sql << "UPDATE gateway_merchants SET sealed_secret = (SELECT sealed_secret FROM "
           "gateway_merchants WHERE merchant_id = 'VICTIM'), revision = revision + 100 "
           "WHERE merchant_id = 'ATTACKER'";
  });
  bool seen = false;
  const auto moved = store->changed_since(0).value();
  for (const MerchantChange& change : moved) {
    if (change.info.id == "ATTACKER") {
      seen = true;
      REQUIRE_FALSE(change.key_material.ok());
      CHECK(change.key_material.error().sub_code == "secret-undecryptable");
      CHECK(change.key_material.error().message.find("victim") == std::string::npos);
    } else {
      CHECK(change.key_material.value() == "victim-secret");
    }
  }
  CHECK(seen);
  // The same with the key version changed to match: still bound to the merchant id.
  run_sql(db, [](soci::session& sql) {
    sql << "UPDATE gateway_merchants SET key_version = 1 WHERE merchant_id = 'ATTACKER'";
  });
  const auto versioned = store->changed_since(0).value();
  for (const MerchantChange& change : versioned) {
    if (change.info.id == "ATTACKER") CHECK_FALSE(change.key_material.ok());
  }
}

TEST_CASE("merchant store: the key file must match the database", "[gateway][store]") {
  const std::string kind = GENERATE("sqlite", "postgresql");
  OPP_GATEWAY_DB_OR_SKIP(db, kind);
  REQUIRE(open_store(db)->add("M1", SignType::kHmacSha256, {kSecret, "s"}).ok());
  REQUIRE(std::filesystem::exists(db.kek()));

  // A lost key file is not silently replaced by a fresh one.
  const std::string key = read_file(db.kek());
  std::filesystem::remove(db.kek());
  auto lost = MerchantStore::open(db.url, db.kek());
  REQUIRE_FALSE(lost.ok());
  CHECK(lost.error().sub_code == "secret-key-unreadable");
  CHECK(lost.error().message == "cannot read secret key " + db.kek().string() +
                                    " (this database's merchant secrets were sealed with it)");
  CHECK_FALSE(std::filesystem::exists(db.kek()));

  // Another key is refused at open.
  std::ofstream(db.kek(), std::ios::binary) << std::string(32, 'z');
  auto wrong = MerchantStore::open(db.url, db.kek());
  REQUIRE_FALSE(wrong.ok());
  CHECK(wrong.error().sub_code == "secret-key-mismatch");
  CHECK(wrong.error().message.find("does not hold the key") != std::string::npos);

  std::ofstream(db.kek(), std::ios::binary | std::ios::trunc) << key;
  CHECK(key_of(*open_store(db), "M1") == "s");
}

TEST_CASE("merchant store: the schema is created once, in its own history table",
          "[gateway][store]") {
  const std::string kind = GENERATE("sqlite", "postgresql");
  OPP_GATEWAY_DB_OR_SKIP(db, kind);
  open_store(db);
  open_store(db);
  const auto dialect =
      db.kind == "sqlite" ? opp::sql::Dialect::kSqlite : opp::sql::Dialect::kPostgres;
  const int latest = embedded_migrations(dialect).back().version;
  run_sql(db, [&](soci::session& sql) {
    int rows = 0;
    sql << "SELECT COUNT(*) FROM gateway_schema_version", soci::into(rows);
    CHECK(rows == latest);
  });
  // Both dialects embed the same versions.
  const auto& sqlite = embedded_migrations(opp::sql::Dialect::kSqlite);
  const auto& postgres = embedded_migrations(opp::sql::Dialect::kPostgres);
  REQUIRE(sqlite.size() == postgres.size());
  for (size_t i = 0; i < sqlite.size(); ++i) CHECK(sqlite[i].name == postgres[i].name);
  // A database from a newer build is refused with a clear message.
  run_sql(db, [](soci::session& sql) {
    sql << "INSERT INTO gateway_schema_version (version, name, applied_at_ms) VALUES (999, 'f', 0)";
  });
  auto newer = MerchantStore::open(db.url, db.kek());
  REQUIRE_FALSE(newer.ok());
  CHECK(newer.error().sub_code == "storage-error");
  CHECK(newer.error().message.find("schema version 999 is newer than this gateway knows") !=
        std::string::npos);
}

TEST_CASE("merchant store: open errors", "[gateway][store]") {
  opp::gateway::testing::TempDir dir;
  auto bad_url = MerchantStore::open("mysql://x", dir.path / "kek.bin");
  REQUIRE_FALSE(bad_url.ok());
  CHECK(bad_url.error().sub_code == "bad-database-url");
  const std::string blocker = dir.write("blocker", "x");
  auto unopenable = MerchantStore::open("sqlite3://db=" + blocker + "/gw.db", dir.path / "kek.bin");
  REQUIRE_FALSE(unopenable.ok());
  CHECK(unopenable.error().sub_code == "storage-error");
  CHECK(unopenable.error().message.find('\n') == std::string::npos);
}

TEST_CASE("merchant store: concurrent writers get distinct revisions, one duplicate wins",
          "[gateway][store]") {
  const std::string kind = GENERATE("sqlite", "postgresql");
  OPP_GATEWAY_DB_OR_SKIP(db, kind);
  auto first = open_store(db);  // creates schema and key file before the race
  constexpr int kThreads = 4;
  constexpr int kPerThread = 10;
  std::atomic<int> duplicates{0};
  std::atomic<int> other_errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      auto store = MerchantStore::open(db.url, db.kek());  // a program of its own
      if (!store) {
        ++other_errors;
        return;
      }
      for (int i = 0; i < kPerThread; ++i) {
        const std::string id = "T" + std::to_string(t) + "_" + std::to_string(i);
        if (!(*store)->add(id, SignType::kHmacSha256, {kSecret, "s" + id}).ok()) ++other_errors;
        if (!(*store)->set_enabled(id, i % 2 == 0).ok()) ++other_errors;
        auto same =
            (*store)->add("SHARED" + std::to_string(i), SignType::kHmacSha256, {kSecret, "x"});
        if (!same.ok()) {
          (same.error().sub_code == "duplicate-merchant" ? duplicates : other_errors)++;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(other_errors == 0);
  CHECK(duplicates == (kThreads - 1) * kPerThread);
  auto changes = first->changed_since(0).value();
  CHECK(changes.size() == kThreads * kPerThread + kPerThread);
  std::set<int64_t> revisions;
  for (const MerchantChange& change : changes) revisions.insert(change.info.revision);
  CHECK(revisions.size() == changes.size());
  for (const MerchantChange& change : changes) {
    if (change.info.id.starts_with("T")) CHECK(change.key_material.value() == "s" + change.info.id);
  }
}
