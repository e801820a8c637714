#pragma once
// A minimal NotificationOutbox on a SQLite file, for proving that delivery state survives
// a restart when the payment store's SOCI outbox is not part of the build.

#include <filesystem>
#include <string>

#include "payment/usecase/notification_outbox.hpp"

struct sqlite3;

namespace opp::payment::test {

class SqliteOutbox final : public NotificationOutbox {
 public:
  /// Opens (and creates when missing) the database file. Throws std::runtime_error.
  explicit SqliteOutbox(const std::filesystem::path& file);
  ~SqliteOutbox() override;
  SqliteOutbox(const SqliteOutbox&) = delete;
  SqliteOutbox& operator=(const SqliteOutbox&) = delete;

  int64_t enqueue(const std::string& merchant_id, const std::string& url, const std::string& body,
                  int64_t now_ms) override;
  std::vector<OutboxMessage> due(int64_t now_ms, size_t limit) override;
  void mark_delivered(int64_t id, int64_t now_ms) override;
  void reschedule(int64_t id, int32_t attempts, int64_t next_attempt_at_ms,
                  const std::string& last_error) override;
  void give_up(int64_t id, const std::string& last_error) override;

 private:
  sqlite3* db_ = nullptr;
};

}  // namespace opp::payment::test
