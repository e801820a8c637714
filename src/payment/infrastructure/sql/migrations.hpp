#pragma once
// The payment schema (schemas/<dialect>/payment/NNN_name.sql), embedded in the binary at
// build time and applied in order at start-up; schema_version records each applied file.

#include <vector>

#include "payment/infrastructure/sql/database.hpp"
#include "sql/migrations.hpp"

namespace opp::payment {

using ::opp::sql::Migration;
using ::opp::sql::split_sql_statements;

/// The payment migrations built into this binary for a dialect, in version order.
const std::vector<Migration>& embedded_migrations(Dialect dialect);

/// Applies the missing payment migrations; returns the schema version now in place.
/// Throws std::runtime_error (naming the file) on failure, or when the database is newer
/// than this binary.
inline int apply_migrations(Database& database) {
  return ::opp::sql::apply_migrations(database, embedded_migrations(database.dialect()),
                                      {"schema_version", "opp-payment"});
}

}  // namespace opp::payment
