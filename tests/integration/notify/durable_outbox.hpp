#pragma once
// The notification outbox kept in a SQLite file, opened the way opp-payment opens it on
// start-up: the payment store's SOCI outbox. Closing and reopening it stands for a process
// restart.

#include <filesystem>
#include <memory>

#include "payment/usecase/notification_outbox.hpp"

namespace opp::payment::test {

class DurableOutbox {
 public:
  explicit DurableOutbox(const std::filesystem::path& file);
  ~DurableOutbox();
  NotificationOutbox& outbox();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace opp::payment::test
