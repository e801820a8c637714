#include "payment/entity/refund.hpp"

namespace opp::payment {

const char* refund_status_name(RefundStatus status) {
  switch (status) {
    case RefundStatus::kProcessing:
      return "PROCESSING";
    case RefundStatus::kSuccess:
      return "SUCCESS";
    case RefundStatus::kFailed:
      return "FAILED";
  }
  return "UNKNOWN";
}

}  // namespace opp::payment
