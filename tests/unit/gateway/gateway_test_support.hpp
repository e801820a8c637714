#pragma once
// Shared by the gateway's merchant tests: temporary directories, the SQL backends they
// run against (a fresh SQLite file always; PostgreSQL when OPP_TEST_POSTGRES_URL names a
// server, e.g. "postgresql://host=127.0.0.1 port=5433 dbname=opp_test user=postgres" as
// scripts/start-postgres.sh prints), each PostgreSQL run in a schema of its own.

#include <soci/soci.h>
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <random>
#include <sstream>
#include <string>

#include "sql/database.hpp"
#include "test_postgres.hpp"

namespace opp::gateway::testing {

inline std::string random_suffix() {
  std::random_device random;
  return std::to_string(random()) + std::to_string(random());
}

/// A temporary directory removed at scope exit.
struct TempDir {
  TempDir()
      : path(std::filesystem::temp_directory_path() / ("opp-gateway-test-" + random_suffix())) {
    std::filesystem::create_directories(path);
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
  }
  std::string write(const std::string& name, const std::string& content) const {
    const std::filesystem::path file = path / name;
    std::filesystem::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << content;
    return file.string();
  }
  std::filesystem::path path;
};

inline std::string read_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// A database for one test: its connect string, and the directory for its key file.
/// PostgreSQL tests get a schema of their own (dropped afterwards), so runs sharing a
/// server never see each other's merchants, key check or revisions.
struct TestDatabase {
  std::string kind;
  std::string url;
  TempDir dir;
  std::unique_ptr<opp::test::PostgresSchema> pg_schema;

  std::filesystem::path kek() const { return dir.path / "conf" / "secret_kek.bin"; }
};

/// "sqlite" or "postgresql"; nullptr when PostgreSQL is not configured (the caller
/// reports the skip).
inline std::unique_ptr<TestDatabase> open_test_database(const std::string& kind) {
  auto db = std::make_unique<TestDatabase>();
  db->kind = kind;
  if (kind == "sqlite") {
    db->url = "sqlite3://db=" + (db->dir.path / "data" / "gateway.db").string();
    return db;
  }
  if (opp::test::postgres_test_url().empty()) return nullptr;
  db->pg_schema = std::make_unique<opp::test::PostgresSchema>("opp_gw_test_");
  db->url = db->pg_schema->url();
  return db;
}

}  // namespace opp::gateway::testing

/// Opens the database named `kind` into `var`, or reports the skip and leaves the test.
#define OPP_GATEWAY_DB_OR_SKIP(var, kind)                                    \
  auto var##_owner = ::opp::gateway::testing::open_test_database(kind);      \
  if (!var##_owner) {                                                        \
    WARN(                                                                    \
        "PostgreSQL merchant tests skipped: set OPP_TEST_POSTGRES_URL (see " \
        "scripts/start-postgres.sh)");                                       \
    return;                                                                  \
  }                                                                          \
  auto& var = *var##_owner
