#include "payment/infrastructure/sql/soci_notification_outbox.hpp"

#include <soci/soci.h>

#include "payment/infrastructure/sql/sql_rows.hpp"

// The port is exception-based (the dispatcher runs on its own thread, off the request
// path, and treats a storage failure as "try again on the next poll"), so SOCI errors
// propagate from here as soci::soci_error.

namespace opp::payment {

int64_t SociNotificationOutbox::enqueue(const std::string& merchant_id, const std::string& url,
                                        const std::string& body, int64_t now_ms) {
  soci::session session(database_.pool());
  const auto turn = database_.write_turn();
  return sql::insert_outbox_message(session, merchant_id, url, body, now_ms);
}

std::vector<OutboxMessage> SociNotificationOutbox::due(int64_t now_ms, size_t limit) {
  soci::session session(database_.pool());
  long long id = 0, next_attempt_at_ms = 0, created_at_ms = 0;
  int attempts = 0;
  std::string merchant_id, url, body;
  const long long now = now_ms;
  const long long max_rows = static_cast<long long>(limit);
  soci::statement statement =
      (session.prepare << "SELECT id, merchant_id, url, body, attempts, next_attempt_at_ms, "
                          "created_at_ms FROM notification_outbox WHERE delivered_at_ms = 0 "
                          "AND gave_up = 0 AND next_attempt_at_ms <= :now "
                          "ORDER BY next_attempt_at_ms, id LIMIT :limit",
       soci::into(id), soci::into(merchant_id), soci::into(url), soci::into(body),
       soci::into(attempts), soci::into(next_attempt_at_ms), soci::into(created_at_ms),
       soci::use(now), soci::use(max_rows));
  statement.execute(false);
  std::vector<OutboxMessage> messages;
  while (statement.fetch()) {
    messages.push_back(
        OutboxMessage{id, merchant_id, url, body, attempts, next_attempt_at_ms, created_at_ms});
  }
  return messages;
}

void SociNotificationOutbox::mark_delivered(int64_t id, int64_t now_ms) {
  soci::session session(database_.pool());
  const auto turn = database_.write_turn();
  const long long key = id, when = now_ms;
  session << "UPDATE notification_outbox SET delivered_at_ms = :when, attempts = attempts + 1 "
             "WHERE id = :id",
      soci::use(when), soci::use(key);
}

void SociNotificationOutbox::reschedule(int64_t id, int32_t attempts, int64_t next_attempt_at_ms,
                                        const std::string& last_error) {
  soci::session session(database_.pool());
  const auto turn = database_.write_turn();
  const long long key = id, next = next_attempt_at_ms;
  const int count = attempts;
  session << "UPDATE notification_outbox SET attempts = :attempts, next_attempt_at_ms = :next, "
             "last_error = :error WHERE id = :id",
      soci::use(count), soci::use(next), soci::use(last_error), soci::use(key);
}

void SociNotificationOutbox::give_up(int64_t id, const std::string& last_error) {
  soci::session session(database_.pool());
  const auto turn = database_.write_turn();
  const long long key = id;
  session << "UPDATE notification_outbox SET gave_up = 1, last_error = :error WHERE id = :id",
      soci::use(last_error), soci::use(key);
}

}  // namespace opp::payment
