#pragma once
// What the payment use cases need from the outside world, as interfaces the
// infrastructure implements (and tests fake): time, ids and payment channels.

#include <cstdint>
#include <string>

#include "opp/common/result.hpp"
#include "payment/entity/order.hpp"
#include "payment/entity/refund.hpp"

namespace opp::payment {

class Clock {
 public:
  virtual ~Clock() = default;
  /// Unix epoch milliseconds.
  virtual int64_t now_ms() = 0;
};

class IdGenerator {
 public:
  virtual ~IdGenerator() = default;
  /// A new, globally unique platform transaction id.
  virtual std::string transaction_id(int64_t now_ms) = 0;
  /// A new, globally unique platform refund id.
  virtual std::string refund_id(int64_t now_ms) = 0;
};

/// What a channel returns when an in-app payment is prepared.
struct Prepayment {
  std::string sub_merchant_id;
  std::string jspay_info;  ///< JSON text for the client, with a prepay_id
};

/// What a channel answers to a barcode charge.
struct BarcodeCharge {
  bool approved = false;
  ChannelPayment payment;      ///< when approved
  std::string decline_reason;  ///< when not
};

class PaymentChannel {
 public:
  virtual ~PaymentChannel() = default;
  /// Registers an in-app payment for `order` and returns the client's pay parameters.
  virtual Result<Prepayment> prepay(const Order& order) = 0;
  /// Charges the payer identified by `order.auth_code`.
  virtual Result<BarcodeCharge> charge_barcode(const Order& order) = 0;
  /// Returns `refund.refund_amount` of `order` to the payer; true when settled.
  virtual Result<bool> refund(const Order& order, const Refund& refund) = 0;
};

}  // namespace opp::payment
