#pragma once
// Running storage calls on pooled sessions with SOCI's exceptions turned into error
// values at this boundary, and write transactions that commit only on success.

#include <soci/soci.h>

#include <exception>
#include <utility>

#include "opp/common/result.hpp"
#include "sql/database.hpp"

namespace opp::sql {

/// 10006 `storage-error` carrying the driver's message on one line.
Error storage_error(const std::exception& e);

/// Runs call(session) on a pooled session and returns its value; an exception becomes
/// storage_error, after which a dropped connection is reconnected.
template <class F>
auto with_session(Database& database, F&& call)
    -> Result<decltype(call(std::declval<soci::session&>()))> {
  soci::session session(database.pool());
  try {
    return call(session);
  } catch (const std::exception& e) {
    reconnect_if_dropped(session);
    return storage_error(e);
  }
}

/// Runs work(session) inside a write transaction (Database::begin_write). `work`
/// returns a Result: the transaction commits when it is ok and rolls back otherwise.
/// An exception rolls back and becomes storage_error.
template <class F>
auto in_write_transaction(Database& database, F&& work)
    -> decltype(work(std::declval<soci::session&>())) {
  soci::session session(database.pool());
  bool open = false;
  try {
    session << database.begin_write();
    open = true;
    auto outcome = work(session);
    open = false;
    session << (outcome.ok() ? "COMMIT" : "ROLLBACK");
    return outcome;
  } catch (const std::exception& e) {
    if (open) rollback_quietly(session);
    reconnect_if_dropped(session);
    return storage_error(e);
  }
}

}  // namespace opp::sql
