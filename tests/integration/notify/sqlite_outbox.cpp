#include "sqlite_outbox.hpp"

#include <sqlite3.h>

#include <stdexcept>

namespace opp::payment::test {
namespace {

/// A prepared statement with positional parameters, finalized on scope exit.
class Statement {
 public:
  Statement(sqlite3* db, const char* sql) : db_(db) {
    if (sqlite3_prepare_v2(db, sql, -1, &statement_, nullptr) != SQLITE_OK) fail();
  }
  ~Statement() { sqlite3_finalize(statement_); }

  Statement& bind(int index, int64_t value) {
    sqlite3_bind_int64(statement_, index, value);
    return *this;
  }
  Statement& bind(int index, const std::string& value) {
    // Blobs keep the exact bytes of a body.
    sqlite3_bind_blob(statement_, index, value.data(), static_cast<int>(value.size()),
                      SQLITE_TRANSIENT);
    return *this;
  }
  /// True while a row is available.
  bool step() {
    const int rc = sqlite3_step(statement_);
    if (rc == SQLITE_ROW) return true;
    if (rc != SQLITE_DONE) fail();
    return false;
  }
  int64_t integer(int column) { return sqlite3_column_int64(statement_, column); }
  std::string text(int column) {
    const auto* data = static_cast<const char*>(sqlite3_column_blob(statement_, column));
    return data ? std::string(data, static_cast<size_t>(sqlite3_column_bytes(statement_, column)))
                : std::string();
  }

 private:
  [[noreturn]] void fail() { throw std::runtime_error(sqlite3_errmsg(db_)); }
  sqlite3* db_;
  sqlite3_stmt* statement_ = nullptr;
};

}  // namespace

SqliteOutbox::SqliteOutbox(const std::filesystem::path& file) {
  if (sqlite3_open(file.c_str(), &db_) != SQLITE_OK) {
    std::string message = sqlite3_errmsg(db_);
    sqlite3_close(db_);
    throw std::runtime_error(message);
  }
  Statement(db_,
            "CREATE TABLE IF NOT EXISTS notification_outbox ("
            "id INTEGER PRIMARY KEY AUTOINCREMENT, merchant_id BLOB NOT NULL, url BLOB NOT NULL,"
            "body BLOB NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,"
            "next_attempt_at_ms INTEGER NOT NULL, created_at_ms INTEGER NOT NULL,"
            "delivered_at_ms INTEGER NOT NULL DEFAULT 0, gave_up INTEGER NOT NULL DEFAULT 0,"
            "last_error BLOB)")
      .step();
}

SqliteOutbox::~SqliteOutbox() {
  sqlite3_close(db_);
}

int64_t SqliteOutbox::enqueue(const std::string& merchant_id, const std::string& url,
                              const std::string& body, int64_t now_ms) {
  Statement(db_,
            "INSERT INTO notification_outbox (merchant_id, url, body, next_attempt_at_ms,"
            " created_at_ms) VALUES (?, ?, ?, ?, ?)")
      .bind(1, merchant_id)
      .bind(2, url)
      .bind(3, body)
      .bind(4, now_ms)
      .bind(5, now_ms)
      .step();
  return sqlite3_last_insert_rowid(db_);
}

std::vector<OutboxMessage> SqliteOutbox::due(int64_t now_ms, size_t limit) {
  Statement query(db_,
                  "SELECT id, merchant_id, url, body, attempts, next_attempt_at_ms, created_at_ms"
                  " FROM notification_outbox WHERE delivered_at_ms = 0 AND gave_up = 0"
                  " AND next_attempt_at_ms <= ? ORDER BY next_attempt_at_ms, id LIMIT ?");
  query.bind(1, now_ms).bind(2, static_cast<int64_t>(limit));
  std::vector<OutboxMessage> messages;
  while (query.step()) {
    messages.push_back(OutboxMessage{query.integer(0), query.text(1), query.text(2), query.text(3),
                                     static_cast<int32_t>(query.integer(4)), query.integer(5),
                                     query.integer(6)});
  }
  return messages;
}

void SqliteOutbox::mark_delivered(int64_t id, int64_t now_ms) {
  Statement(db_, "UPDATE notification_outbox SET delivered_at_ms = ? WHERE id = ?")
      .bind(1, now_ms)
      .bind(2, id)
      .step();
}

void SqliteOutbox::reschedule(int64_t id, int32_t attempts, int64_t next_attempt_at_ms,
                              const std::string& last_error) {
  Statement(db_,
            "UPDATE notification_outbox SET attempts = ?, next_attempt_at_ms = ?,"
            " last_error = ? WHERE id = ?")
      .bind(1, static_cast<int64_t>(attempts))
      .bind(2, next_attempt_at_ms)
      .bind(3, last_error)
      .bind(4, id)
      .step();
}

void SqliteOutbox::give_up(int64_t id, const std::string& last_error) {
  Statement(db_, "UPDATE notification_outbox SET gave_up = 1, last_error = ? WHERE id = ?")
      .bind(1, last_error)
      .bind(2, id)
      .step();
}

}  // namespace opp::payment::test
