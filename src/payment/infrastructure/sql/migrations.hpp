#pragma once
// Versioned schema migrations (schemas/<dialect>/payment/NNN_name.sql), embedded in the
// binary at build time and applied in order at start-up. schema_version records each
// applied file; the run holds the write lock so concurrent starts apply each file once.

#include <string>
#include <vector>

#include "payment/infrastructure/sql/database.hpp"

namespace opp::payment {

struct Migration {
  int version = 0;  ///< the file name's numeric prefix
  std::string name;
  std::string sql;  ///< statements separated by ';' at line ends
};

/// The migrations built into this binary for a dialect, in version order.
const std::vector<Migration>& embedded_migrations(Dialect dialect);

/// Applies the missing migrations; returns the schema version now in place.
/// Throws std::runtime_error (naming the file) on failure, or when the database is newer
/// than this binary.
int apply_migrations(Database& database);

/// Splits a migration into statements: drops "--" comment lines, splits at ';'.
std::vector<std::string> split_sql_statements(const std::string& sql);

}  // namespace opp::payment
