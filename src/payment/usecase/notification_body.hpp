#pragma once
// JSON bodies of the merchant notifications written to the outbox.

#include <cstdint>
#include <string>

#include "payment/entity/order.hpp"
#include "payment/entity/refund.hpp"

namespace opp::payment {

/// {"event":"payment.success","merchant_id",...,"paid_at"} for an order that became SUCCESS.
std::string payment_success_body(const Order& order);

/// {"event":"refund.success",...} for a refund that succeeded; `order` is after the refund.
std::string refund_success_body(const Order& order, const Refund& refund);

}  // namespace opp::payment
