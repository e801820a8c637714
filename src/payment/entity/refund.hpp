#pragma once
// A refund of (part of) a paid order, identified per merchant by out_refund_no.

#include <cstdint>
#include <string>

namespace opp::payment {

enum class RefundStatus : int8_t {
  kProcessing = 0,
  kSuccess = 1,
  kFailed = 2,
};

/// "PROCESSING", "SUCCESS", "FAILED".
const char* refund_status_name(RefundStatus status);

struct Refund {
  std::string merchant_id;
  std::string out_refund_no;
  std::string out_order_no;
  std::string refund_id;  ///< platform id
  int64_t refund_amount = 0;
  RefundStatus status = RefundStatus::kProcessing;
  std::string reason;
  int64_t created_at_ms = 0;
  int64_t refunded_at_ms = 0;

  /// Whether a retry with the same out_refund_no asks for the same refund
  /// (same order and amount); otherwise it is a duplicate (20007).
  bool same_refund_as(const Refund& other) const {
    return out_order_no == other.out_order_no && refund_amount == other.refund_amount;
  }
};

}  // namespace opp::payment
