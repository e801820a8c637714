#pragma once
// Versioned schema migrations (schemas/<dialect>/<component>/NNN_name.sql), embedded in
// a binary at build time by embed_migrations.cmake and applied in order when a program
// opens its database. A history table records each applied file; the run holds the
// write lock so programs starting together apply each file once.

#include <string>
#include <vector>

#include "sql/database.hpp"

namespace opp::sql {

struct Migration {
  int version = 0;  ///< the file name's numeric prefix
  std::string name;
  std::string sql;  ///< statements separated by ';' at line ends
};

/// Where a component records its applied migrations. Components sharing one PostgreSQL
/// database keep apart by using different tables.
struct SchemaHistory {
  std::string table;  ///< e.g. "schema_version"; a fixed identifier, never user input
  std::string owner;  ///< the program applying them, for messages ("opp-payment")
};

/// Applies the missing `migrations` (in version order); returns the schema version now
/// in place. Throws std::runtime_error (naming the file) on failure, or when the
/// database is newer than `migrations` know.
int apply_migrations(Database& database, const std::vector<Migration>& migrations,
                     const SchemaHistory& history);

/// Splits a migration into statements: drops "--" comment lines, splits at ';'.
std::vector<std::string> split_sql_statements(const std::string& sql);

}  // namespace opp::sql
