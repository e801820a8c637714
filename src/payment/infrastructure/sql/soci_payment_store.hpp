#pragma once
// PaymentStore on SOCI: one pooled session per call, one SQL transaction per transact().

#include "payment/infrastructure/sql/database.hpp"
#include "payment/usecase/payment_store.hpp"

namespace opp::payment {

class SociPaymentStore final : public PaymentStore {
 public:
  explicit SociPaymentStore(Database& database) : database_(database) {}

  Result<void> transact(const Work& work) override;
  Result<std::optional<Order>> find_order(const std::string& merchant_id,
                                          const std::string& out_order_no) override;
  Result<std::optional<Refund>> find_refund(const std::string& merchant_id,
                                            const std::string& out_refund_no) override;
  Result<std::vector<Order>> orders_created_between(const std::string& merchant_id,
                                                    int64_t begin_ms, int64_t end_ms) override;
  Result<std::vector<Refund>> refunds_created_between(const std::string& merchant_id,
                                                      int64_t begin_ms, int64_t end_ms) override;

 private:
  Database& database_;
};

}  // namespace opp::payment
