#pragma once
// The SQL connection: which dialect, and a pool of SOCI sessions. SQLite and PostgreSQL
// share every query; the few differences are asked of the dialect here.

#include <cstddef>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <soci/connection-pool.h>

#include "opp/common/result.hpp"
#include "payment/infrastructure/sql/prepared_statements.hpp"

namespace opp::payment {

enum class Dialect { kSqlite, kPostgres };

struct DatabaseTarget {
  Dialect dialect = Dialect::kSqlite;
  std::string connect_string;         ///< for the SOCI backend ("db=/abs/file.db", "host=... ")
  std::filesystem::path sqlite_file;  ///< SQLite only
};

/// Parses "sqlite3://db=PATH" (a relative PATH is taken from base_dir) or
/// "postgresql://KEY=VALUE ..." / "postgresql://user@host:port/db" (a libpq URI).
Result<DatabaseTarget> parse_database_url(const std::string& url,
                                          const std::filesystem::path& base_dir);

class Database {
 public:
  /// Opens pool_size sessions (creating the SQLite file and its directory when missing)
  /// and applies per-connection settings. Throws std::runtime_error on failure.
  Database(const DatabaseTarget& target, std::size_t pool_size);

  Dialect dialect() const { return dialect_; }
  /// The sessions, for callers that need no prepared statements (migrations, outbox).
  soci::connection_pool& pool() { return pool_; }

  /// The statement that opens a write transaction: BEGIN IMMEDIATE on SQLite takes the
  /// write lock up front, so read-modify-write sequences never deadlock on upgrade.
  const char* begin_write() const;
  /// Suffix that locks selected rows until commit (" FOR UPDATE"), empty on SQLite where
  /// the write transaction already excludes other writers.
  const char* lock_rows() const;

  /// This process's turn to write, held around a write (transaction). SQLite admits one
  /// writer at a time, and a writer that finds the lock taken sleeps in SQLite's busy
  /// handler (1, 2, 5, 10 ... ms) while the holder needs well under one: writers of this
  /// process queue here instead and get the lock the moment it is free. Other processes
  /// still meet the busy timeout. On PostgreSQL, where writers of different rows run
  /// concurrently, the lock returned holds nothing. Take it after leasing a session (a
  /// writer waiting for a session must not hold the turn).
  std::unique_lock<std::mutex> write_turn();

 private:
  friend class PooledSession;

  Dialect dialect_;
  std::mutex write_turn_;
  soci::connection_pool pool_;
  // By pool position. Declared after pool_, so destroyed before the sessions they use.
  std::vector<std::unique_ptr<PreparedStatements>> prepared_;
};

/// A pooled session leased for this object's lifetime, with the statements kept
/// prepared on it across leases.
class PooledSession {
 public:
  /// Waits for a free session of the pool.
  explicit PooledSession(Database& database);
  ~PooledSession();
  PooledSession(const PooledSession&) = delete;
  PooledSession& operator=(const PooledSession&) = delete;

  soci::session& sql() { return sql_; }
  PreparedStatements& prepared() { return prepared_; }
  const Database& database() const { return database_; }

  /// After a failure: drops the prepared statements (a statement that failed may be in
  /// any state) and reconnects a dropped connection (database restart), so the pool does
  /// not keep a dead one forever. Best effort: if the database is still down, the next
  /// call fails and tries again.
  void heal() noexcept;

 private:
  Database& database_;
  std::size_t position_;
  soci::session& sql_;
  PreparedStatements& prepared_;
};

}  // namespace opp::payment
