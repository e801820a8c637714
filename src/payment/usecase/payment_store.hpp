#pragma once
// The repository port of the payment use cases. Reads outside a transaction go through
// PaymentStore; every read-modify-write runs inside PaymentStore::transact, which the
// SQL implementation maps to one database transaction (BEGIN IMMEDIATE on SQLite,
// SELECT ... FOR UPDATE on PostgreSQL). Uniqueness of (merchant_id, out_order_no) and
// (merchant_id, out_refund_no) is the store's job, so concurrent duplicates make one row.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "opp/common/result.hpp"
#include "payment/entity/order.hpp"
#include "payment/entity/refund.hpp"

namespace opp::payment {

/// Operations inside one transaction. Every lookup is scoped by merchant_id.
class PaymentTransaction {
 public:
  virtual ~PaymentTransaction() = default;
  /// The order, locked against concurrent writers until the transaction ends.
  virtual Result<std::optional<Order>> find_order_for_update(const std::string& merchant_id,
                                                             const std::string& out_order_no) = 0;
  /// Inserts the order; false (and no change) when the merchant already has that out_order_no.
  virtual Result<bool> insert_order(const Order& order) = 0;
  /// Writes the order's mutable state (status, amounts, channel fields, times).
  virtual Result<void> update_order(const Order& order) = 0;
  virtual Result<std::optional<Refund>> find_refund(const std::string& merchant_id,
                                                    const std::string& out_refund_no) = 0;
  /// Inserts the refund; false (and no change) when the merchant already has that out_refund_no.
  virtual Result<bool> insert_refund(const Refund& refund) = 0;
  /// Adds a notification to the outbox; it is delivered only if the transaction commits.
  virtual Result<void> enqueue_notification(const std::string& merchant_id, const std::string& url,
                                            const std::string& body, int64_t now_ms) = 0;
};

class PaymentStore {
 public:
  using Work = std::function<Result<void>(PaymentTransaction&)>;

  virtual ~PaymentStore() = default;
  /// Runs `work` in one transaction: committed when it returns ok, rolled back otherwise
  /// (its error is returned).
  virtual Result<void> transact(const Work& work) = 0;

  virtual Result<std::optional<Order>> find_order(const std::string& merchant_id,
                                                  const std::string& out_order_no) = 0;
  virtual Result<std::optional<Refund>> find_refund(const std::string& merchant_id,
                                                    const std::string& out_refund_no) = 0;
  /// Orders with begin_ms <= created_at_ms < end_ms, oldest first.
  virtual Result<std::vector<Order>> orders_created_between(const std::string& merchant_id,
                                                            int64_t begin_ms, int64_t end_ms) = 0;
  /// Refunds with begin_ms <= created_at_ms < end_ms, oldest first.
  virtual Result<std::vector<Refund>> refunds_created_between(const std::string& merchant_id,
                                                              int64_t begin_ms, int64_t end_ms) = 0;
};

}  // namespace opp::payment
