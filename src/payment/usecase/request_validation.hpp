#pragma once
// Field-by-field checks of the use-case commands. The first failing field answers:
// 20009 naming it (missing or malformed), or 20004 for an amount out of range.

#include "opp/common/result.hpp"
#include "payment/usecase/commands.hpp"

namespace opp::payment {

Result<void> validate(const UnifyPayCommand& command);
/// Also checks that auth_code maps to a channel (sandbox barcode rule).
Result<void> validate(const QRPayCommand& command);
Result<void> validate(const OrderRef& ref);
Result<void> validate(const RefundCommand& command);
Result<void> validate(const RefundRef& ref);
/// Only the merchant; the date is parsed by the caller.
Result<void> validate(const BillRequest& request);

}  // namespace opp::payment
