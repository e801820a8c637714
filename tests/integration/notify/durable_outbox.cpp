#include "durable_outbox.hpp"

#include <stdexcept>

#include "payment/infrastructure/sql/database.hpp"
#include "payment/infrastructure/sql/migrations.hpp"
#include "payment/infrastructure/sql/soci_notification_outbox.hpp"

namespace opp::payment::test {

struct DurableOutbox::Impl {
  explicit Impl(const std::filesystem::path& file)
      : database(target_of(file), 1), outbox(database) {
    apply_migrations(database);
  }
  static DatabaseTarget target_of(const std::filesystem::path& file) {
    auto target = parse_database_url("sqlite3://db=" + file.string(), file.parent_path());
    if (!target) throw std::runtime_error(target.error().message);
    return *target;
  }
  Database database;
  SociNotificationOutbox outbox;
};

DurableOutbox::DurableOutbox(const std::filesystem::path& file)
    : impl_(std::make_unique<Impl>(file)) {}
DurableOutbox::~DurableOutbox() = default;
NotificationOutbox& DurableOutbox::outbox() {
  return impl_->outbox;
}

}  // namespace opp::payment::test
