#pragma once
// NotificationOutbox on SOCI (table notification_outbox). Messages are normally written
// by SociPaymentStore inside the transaction that settles an order or refund; this class
// serves the dispatcher: due messages, delivered, rescheduled, given up.

#include "payment/infrastructure/sql/database.hpp"
#include "payment/usecase/notification_outbox.hpp"

namespace opp::payment {

class SociNotificationOutbox final : public NotificationOutbox {
 public:
  explicit SociNotificationOutbox(Database& database) : database_(database) {}

  int64_t enqueue(const std::string& merchant_id, const std::string& url, const std::string& body,
                  int64_t now_ms) override;
  std::vector<OutboxMessage> due(int64_t now_ms, size_t limit) override;
  void mark_delivered(int64_t id, int64_t now_ms) override;
  void reschedule(int64_t id, int32_t attempts, int64_t next_attempt_at_ms,
                  const std::string& last_error) override;
  void give_up(int64_t id, const std::string& last_error) override;

 private:
  Database& database_;
};

}  // namespace opp::payment
