#pragma once
// An in-memory NotificationOutbox with the same contract as the SQL one, plus a view of
// each message's bookkeeping for assertions.

#include <algorithm>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "payment/usecase/notification_outbox.hpp"

namespace opp::payment::test {

struct StoredMessage {
  OutboxMessage message;
  bool delivered = false;
  bool given_up = false;
  int64_t delivered_at_ms = 0;
  std::string last_error;
};

class MemoryOutbox final : public NotificationOutbox {
 public:
  int64_t enqueue(const std::string& merchant_id, const std::string& url, const std::string& body,
                  int64_t now_ms) override {
    std::lock_guard lock(mutex_);
    StoredMessage stored;
    stored.message = {next_id_, merchant_id, url, body, 0, now_ms, now_ms};
    messages_[next_id_] = stored;
    return next_id_++;
  }

  std::vector<OutboxMessage> due(int64_t now_ms, size_t limit) override {
    std::lock_guard lock(mutex_);
    std::vector<OutboxMessage> out;
    for (const auto& [id, stored] : messages_) {
      if (!stored.delivered && !stored.given_up && stored.message.next_attempt_at_ms <= now_ms) {
        out.push_back(stored.message);
      }
    }
    std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
      return a.next_attempt_at_ms < b.next_attempt_at_ms;
    });
    if (out.size() > limit) out.resize(limit);
    return out;
  }

  void mark_delivered(int64_t id, int64_t now_ms) override {
    std::lock_guard lock(mutex_);
    messages_.at(id).delivered = true;
    messages_.at(id).delivered_at_ms = now_ms;
  }

  void reschedule(int64_t id, int32_t attempts, int64_t next_attempt_at_ms,
                  const std::string& last_error) override {
    std::lock_guard lock(mutex_);
    StoredMessage& stored = messages_.at(id);
    stored.message.attempts = attempts;
    stored.message.next_attempt_at_ms = next_attempt_at_ms;
    stored.last_error = last_error;
  }

  void give_up(int64_t id, const std::string& last_error) override {
    std::lock_guard lock(mutex_);
    messages_.at(id).given_up = true;
    messages_.at(id).last_error = last_error;
  }

  StoredMessage get(int64_t id) const {
    std::lock_guard lock(mutex_);
    return messages_.at(id);
  }

 private:
  mutable std::mutex mutex_;
  std::map<int64_t, StoredMessage> messages_;
  int64_t next_id_ = 1;
};

}  // namespace opp::payment::test
