#pragma once
// The payment backend's SQL connection: the shared SOCI pool of src/sql, plus the order
// and refund statements kept prepared on each of its sessions (PreparedStatements).

#include <cstddef>
#include <vector>

#include "payment/infrastructure/sql/prepared_statements.hpp"
#include "sql/database.hpp"
#include "sql/session.hpp"

namespace opp::payment {

using ::opp::sql::DatabaseTarget;
using ::opp::sql::Dialect;
using ::opp::sql::parse_database_url;

/// opp::sql::Database with one PreparedStatements per pool position. Callers that need no
/// prepared statements (migrations, the outbox) use the pool as they would the base's.
class Database : public ::opp::sql::Database {
 public:
  /// Opens the pool as opp::sql::Database does; throws std::runtime_error on failure.
  Database(const DatabaseTarget& target, std::size_t pool_size);

  /// The statements kept prepared on the pool's session at `position`.
  PreparedStatements& prepared_at(std::size_t position) { return prepared_.at(position); }

 private:
  // A derived class's members are destroyed before its base: the statements are
  // finalized while the sessions they were prepared on still exist. Never resized, so
  // the references PreparedSession hands out stay valid.
  std::vector<PreparedStatements> prepared_;
};

/// A pooled session leased for this object's lifetime, with the statements kept
/// prepared on it across leases. The Session of opp::sql::with_session_as and
/// in_write_transaction_as for the order and refund queries.
class PreparedSession {
 public:
  /// Waits for a free session of the pool.
  explicit PreparedSession(Database& database);

  soci::session& sql() { return lease_.sql(); }
  PreparedStatements& prepared() { return prepared_; }
  const ::opp::sql::Database& database() const { return lease_.database(); }

  /// After a failure: drops the prepared statements (a statement that failed may be in
  /// any state), then reconnects a dropped connection (opp::sql::PooledSession::heal).
  void heal() noexcept;

 private:
  ::opp::sql::PooledSession lease_;
  PreparedStatements& prepared_;
};

}  // namespace opp::payment
