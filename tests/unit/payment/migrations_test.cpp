// Schema migrations: statement splitting, embedding, idempotent application.
#include <catch2/catch.hpp>

#include <soci/soci.h>

#include "payment/infrastructure/sql/migrations.hpp"
#include "sql_backends.hpp"

using namespace opp::payment;

TEST_CASE("payment: migration files split into statements", "[payment][migrations]") {
  const auto statements = split_sql_statements(
      "-- comment; with a semicolon\n"
      "CREATE TABLE a (x INTEGER);\n"
      "  -- indented comment\n"
      "CREATE INDEX a_x\n  ON a (x);\n\n");
  REQUIRE(statements.size() == 2);
  CHECK(statements[0] == "CREATE TABLE a (x INTEGER)");
  CHECK(statements[1] == "\nCREATE INDEX a_x\n  ON a (x)");
}

TEST_CASE("payment: both dialects embed the same migration versions", "[payment][migrations]") {
  const auto& sqlite = embedded_migrations(Dialect::kSqlite);
  const auto& postgres = embedded_migrations(Dialect::kPostgres);
  REQUIRE_FALSE(sqlite.empty());
  REQUIRE(sqlite.size() == postgres.size());
  for (size_t i = 0; i < sqlite.size(); ++i) {
    CHECK(sqlite[i].version == static_cast<int>(i + 1));
    CHECK(postgres[i].version == sqlite[i].version);
    CHECK(sqlite[i].name == postgres[i].name);
  }
  CHECK(sqlite[0].sql.find("CREATE UNIQUE INDEX orders_merchant_out_order_no") !=
        std::string::npos);
  CHECK(sqlite[0].sql.find("CREATE UNIQUE INDEX refunds_merchant_out_refund_no") !=
        std::string::npos);
}

TEST_CASE("payment: migrations create the schema once and record it", "[payment][migrations]") {
  const std::string kind = GENERATE("sqlite", "postgresql");
  OPP_OPEN_BACKEND_OR_SKIP(backend, kind);  // applies them once
  const int latest = embedded_migrations(backend.database->dialect()).back().version;
  CHECK(apply_migrations(*backend.database) == latest);
  CHECK(apply_migrations(*backend.database) == latest);
  soci::session sql(backend.database->pool());
  int rows = 0;
  sql << "SELECT COUNT(*) FROM schema_version", soci::into(rows);
  CHECK(rows == latest);
  if (backend.database->dialect() == Dialect::kSqlite) {
    std::string mode;
    sql << "PRAGMA journal_mode", soci::into(mode);
    CHECK(mode == "wal");
    int synchronous = 0;
    sql << "PRAGMA synchronous", soci::into(synchronous);
    CHECK(synchronous == 2);  // FULL
  }
}

TEST_CASE("payment: a database newer than the binary is refused", "[payment][migrations]") {
  OPP_OPEN_BACKEND_OR_SKIP(backend, "sqlite");
  {
    soci::session sql(backend.database->pool());
    sql << "INSERT INTO schema_version (version, name, applied_at_ms) VALUES (999, 'future', 0)";
  }
  CHECK_THROWS_WITH(apply_migrations(*backend.database),
                    Catch::Contains("schema version 999 is newer"));
}
