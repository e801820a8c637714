#include "sql/migrations.hpp"

#include <soci/soci.h>

#include <chrono>
#include <sstream>
#include <stdexcept>

namespace opp::sql {
namespace {

long long now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

bool is_blank(const std::string& text) {
  return text.find_first_not_of(" \t\r\n") == std::string::npos;
}

int current_version(soci::session& sql, const std::string& table) {
  int version = 0;
  sql << "SELECT COALESCE(MAX(version), 0) FROM " + table, soci::into(version);
  return version;
}

/// Serialises concurrent runs before the history table may exist: on SQLite the write
/// transaction already does; on PostgreSQL a transaction-scoped advisory lock keyed by
/// the table name (CREATE TABLE IF NOT EXISTS alone races on the catalog).
void lock_history(soci::session& sql, const Database& database, const std::string& table) {
  if (database.dialect() == Dialect::kPostgres) {
    sql << "SELECT pg_advisory_xact_lock(hashtext('" + table + "'))";
  }
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

int apply_migrations(Database& database, const std::vector<Migration>& migrations,
                     const SchemaHistory& history) {
  soci::session sql(database.pool());
  const int newest_known = migrations.empty() ? 0 : migrations.back().version;

  sql << database.begin_write();
  try {
    lock_history(sql, database, history.table);
    sql << "CREATE TABLE IF NOT EXISTS " + history.table +
               " (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at_ms BIGINT NOT NULL)";
    int version = current_version(sql, history.table);
    if (version > newest_known) {
      throw std::runtime_error("database schema version " + std::to_string(version) +
                               " is newer than this " + history.owner + " knows (" +
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
      sql << "INSERT INTO " + history.table + " (version, name, applied_at_ms) VALUES (:v, :n, :t)",
          soci::use(migration.version), soci::use(migration.name), soci::use(applied_at);
      version = migration.version;
    }
    sql << "COMMIT";
    return version;
  } catch (...) {
    rollback_quietly(sql);
    throw;
  }
}

}  // namespace opp::sql
