#pragma once
// The SQL connection shared by every program that keeps state in SQL (the payment backend,
// the gateway's merchant store): which dialect, and a pool of SOCI sessions. SQLite and
// PostgreSQL share every query; the few differences are asked of the dialect here.

#include <cstddef>
#include <filesystem>
#include <string>

#include <soci/connection-pool.h>
#include <soci/session.h>

#include "opp/common/result.hpp"

namespace opp::sql {

enum class Dialect { kSqlite, kPostgres };

struct DatabaseTarget {
  Dialect dialect = Dialect::kSqlite;
  std::string connect_string;         ///< for the SOCI backend ("db=/abs/file.db", "host=... ")
  std::filesystem::path sqlite_file;  ///< SQLite only
};

/// Parses "sqlite3://db=PATH" (a relative PATH is taken from base_dir) or
/// "postgresql://KEY=VALUE ..." / "postgresql://user@host:port/db" (a libpq URI).
/// Errors: 10006 `bad-database-url`, the message saying what was expected.
Result<DatabaseTarget> parse_database_url(const std::string& url,
                                          const std::filesystem::path& base_dir);

/// The URL again with a relative SQLite file made absolute against base_dir; other URLs
/// unchanged. For configurations that hand the database on as a resolved string.
/// Errors: as parse_database_url.
Result<std::string> resolve_database_url(const std::string& url,
                                         const std::filesystem::path& base_dir);

class Database {
 public:
  /// Opens pool_size sessions (creating the SQLite file and its directory when missing)
  /// and applies per-connection settings. Throws std::runtime_error on failure.
  Database(const DatabaseTarget& target, std::size_t pool_size);

  Dialect dialect() const { return dialect_; }
  soci::connection_pool& pool() { return pool_; }

  /// The statement that opens a write transaction: BEGIN IMMEDIATE on SQLite takes the
  /// write lock up front, so read-modify-write sequences never deadlock on upgrade.
  const char* begin_write() const;
  /// Suffix that locks selected rows until commit (" FOR UPDATE"), empty on SQLite where
  /// the write transaction already excludes other writers.
  const char* lock_rows() const;

 private:
  Dialect dialect_;
  soci::connection_pool pool_;
};

/// After a failure, a pooled session whose connection dropped (database restart) is
/// reconnected so the pool does not keep a dead connection forever. Never throws: when
/// the database is still down, the next call fails and tries again.
void reconnect_if_dropped(soci::session& session) noexcept;

/// Rolls back an open transaction after a failure, ignoring a second failure (the
/// connection may be gone; the first error is the one worth reporting).
void rollback_quietly(soci::session& session) noexcept;

}  // namespace opp::sql
