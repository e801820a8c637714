#pragma once
// The SQL backends the repository tests run against: a fresh SQLite file in a temporary
// directory always, and the PostgreSQL of OPP_TEST_POSTGRES_URL (see postgres_target.hpp:
// skipped with a warning outside CI when unavailable, a failure in CI).

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <random>
#include <string>

#include "payment/infrastructure/sql/database.hpp"
#include "payment/infrastructure/sql/migrations.hpp"
#include "postgres_target.hpp"

namespace opp::payment::testing {

/// A temporary directory removed at scope exit.
struct TempDir {
  TempDir() {
    std::random_device random;
    path = std::filesystem::temp_directory_path() /
           ("opp-payment-test-" + std::to_string(random()) + std::to_string(random()));
    std::filesystem::create_directories(path);
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
  }
  std::filesystem::path path;
};

/// A merchant id no earlier run used, so tests sharing a PostgreSQL database never collide.
inline std::string unique_merchant(const std::string& prefix) {
  std::random_device random;
  return prefix + "-" + std::to_string(random()) + "-" + std::to_string(random());
}

struct SqlBackend {
  std::string name;
  std::unique_ptr<TempDir> dir;
  std::unique_ptr<Database> database;
};

/// "sqlite" or "postgresql"; nullopt when the PostgreSQL part is skipped (after the
/// warning; in CI the test has failed instead).
inline std::optional<SqlBackend> open_backend(const std::string& kind, size_t pool_size = 4) {
  SqlBackend backend;
  backend.name = kind;
  std::string url;
  if (kind == "sqlite") {
    backend.dir = std::make_unique<TempDir>();
    url = "sqlite3://db=payment.db";
  } else {
    auto postgres = postgres_url_or_skip();
    if (!postgres) return std::nullopt;
    url = *postgres;
  }
  auto target = parse_database_url(url, backend.dir ? backend.dir->path : "/");
  if (!target) throw std::runtime_error(target.error().message);
  backend.database = std::make_unique<Database>(target.value(), pool_size);
  apply_migrations(*backend.database);
  return backend;
}

}  // namespace opp::payment::testing

/// Opens the backend named `kind` into `var`, or leaves the test when its PostgreSQL part
/// is skipped (open_backend has warned).
#define OPP_OPEN_BACKEND_OR_SKIP(var, kind, ...)                                 \
  auto var##_maybe = ::opp::payment::testing::open_backend(kind, ##__VA_ARGS__); \
  if (!var##_maybe) return;                                                      \
  auto& var = *var##_maybe
