#pragma once
// The gateway schema (schemas/<dialect>/gateway/NNN_name.sql), embedded at build time and
// applied by every program that opens the gateway database; gateway_schema_version
// records each applied file (apart from the payment backend's schema_version, should
// both live in one PostgreSQL database).

#include <vector>

#include "sql/migrations.hpp"

namespace opp::gateway::auth {

/// The gateway migrations built into this binary for a dialect, in version order.
const std::vector<sql::Migration>& embedded_migrations(sql::Dialect dialect);

/// Applies the missing gateway migrations; returns the schema version now in place.
/// Throws std::runtime_error (naming the file) on failure, or when the database is newer
/// than this binary.
inline int apply_gateway_migrations(sql::Database& database) {
  return sql::apply_migrations(database, embedded_migrations(database.dialect()),
                               {"gateway_schema_version", "gateway"});
}

}  // namespace opp::gateway::auth
