#pragma once
// Inputs and outputs of the payment use cases, free of any wire format. Strings left
// empty count as missing; numbers are optional so "absent" differs from zero.

#include <cstdint>
#include <optional>
#include <string>

#include "payment/entity/order.hpp"
#include "payment/entity/refund.hpp"

namespace opp::payment {

struct UnifyPayCommand {
  std::string merchant_id;
  std::string out_order_no;
  std::optional<int64_t> total_amount;
  std::string pay_way;
  std::string subject;
  std::string app_id;
  std::string sub_open_id;
  std::string notify_url;
  std::string client_ip;
  std::optional<int32_t> order_expiration;  ///< minutes
};

struct QRPayCommand {
  std::string merchant_id;
  std::string out_order_no;
  std::optional<int64_t> total_amount;
  std::string auth_code;
  std::string subject;
  std::string notify_url;
  std::string client_ip;
};

struct OrderRef {
  std::string merchant_id;
  std::string out_order_no;
};

struct RefundCommand {
  std::string merchant_id;
  std::string out_order_no;
  std::string out_refund_no;
  std::optional<int64_t> refund_amount;
  std::string reason;
};

struct RefundRef {
  std::string merchant_id;
  std::string out_refund_no;
};

struct BillRequest {
  std::string merchant_id;
  std::string bill_date;  ///< YYYY-MM-DD, UTC
};

/// A refund together with its order's refunded total at the time of reading.
struct RefundReceipt {
  Refund refund;
  int64_t refunded_total = 0;
};

struct Bill {
  std::string bill_date;
  std::string csv;
  int32_t order_count = 0;
  int64_t total_amount = 0;
  int32_t refund_count = 0;
  int64_t refund_amount = 0;
};

}  // namespace opp::payment
