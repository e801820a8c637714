#pragma once
// Sandbox payment channels (wxpay, alipay, unionpay): deterministic stand-ins for the
// real channel APIs. They settle at once: barcode codes ending in "0000" are declined,
// every other charge and every refund succeeds.

#include <memory>
#include <string>

#include "payment/usecase/payment_service.hpp"
#include "payment/usecase/ports.hpp"

namespace opp::payment {

class SandboxChannel final : public PaymentChannel {
 public:
  explicit SandboxChannel(std::string pay_way) : pay_way_(std::move(pay_way)) {}

  Result<Prepayment> prepay(const Order& order) override;
  Result<BarcodeCharge> charge_barcode(const Order& order) override;
  Result<bool> refund(const Order& order, const Refund& refund) override;

 private:
  std::string pay_way_;
};

/// One sandbox channel per known pay_way, ready for PaymentService.
PaymentService::Channels make_sandbox_channels();

}  // namespace opp::payment
