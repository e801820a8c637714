#include "payment/entity/order.hpp"

#include <array>

#include "opp/common/enum_table.hpp"
#include "payment/entity/biz_error.hpp"

namespace opp::payment {
namespace {

Error status_invalid(const Order& order, OrderStatus current, const char* action) {
  return biz_error(BizCode::kOrderStatusInvalid, std::string("order ") + order.out_order_no +
                                                     " is " + order_status_name(current) +
                                                     ", cannot " + action);
}

}  // namespace

const char* order_status_name(OrderStatus status) {
  static constexpr std::array<EnumName<OrderStatus>, 5> kNames{{
      {OrderStatus::kNotPay, "NOTPAY"},
      {OrderStatus::kSuccess, "SUCCESS"},
      {OrderStatus::kRefund, "REFUND"},
      {OrderStatus::kPayError, "PAYERROR"},
      {OrderStatus::kClosed, "CLOSED"},
  }};
  return name_of(kNames, status, "UNKNOWN").data();  // the literals are NUL-terminated
}

bool can_transition(OrderStatus from, OrderStatus to) {
  switch (from) {
    case OrderStatus::kNotPay:
      return to == OrderStatus::kSuccess || to == OrderStatus::kPayError ||
             to == OrderStatus::kClosed;
    case OrderStatus::kSuccess:
    case OrderStatus::kRefund:
      return to == OrderStatus::kRefund;
    case OrderStatus::kPayError:
    case OrderStatus::kClosed:
      return false;
  }
  return false;
}

OrderStatus Order::status_at(int64_t now_ms) const {
  if (status == OrderStatus::kNotPay && expire_at_ms > 0 && now_ms >= expire_at_ms) {
    return OrderStatus::kClosed;
  }
  return status;
}

bool Order::same_payment_as(const Order& other) const {
  return total_amount == other.total_amount && pay_way == other.pay_way &&
         auth_code == other.auth_code;
}

Result<void> Order::mark_paid(const ChannelPayment& payment, int64_t now_ms) {
  const OrderStatus current = status_at(now_ms);
  if (!can_transition(current, OrderStatus::kSuccess)) {
    return status_invalid(*this, current, "be paid");
  }
  status = OrderStatus::kSuccess;
  open_id = payment.open_id;
  out_transaction_id = payment.out_transaction_id;
  paid_at_ms = now_ms;
  updated_at_ms = now_ms;
  return {};
}

Result<void> Order::mark_declined(int64_t now_ms) {
  const OrderStatus current = status_at(now_ms);
  if (!can_transition(current, OrderStatus::kPayError)) {
    return status_invalid(*this, current, "be declined");
  }
  status = OrderStatus::kPayError;
  updated_at_ms = now_ms;
  return {};
}

Result<void> Order::close(int64_t now_ms) {
  const OrderStatus current = status_at(now_ms);
  if (current == OrderStatus::kClosed) {
    if (status != OrderStatus::kClosed) {  // expired: record the close it reads as
      status = OrderStatus::kClosed;
      closed_at_ms = expire_at_ms;
      updated_at_ms = now_ms;
    }
    return {};
  }
  if (!can_transition(current, OrderStatus::kClosed))
    return status_invalid(*this, current, "close");
  status = OrderStatus::kClosed;
  closed_at_ms = now_ms;
  updated_at_ms = now_ms;
  return {};
}

Result<void> Order::apply_refund(int64_t amount, int64_t now_ms) {
  const OrderStatus current = status_at(now_ms);
  if (!can_transition(current, OrderStatus::kRefund)) {
    return status_invalid(*this, current, "refund");
  }
  if (amount > refundable_amount()) {
    return biz_error(BizCode::kRefundAmountExceeded,
                     "refund_amount " + std::to_string(amount) + " exceeds the refundable " +
                         std::to_string(refundable_amount()) + " of order " + out_order_no);
  }
  refunded_amount += amount;
  status = OrderStatus::kRefund;
  updated_at_ms = now_ms;
  return {};
}

}  // namespace opp::payment
