#include "payment/usecase/payment_service.hpp"

#include "payment/entity/biz_error.hpp"
#include "payment/entity/pay_way.hpp"
#include "payment/entity/validation.hpp"
#include "payment/usecase/bill_report.hpp"
#include "payment/usecase/notification_body.hpp"
#include "payment/usecase/request_validation.hpp"

namespace opp::payment {
namespace {

constexpr int64_t kMillisPerMinute = 60'000;

Error duplicate_order(const Order& existing) {
  return biz_error(BizCode::kDuplicateOutOrderNo,
                   "out_order_no " + existing.out_order_no +
                       " already exists with a different total_amount, pay_way or auth_code");
}

Error declined(const Order& order) {
  return biz_error(BizCode::kPaymentDeclined,
                   "payment of order " + order.out_order_no + " was declined by " + order.pay_way);
}

Error order_not_found(const std::string& out_order_no) {
  return biz_error(BizCode::kOrderNotFound, "order " + out_order_no + " not found");
}

/// The insert found a conflicting row, yet none under the merchant's out_order_no: another
/// unique key (the platform transaction id) collided. Never acknowledge such an order.
Error insert_conflict(const Order& order) {
  return internal_error("storage-conflict",
                        "order " + order.out_order_no + " conflicts with a stored row");
}

/// Inserts `order`, or, when the merchant's out_order_no is taken, locks and returns the
/// stored order instead (nullopt means the insert went through).
Result<std::optional<Order>> insert_or_find_existing(PaymentTransaction& tx, const Order& order) {
  auto inserted = tx.insert_order(order);
  if (!inserted) return std::move(inserted).error();
  if (inserted.value()) return std::optional<Order>();
  auto found = tx.find_order_for_update(order.merchant_id, order.out_order_no);
  if (!found) return std::move(found).error();
  if (!found.value()) return insert_conflict(order);
  return found;
}

/// The order as callers see it: status resolved for expiry.
Order as_read_at(Order order, int64_t now_ms) {
  order.status = order.status_at(now_ms);
  return order;
}

/// The answer to a request whose out_order_no is already stored: the stored order for an
/// identical retry, 20001 for a different payment, 20006 again for a declined one.
Result<Order> existing_for_retry(const Order& existing, const Order& requested, int64_t now_ms) {
  if (!existing.same_payment_as(requested)) return duplicate_order(existing);
  if (existing.status == OrderStatus::kPayError) return declined(existing);
  return as_read_at(existing, now_ms);
}

Order new_order(const std::string& merchant_id, const std::string& out_order_no, int64_t amount,
                int64_t now_ms, int32_t expiration_minutes) {
  Order order;
  order.merchant_id = merchant_id;
  order.out_order_no = out_order_no;
  order.total_amount = amount;
  order.status = OrderStatus::kNotPay;
  order.created_at_ms = now_ms;
  order.updated_at_ms = now_ms;
  order.expire_at_ms = now_ms + expiration_minutes * kMillisPerMinute;
  return order;
}

}  // namespace

PaymentService::PaymentService(PaymentStore& store, Channels channels, Clock& clock,
                               IdGenerator& ids)
    : store_(store), channels_(std::move(channels)), clock_(clock), ids_(ids) {}

PaymentChannel* PaymentService::channel_for(const std::string& pay_way) const {
  const auto found = channels_.find(pay_way);
  return found == channels_.end() ? nullptr : found->second.get();
}

Result<Order> PaymentService::unify_pay(const UnifyPayCommand& command) {
  if (auto valid = validate(command); !valid) return std::move(valid).error();
  const int64_t now = clock_.now_ms();
  const int32_t expiration = command.order_expiration.value_or(0) > 0
                                 ? *command.order_expiration
                                 : kDefaultOrderExpirationMinutes;
  Order order =
      new_order(command.merchant_id, command.out_order_no, *command.total_amount, now, expiration);
  order.pay_way = command.pay_way;
  order.subject = command.subject;
  order.app_id = command.app_id;
  order.sub_open_id = command.sub_open_id;
  order.notify_url = command.notify_url;
  order.client_ip = command.client_ip;

  // A retry needs no channel round trip: answer it from the stored order.
  auto stored = store_.find_order(order.merchant_id, order.out_order_no);
  if (!stored) return std::move(stored).error();
  if (stored.value()) return existing_for_retry(*stored.value(), order, now);

  PaymentChannel* channel = channel_for(order.pay_way);
  if (channel == nullptr) return invalid_param("pay_way", "channel " + order.pay_way + " is off");
  order.transaction_id = ids_.transaction_id(now);
  auto prepared = channel->prepay(order);
  if (!prepared) return std::move(prepared).error();
  order.sub_merchant_id = prepared->sub_merchant_id;
  order.jspay_info = prepared->jspay_info;

  std::optional<Order> existing;
  auto done = store_.transact([&](PaymentTransaction& tx) -> Result<void> {
    auto found = insert_or_find_existing(tx, order);
    if (!found) return std::move(found).error();
    existing = std::move(found.value());
    return {};
  });
  if (!done) return std::move(done).error();
  if (existing) return existing_for_retry(*existing, order, now);
  return order;
}

Result<Order> PaymentService::qr_pay(const QRPayCommand& command) {
  if (auto valid = validate(command); !valid) return std::move(valid).error();
  const int64_t now = clock_.now_ms();
  Order order = new_order(command.merchant_id, command.out_order_no, *command.total_amount, now,
                          kDefaultOrderExpirationMinutes);
  order.pay_way = *pay_way_for_auth_code(command.auth_code);
  order.auth_code = command.auth_code;
  order.subject = command.subject;
  order.notify_url = command.notify_url;
  order.client_ip = command.client_ip;
  PaymentChannel* channel = channel_for(order.pay_way);
  if (channel == nullptr) return invalid_param("auth_code", "channel " + order.pay_way + " is off");
  order.transaction_id = ids_.transaction_id(now);

  // Insert, charge and settle in one transaction: a concurrent retry waits and then
  // sees the settled order, never a half-done one.
  std::optional<Order> existing;
  bool was_declined = false;
  auto done = store_.transact([&](PaymentTransaction& tx) -> Result<void> {
    auto found = insert_or_find_existing(tx, order);
    if (!found) return std::move(found).error();
    if (found.value()) {
      existing = std::move(found.value());
      return {};
    }
    auto charge = channel->charge_barcode(order);
    if (!charge) return std::move(charge).error();
    if (charge->approved) {
      if (auto paid = order.mark_paid(charge->payment, now); !paid) return paid;
    } else {
      if (auto failed = order.mark_declined(now); !failed) return failed;
      was_declined = true;
    }
    if (auto updated = tx.update_order(order); !updated) return updated;
    if (charge->approved && !order.notify_url.empty()) {
      return tx.enqueue_notification(order.merchant_id, order.notify_url,
                                     payment_success_body(order), now);
    }
    return {};
  });
  if (!done) return std::move(done).error();
  if (existing) return existing_for_retry(*existing, order, now);
  if (was_declined) return declined(order);
  return order;
}

Result<Order> PaymentService::query_order(const OrderRef& ref) {
  if (auto valid = validate(ref); !valid) return std::move(valid).error();
  auto found = store_.find_order(ref.merchant_id, ref.out_order_no);
  if (!found) return std::move(found).error();
  if (!found.value()) return order_not_found(ref.out_order_no);
  return as_read_at(std::move(*found.value()), clock_.now_ms());
}

Result<void> PaymentService::close_order(const OrderRef& ref) {
  if (auto valid = validate(ref); !valid) return std::move(valid).error();
  const int64_t now = clock_.now_ms();
  return store_.transact([&](PaymentTransaction& tx) -> Result<void> {
    auto found = tx.find_order_for_update(ref.merchant_id, ref.out_order_no);
    if (!found) return std::move(found).error();
    if (!found.value()) return order_not_found(ref.out_order_no);
    Order& order = *found.value();
    const OrderStatus before = order.status;
    if (auto closed = order.close(now); !closed) return closed;
    if (order.status == before) return {};  // already CLOSED: nothing to write
    return tx.update_order(order);
  });
}

Result<RefundReceipt> PaymentService::refund(const RefundCommand& command) {
  if (auto valid = validate(command); !valid) return std::move(valid).error();
  const int64_t now = clock_.now_ms();
  Refund refund;
  refund.merchant_id = command.merchant_id;
  refund.out_refund_no = command.out_refund_no;
  refund.out_order_no = command.out_order_no;
  refund.refund_amount = *command.refund_amount;
  refund.reason = command.reason;
  refund.created_at_ms = now;

  RefundReceipt receipt;
  auto answer_retry = [&](const Refund& existing, const Order* order) -> Result<void> {
    if (!existing.same_refund_as(refund)) {
      return biz_error(BizCode::kDuplicateOutRefundNo,
                       "out_refund_no " + refund.out_refund_no +
                           " already exists with a different out_order_no or refund_amount");
    }
    receipt.refund = existing;
    receipt.refunded_total = order != nullptr ? order->refunded_amount : 0;
    return {};
  };

  auto done = store_.transact([&](PaymentTransaction& tx) -> Result<void> {
    // Lock the order first so concurrent refunds of it run one after the other and
    // each sees the refunds committed before it.
    auto found = tx.find_order_for_update(refund.merchant_id, refund.out_order_no);
    if (!found) return std::move(found).error();
    Order* order = found.value() ? &*found.value() : nullptr;
    auto prior = tx.find_refund(refund.merchant_id, refund.out_refund_no);
    if (!prior) return std::move(prior).error();
    if (prior.value()) return answer_retry(*prior.value(), order);
    if (order == nullptr) return order_not_found(refund.out_order_no);

    if (auto applied = order->apply_refund(refund.refund_amount, now); !applied) return applied;
    PaymentChannel* channel = channel_for(order->pay_way);
    if (channel == nullptr) {
      return internal_error("channel-unavailable", "channel " + order->pay_way + " is off");
    }
    refund.refund_id = ids_.refund_id(now);
    auto settled = channel->refund(*order, refund);
    if (!settled) return std::move(settled).error();
    refund.status = settled.value() ? RefundStatus::kSuccess : RefundStatus::kFailed;
    refund.refunded_at_ms = settled.value() ? now : 0;

    auto inserted = tx.insert_refund(refund);
    if (!inserted) return std::move(inserted).error();
    if (!inserted.value()) {  // raced with the same out_refund_no on another order
      auto raced = tx.find_refund(refund.merchant_id, refund.out_refund_no);
      if (!raced) return std::move(raced).error();
      if (!raced.value()) return internal_error("storage-error", "refund vanished");
      return answer_retry(*raced.value(), nullptr);
    }
    receipt.refund = refund;
    if (refund.status != RefundStatus::kSuccess) {
      receipt.refunded_total = order->refunded_amount - refund.refund_amount;
      return {};
    }
    if (auto updated = tx.update_order(*order); !updated) return updated;
    receipt.refunded_total = order->refunded_amount;
    if (order->notify_url.empty()) return {};
    return tx.enqueue_notification(order->merchant_id, order->notify_url,
                                   refund_success_body(*order, refund), now);
  });
  if (!done) return std::move(done).error();
  return receipt;
}

Result<RefundReceipt> PaymentService::query_refund(const RefundRef& ref) {
  if (auto valid = validate(ref); !valid) return std::move(valid).error();
  auto found = store_.find_refund(ref.merchant_id, ref.out_refund_no);
  if (!found) return std::move(found).error();
  if (!found.value()) {
    return biz_error(BizCode::kRefundNotFound, "refund " + ref.out_refund_no + " not found");
  }
  RefundReceipt receipt{std::move(*found.value()), 0};
  auto order = store_.find_order(ref.merchant_id, receipt.refund.out_order_no);
  if (!order) return std::move(order).error();
  if (order.value()) receipt.refunded_total = order.value()->refunded_amount;
  return receipt;
}

Result<Bill> PaymentService::download_bill(const BillRequest& request) {
  if (auto valid = validate(request); !valid) return std::move(valid).error();
  if (request.bill_date.empty()) return invalid_param("bill_date", "missing");
  const auto day = parse_bill_date(request.bill_date);
  if (!day) return invalid_param("bill_date", "expected a date YYYY-MM-DD");
  auto orders = store_.orders_created_between(request.merchant_id, day->begin_ms, day->end_ms);
  if (!orders) return std::move(orders).error();
  auto refunds = store_.refunds_created_between(request.merchant_id, day->begin_ms, day->end_ms);
  if (!refunds) return std::move(refunds).error();
  return build_bill(request.bill_date, orders.value(), refunds.value(), clock_.now_ms());
}

}  // namespace opp::payment
