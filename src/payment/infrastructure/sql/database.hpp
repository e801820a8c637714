#pragma once
// The payment backend's SQL connection: the shared SOCI pool of src/sql, under the names
// the payment code uses.

#include "sql/database.hpp"

namespace opp::payment {

using ::opp::sql::Database;
using ::opp::sql::DatabaseTarget;
using ::opp::sql::Dialect;
using ::opp::sql::parse_database_url;

}  // namespace opp::payment
