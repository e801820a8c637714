#include "payment/infrastructure/sql/database.hpp"

namespace opp::payment {

Database::Database(const DatabaseTarget& target, std::size_t pool_size)
    : ::opp::sql::Database(target, pool_size), prepared_(pool_size) {}

PreparedSession::PreparedSession(Database& database)
    : lease_(database), prepared_(database.prepared_at(lease_.position())) {}

void PreparedSession::heal() noexcept {
  // First: reconnecting replaces the connection object the statements refer to.
  prepared_.clear();
  lease_.heal();
}

}  // namespace opp::payment
