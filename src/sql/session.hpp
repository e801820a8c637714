#pragma once
// Running storage calls on pooled sessions with SOCI's exceptions turned into error
// values at this boundary, and write transactions that commit only on success.

#include <soci/soci.h>

#include <cstddef>
#include <exception>
#include <utility>

#include "opp/common/result.hpp"
#include "sql/database.hpp"

namespace opp::sql {

/// 10006 `storage-error` carrying the driver's message on one line.
Error storage_error(const std::exception& e);

/// A session of the database's pool, leased for this object's lifetime. Unlike
/// soci::session's pool constructor it tells which pool position it holds, so a caller
/// can keep state per pooled connection (prepared statements) beside the pool.
class PooledSession {
 public:
  /// Waits for a free session of the pool.
  explicit PooledSession(Database& database);
  ~PooledSession();
  PooledSession(const PooledSession&) = delete;
  PooledSession& operator=(const PooledSession&) = delete;

  soci::session& sql() { return session_; }
  /// The leased session's index in the pool, 0 .. pool size - 1.
  std::size_t position() const { return position_; }
  Database& database() const { return database_; }

  /// After a failure: reconnect_if_dropped.
  void heal() noexcept;

 private:
  Database& database_;
  std::size_t position_;
  soci::session& session_;
};

/// Runs call(session) on a leased Session and returns its value; an exception becomes
/// storage_error, after which session.heal() repairs what the failure may have broken.
/// Session is PooledSession or a type like it: constructed from `database` (a Database or
/// a type derived from it), with `soci::session& sql()` and `void heal() noexcept`.
template <class Session, class Db, class F>
auto with_session_as(Db& database, F&& call) -> Result<decltype(call(std::declval<Session&>()))> {
  Session session(database);
  try {
    return call(session);
  } catch (const std::exception& e) {
    session.heal();
    return storage_error(e);
  }
}

/// Runs work(session) on a leased Session (see with_session_as) inside a write
/// transaction: Database::begin_write, in this process's write turn
/// (Database::write_turn). `work` returns a Result: the transaction commits when it is ok
/// and rolls back otherwise. An exception rolls back and becomes storage_error, after
/// which session.heal() runs.
template <class Session, class Db, class F>
auto in_write_transaction_as(Db& database, F&& work) -> decltype(work(std::declval<Session&>())) {
  Session session(database);
  const auto turn = database.write_turn();
  bool open = false;
  try {
    session.sql() << database.begin_write();
    open = true;
    auto outcome = work(session);
    open = false;
    session.sql() << (outcome.ok() ? "COMMIT" : "ROLLBACK");
    return outcome;
  } catch (const std::exception& e) {
    if (open) rollback_quietly(session.sql());
    session.heal();
    return storage_error(e);
  }
}

/// Runs call(session) on a pooled soci::session and returns its value; an exception
/// becomes storage_error, after which a dropped connection is reconnected.
template <class F>
auto with_session(Database& database, F&& call)
    -> Result<decltype(call(std::declval<soci::session&>()))> {
  return with_session_as<PooledSession>(
      database, [&](PooledSession& session) { return call(session.sql()); });
}

/// in_write_transaction_as on a plain pooled soci::session.
template <class F>
auto in_write_transaction(Database& database, F&& work)
    -> decltype(work(std::declval<soci::session&>())) {
  return in_write_transaction_as<PooledSession>(
      database, [&](PooledSession& session) { return work(session.sql()); });
}

}  // namespace opp::sql
