#include "payment/infrastructure/sql/migrations.hpp"

#include <soci/soci.h>

#include <chrono>
#include <sstream>
#include <stdexcept>

namespace opp::payment {
namespace {

long long now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

bool is_blank(const std::string& text) {
  return text.find_first_not_of(" \t\r\n") == std::string::npos;
}

int current_version(soci::session& sql) {
  int version = 0;
  sql << "SELECT COALESCE(MAX(version), 0) FROM schema_version", soci::into(version);
  return version;
}

}  // namespace

std::vector<std::string> split_sql_statements(const std::string& sql) {
  std::vector<std::string> statements;
  std::string current;
  std::istringstream lines(sql);
  for (std::string line; std::getline(lines, line);) {
    const size_t start = line.find_first_not_of(" \t");
    if (start == std::string::npos || line.compare(start, 2, "--") == 0) continue;
    for (char c : line) {
      if (c == ';') {
        if (!is_blank(current)) statements.push_back(current);
        current.clear();
      } else {
        current += c;
      }
    }
    current += '\n';
  }
  if (!is_blank(current)) statements.push_back(current);
  return statements;
}

int apply_migrations(Database& database) {
  soci::session sql(database.pool());
  sql << "CREATE TABLE IF NOT EXISTS schema_version ("
         "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at_ms BIGINT NOT NULL)";
  const auto& migrations = embedded_migrations(database.dialect());
  const int newest_known = migrations.empty() ? 0 : migrations.back().version;

  sql << database.begin_write();
  try {
    if (database.dialect() == Dialect::kPostgres) {
      sql << "LOCK TABLE schema_version IN EXCLUSIVE MODE";
    }
    int version = current_version(sql);
    if (version > newest_known) {
      throw std::runtime_error("database schema version " + std::to_string(version) +
                               " is newer than this opp-payment knows (" +
                               std::to_string(newest_known) + ")");
    }
    for (const Migration& migration : migrations) {
      if (migration.version <= version) continue;
      try {
        for (const std::string& statement : split_sql_statements(migration.sql)) sql << statement;
      } catch (const std::exception& e) {
        throw std::runtime_error("migration " + migration.name + " failed: " + e.what());
      }
      const long long applied_at = now_ms();
      sql << "INSERT INTO schema_version (version, name, applied_at_ms) VALUES (:v, :n, :t)",
          soci::use(migration.version), soci::use(migration.name), soci::use(applied_at);
      version = migration.version;
    }
    sql << "COMMIT";
    return version;
  } catch (...) {
    try {
      sql << "ROLLBACK";
    } catch (...) {
      // the original failure is the one worth reporting
    }
    throw;
  }
}

}  // namespace opp::payment
