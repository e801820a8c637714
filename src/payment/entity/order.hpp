#pragma once
// An order and its status state machine (SPEC §8):
//
//   NOTPAY ──paid──► SUCCESS ──refund──► REFUND ──refund──► REFUND
//     │ └─declined─► PAYERROR
//     └──close / expiry──► CLOSED
//
// An unpaid order older than its expiration reads as CLOSED even before anyone closes it.

#include <cstdint>
#include <string>

#include "opp/common/result.hpp"

namespace opp::payment {

enum class OrderStatus : int8_t {
  kNotPay = 0,
  kSuccess = 1,
  kRefund = 2,  ///< partly or fully refunded
  kPayError = 3,
  kClosed = 9,
};

/// "NOTPAY", "SUCCESS", "REFUND", "PAYERROR", "CLOSED".
const char* order_status_name(OrderStatus status);

/// Whether `from` may move to `to` (REFUND -> REFUND is a further partial refund).
bool can_transition(OrderStatus from, OrderStatus to);

/// What the channel reported for a settled payment.
struct ChannelPayment {
  std::string open_id;
  std::string out_transaction_id;
};

struct Order {
  std::string merchant_id;
  std::string out_order_no;
  std::string transaction_id;  ///< platform id
  std::string pay_way;
  std::string auth_code;  ///< barcode payments only
  int64_t total_amount = 0;
  int64_t refunded_amount = 0;
  OrderStatus status = OrderStatus::kNotPay;

  std::string subject;
  std::string app_id;
  std::string sub_open_id;
  std::string notify_url;
  std::string client_ip;

  std::string sub_merchant_id;  ///< channel side
  std::string jspay_info;
  std::string open_id;
  std::string out_transaction_id;

  int64_t created_at_ms = 0;
  int64_t expire_at_ms = 0;
  int64_t paid_at_ms = 0;
  int64_t closed_at_ms = 0;
  int64_t updated_at_ms = 0;

  /// The status as it reads at `now_ms`: an expired NOTPAY order is CLOSED.
  OrderStatus status_at(int64_t now_ms) const;

  /// Whether another request for the same out_order_no asks for the same payment
  /// (same total_amount, pay_way and auth_code); otherwise it is a duplicate (20001).
  bool same_payment_as(const Order& other) const;

  /// How much can still be refunded.
  int64_t refundable_amount() const { return total_amount - refunded_amount; }

  /// When an order that reads CLOSED closed: its recorded close, or its expiry when it
  /// expired without one being written.
  int64_t closed_time_ms() const { return closed_at_ms > 0 ? closed_at_ms : expire_at_ms; }

  /// NOTPAY -> SUCCESS. 20003 from any other (current) status.
  Result<void> mark_paid(const ChannelPayment& payment, int64_t now_ms);
  /// NOTPAY -> PAYERROR. 20003 from any other (current) status.
  Result<void> mark_declined(int64_t now_ms);
  /// NOTPAY (or expired) -> CLOSED; CLOSED stays CLOSED. 20003 otherwise.
  Result<void> close(int64_t now_ms);
  /// SUCCESS/REFUND -> REFUND with the amount added; 20003 for other statuses,
  /// 20005 when the refunds would exceed the total.
  Result<void> apply_refund(int64_t amount, int64_t now_ms);
};

}  // namespace opp::payment
