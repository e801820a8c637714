#pragma once
// Mapping between the orders/refunds tables and the entities: column lists, SOCI
// bindings and parameterised SELECTs shared by every dialect.

#include <soci/soci.h>

#include <string>
#include <variant>
#include <vector>

#include "payment/entity/order.hpp"
#include "payment/entity/refund.hpp"

namespace opp::payment::sql {

/// A bound query parameter (SOCI binds by reference, so values live in the vector).
using Param = std::variant<std::string, long long>;
using Params = std::vector<Param>;

/// SELECT <order columns> FROM orders <tail>, e.g. tail = "WHERE merchant_id = :m".
std::vector<Order> select_orders(soci::session& session, const std::string& tail,
                                 const Params& params);
/// SELECT <refund columns> FROM refunds <tail>.
std::vector<Refund> select_refunds(soci::session& session, const std::string& tail,
                                   const Params& params);

/// INSERT ... ON CONFLICT DO NOTHING; false when a unique index already holds the key.
bool insert_order(soci::session& session, const Order& order);
bool insert_refund(soci::session& session, const Refund& refund);
/// Writes the mutable columns of an order, matched by (merchant_id, out_order_no).
void update_order(soci::session& session, const Order& order);

/// Adds an outbox message due at now_ms; returns its id.
long long insert_outbox_message(soci::session& session, const std::string& merchant_id,
                                const std::string& url, const std::string& body, long long now_ms);

}  // namespace opp::payment::sql
