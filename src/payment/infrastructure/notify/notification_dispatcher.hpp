#pragma once
// Delivers the notification outbox (SPEC §8): every due message is POSTed, signed with
// the platform key like a §3.3 response (RSA2), to its notify_url; a 2xx marks it
// delivered, anything else reschedules it on the retry schedule until 24 h have passed.
// State lives only in the outbox, so a restarted dispatcher continues where the last
// one stopped. Delivery is at-least-once: merchants deduplicate by the body's ids.
//
// A poller thread reads due messages and hands them to a few delivery threads through a
// HostLimiter: at most `per_host_concurrency` deliveries run to any one receiver, so a
// slow or dead merchant holds a few threads and the others keep delivering; its other
// messages wait their turn without taking a thread. The outbox is called from all of
// these threads at once and must allow that.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <string_view>
#include <thread>
#include <unordered_set>
#include <vector>

#include "opp/crypto/keys.hpp"
#include "payment/infrastructure/notify/host_limiter.hpp"
#include "payment/infrastructure/notify/http_notifier.hpp"
#include "payment/infrastructure/notify/retry_schedule.hpp"
#include "payment/usecase/notification_outbox.hpp"
#include "payment/usecase/ports.hpp"

namespace opp::payment {

struct NotificationDispatcherOptions {
  /// How often the outbox is read for due messages; bounds the delivery delay.
  std::chrono::milliseconds poll_interval{200};
  RetrySchedule retry = RetrySchedule::standard();
  /// Messages read from the outbox per round.
  size_t batch_size = 64;
  /// Deliveries in flight at once (delivery threads).
  size_t concurrency = 8;
  /// Deliveries in flight at once to one receiver (scheme, host and port of the URL).
  size_t per_host_concurrency = 2;
  HttpNotifierOptions http;
  /// Receives one line per failed delivery or outbox error; stderr when empty.
  std::function<void(std::string_view)> log;
};

/// What one round did.
struct DeliveryRound {
  size_t delivered = 0;
  size_t rescheduled = 0;
  size_t given_up = 0;
};

class NotificationDispatcher {
 public:
  NotificationDispatcher(NotificationOutbox& outbox, crypto::PrivateKey platform_key, Clock& clock,
                         NotificationDispatcherOptions options = {});
  ~NotificationDispatcher();
  NotificationDispatcher(const NotificationDispatcher&) = delete;
  NotificationDispatcher& operator=(const NotificationDispatcher&) = delete;

  /// Starts the background threads, which deliver due messages every poll interval.
  void start();
  /// Stops and joins the threads; HTTP requests in flight are abandoned (not counted as
  /// attempts, so the next dispatcher retries them at once). Idempotent.
  void stop();
  /// Asks the poller to look at the outbox now (e.g. after a commit).
  void wake();

  /// Delivers every message due at `now_ms` once, one after another in the caller's
  /// thread (for tests and tools). Outbox exceptions propagate.
  DeliveryRound deliver_due_once(int64_t now_ms);

 private:
  enum class Outcome { kDelivered, kRescheduled, kGivenUp, kAbandoned };

  Outcome deliver(const OutboxMessage& message, int64_t now_ms);
  /// The four X-Opp-* headers: `body` signed RSA2 at `now_ms` with a fresh nonce.
  Result<HeaderList> signature_headers(const std::string& body, int64_t now_ms) const;
  /// Due messages that no thread is delivering yet, now marked as in flight.
  std::vector<OutboxMessage> claim_due(int64_t now_ms);
  void release(int64_t id);
  void release_locked(int64_t id);
  void poll_loop();
  void delivery_loop();
  void log(std::string_view line) const;

  NotificationOutbox& outbox_;
  crypto::PrivateKey platform_key_;
  Clock& clock_;
  NotificationDispatcherOptions options_;
  HttpNotifier notifier_;

  std::vector<std::thread> threads_;
  std::mutex mutex_;
  std::condition_variable wakeup_;      ///< the poller waits here
  std::condition_variable work_ready_;  ///< delivery threads wait here
  bool wake_requested_ = false;
  /// Claimed messages waiting for, or holding, a delivery thread.
  HostLimiter<OutboxMessage> deliveries_;
  std::unordered_set<int64_t> in_flight_;
  /// Ids released while a claim_due() read was running: that read may predate their
  /// outcome, so they must not be claimed from it.
  std::unordered_set<int64_t> released_during_read_;
  int reads_running_ = 0;
  std::atomic<bool> stopping_{false};
};

}  // namespace opp::payment
