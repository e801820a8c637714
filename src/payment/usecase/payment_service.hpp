#pragma once
// The payment use cases (SPEC §8). Knows the entities and the ports, nothing of SQL or
// Thrift. Every method validates its command (20009 naming the field, 20004 for amounts),
// then reads or changes state through PaymentStore, one transaction per change.

#include <map>
#include <memory>
#include <string>

#include "opp/common/result.hpp"
#include "payment/usecase/commands.hpp"
#include "payment/usecase/payment_store.hpp"
#include "payment/usecase/ports.hpp"

namespace opp::payment {

class PaymentService {
 public:
  using Channels = std::map<std::string, std::shared_ptr<PaymentChannel>, std::less<>>;

  PaymentService(PaymentStore& store, Channels channels, Clock& clock, IdGenerator& ids);

  /// Creates a NOTPAY order on the channel named by pay_way (or returns the existing one
  /// for an identical retry; 20001 for a different one).
  Result<Order> unify_pay(const UnifyPayCommand& command);
  /// Creates and settles a barcode order: SUCCESS, or PAYERROR stored and 20006.
  Result<Order> qr_pay(const QRPayCommand& command);
  /// The order as it reads now (expired NOTPAY reads CLOSED); 20002 if absent.
  Result<Order> query_order(const OrderRef& ref);
  /// NOTPAY -> CLOSED, CLOSED -> ok, otherwise 20003; 20002 if absent.
  Result<void> close_order(const OrderRef& ref);
  /// Refunds a SUCCESS/REFUND order, idempotent per out_refund_no.
  Result<RefundReceipt> refund(const RefundCommand& command);
  /// The refund and its order's refunded total; 20008 if absent.
  Result<RefundReceipt> query_refund(const RefundRef& ref);
  /// The merchant's statement of one UTC day.
  Result<Bill> download_bill(const BillRequest& request);

 private:
  PaymentChannel* channel_for(const std::string& pay_way) const;

  PaymentStore& store_;
  Channels channels_;
  Clock& clock_;
  IdGenerator& ids_;
};

}  // namespace opp::payment
