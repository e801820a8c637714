#include "payment/entity/refund.hpp"

#include <array>

#include "opp/common/enum_table.hpp"

namespace opp::payment {

const char* refund_status_name(RefundStatus status) {
  static constexpr std::array<EnumName<RefundStatus>, 3> kNames{{
      {RefundStatus::kProcessing, "PROCESSING"},
      {RefundStatus::kSuccess, "SUCCESS"},
      {RefundStatus::kFailed, "FAILED"},
  }};
  return name_of(kNames, status, "UNKNOWN").data();  // the literals are NUL-terminated
}

}  // namespace opp::payment
