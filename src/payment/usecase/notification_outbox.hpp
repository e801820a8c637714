#pragma once
// Port between the payment use cases and notification delivery.
//
// A notification is written to the outbox in the same database transaction that makes
// an order SUCCESS or a refund succeed (the repository's job), so a crash cannot lose
// it. The dispatcher (infrastructure/notify) then reads due messages, POSTs them signed
// to the merchant's notify_url, and records the outcome here.

#include <cstdint>
#include <string>
#include <vector>

namespace opp::payment {

struct OutboxMessage {
  int64_t id = 0;
  std::string merchant_id;
  std::string url;   ///< the order's notify_url
  std::string body;  ///< JSON, sent as is
  int32_t attempts = 0;
  int64_t next_attempt_at_ms = 0;  ///< Unix epoch milliseconds
  int64_t created_at_ms = 0;
};

class NotificationOutbox {
 public:
  virtual ~NotificationOutbox() = default;
  /// Adds a message due now (used outside a repository transaction, e.g. by tests).
  virtual int64_t enqueue(const std::string& merchant_id, const std::string& url,
                          const std::string& body, int64_t now_ms) = 0;
  /// Undelivered messages with next_attempt_at_ms <= now_ms, oldest first.
  virtual std::vector<OutboxMessage> due(int64_t now_ms, size_t limit) = 0;
  virtual void mark_delivered(int64_t id, int64_t now_ms) = 0;
  /// Records a failed attempt and when to try again.
  virtual void reschedule(int64_t id, int32_t attempts, int64_t next_attempt_at_ms,
                          const std::string& last_error) = 0;
  /// Stops retrying (after the retry horizon); the message stays for inspection.
  virtual void give_up(int64_t id, const std::string& last_error) = 0;
};

}  // namespace opp::payment
