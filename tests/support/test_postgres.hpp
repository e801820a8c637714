#pragma once
// The PostgreSQL the tests run against: OPP_TEST_POSTGRES_URL (e.g.
// "postgresql://host=127.0.0.1 port=5433 dbname=opp_test user=postgres", as printed by
// scripts/start-postgres.sh), and schemas of their own in it, so runs sharing one server
// never see each other's rows and tests may run in parallel.
//
// The end-to-end suites run once on SQLite and once more on PostgreSQL: their `pg: `
// CTest entries set OPP_TEST_DATABASE=postgresql, and the programs they start then keep
// their state in a fresh schema instead of SQLite files.

#include <soci/soci.h>

#include <cstdlib>
#include <exception>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>

#include "sql/database.hpp"

namespace opp::test {

/// True when the environment says this is a CI run (CI=true, as CI services set it).
inline bool running_in_ci() {
  const char* ci = std::getenv("CI");
  if (ci == nullptr) return false;
  const std::string value = ci;
  return !value.empty() && value != "0" && value != "false";
}

/// Whether the programs under test go on PostgreSQL (OPP_TEST_DATABASE=postgresql) rather
/// than on SQLite files.
inline bool postgres_requested() {
  const char* choice = std::getenv("OPP_TEST_DATABASE");
  return choice != nullptr && std::string(choice) == "postgresql";
}

/// OPP_TEST_POSTGRES_URL, or "" when unset.
inline std::string postgres_test_url() {
  const char* url = std::getenv("OPP_TEST_POSTGRES_URL");
  return url == nullptr ? std::string() : std::string(url);
}

/// Why `url` cannot be used (unset, malformed, not PostgreSQL, unreachable); nullopt when
/// a connection to it opens.
inline std::optional<std::string> postgres_unusable_because(const std::string& url) {
  if (url.empty()) return std::string("OPP_TEST_POSTGRES_URL is not set");
  auto target = sql::parse_database_url(url, "/");
  if (!target) return "OPP_TEST_POSTGRES_URL: " + target.error().message;
  if (target.value().dialect != sql::Dialect::kPostgres) {
    return std::string("OPP_TEST_POSTGRES_URL is not a postgresql:// URL");
  }
  try {
    sql::Database probe(target.value(), 1);
  } catch (const std::exception& e) {
    return std::string("cannot connect to OPP_TEST_POSTGRES_URL: ") + e.what();
  }
  return std::nullopt;
}

/// `url` with every session's search_path set to `schema`: the tables a program creates
/// and reads are that schema's.
inline std::string with_search_path(const std::string& url, const std::string& schema) {
  const std::string rest = url.substr(std::string("postgresql://").size());
  const bool keyword_form =
      rest.find('=') != std::string::npos && rest.find('/') == std::string::npos;
  return keyword_form ? url + " options='-csearch_path=" + schema + "'"
                      : url + (url.find('?') == std::string::npos ? "?" : "&") +
                            "options=-csearch_path%3D" + schema;
}

/// A schema of its own on the test PostgreSQL, dropped with everything in it at scope
/// exit. Programs given url() create their tables there.
class PostgresSchema {
 public:
  /// Throws std::runtime_error when OPP_TEST_POSTGRES_URL cannot be used.
  explicit PostgresSchema(const std::string& prefix = "opp_test_")
      : admin_url_(postgres_test_url()) {
    if (auto problem = postgres_unusable_because(admin_url_)) throw std::runtime_error(*problem);
    std::random_device random;
    name_ = prefix + std::to_string(random()) + "_" + std::to_string(random());
    execute("CREATE SCHEMA " + name_);
    url_ = with_search_path(admin_url_, name_);
  }
  ~PostgresSchema() {
    try {
      execute("DROP SCHEMA IF EXISTS " + name_ + " CASCADE");
    } catch (...) {
      // a leftover schema is harmless: its name is never used again
    }
  }
  PostgresSchema(const PostgresSchema&) = delete;
  PostgresSchema& operator=(const PostgresSchema&) = delete;

  const std::string& name() const { return name_; }
  const std::string& url() const { return url_; }

 private:
  void execute(const std::string& statement) const {
    sql::Database admin(sql::parse_database_url(admin_url_, "/").value(), 1);
    soci::session session(admin.pool());
    session << statement;
  }

  std::string admin_url_;
  std::string name_;
  std::string url_;
};

}  // namespace opp::test
