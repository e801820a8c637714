#pragma once
// Mapping between the orders/refunds tables and the entities: column lists, SOCI
// bindings and parameterised SELECTs shared by every dialect. Order and refund
// statements are prepared once per pooled session and re-executed (PreparedStatements).

#include <soci/soci.h>

#include <string>
#include <variant>
#include <vector>

#include "payment/entity/order.hpp"
#include "payment/entity/refund.hpp"
#include "payment/infrastructure/sql/database.hpp"

namespace opp::payment::sql {

/// A bound query parameter. A given query must always be called with the same
/// alternatives in the same order (its prepared statement is bound to them).
using Param = std::variant<std::string, long long>;
using Params = std::vector<Param>;

/// SELECT <order columns> FROM orders <tail>, e.g. tail = "WHERE merchant_id = :m".
std::vector<Order> select_orders(PreparedSession& session, const std::string& tail,
                                 const Params& params);
/// SELECT <refund columns> FROM refunds <tail>.
std::vector<Refund> select_refunds(PreparedSession& session, const std::string& tail,
                                   const Params& params);

/// INSERT ... ON CONFLICT DO NOTHING; false when a unique index already holds the key.
bool insert_order(PreparedSession& session, const Order& order);
bool insert_refund(PreparedSession& session, const Refund& refund);
/// Writes the mutable columns of an order, matched by (merchant_id, out_order_no).
void update_order(PreparedSession& session, const Order& order);

/// Adds an outbox message due at now_ms; returns its id.
long long insert_outbox_message(soci::session& session, const std::string& merchant_id,
                                const std::string& url, const std::string& body, long long now_ms);

}  // namespace opp::payment::sql
