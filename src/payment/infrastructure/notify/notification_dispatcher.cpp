#include "payment/infrastructure/notify/notification_dispatcher.hpp"

#include <algorithm>
#include <exception>
#include <iostream>
#include <optional>
#include <string>

#include "opp/crypto/random.hpp"
#include "opp/crypto/response_signature.hpp"

namespace opp::payment {
namespace {

/// The receiver a message goes to, as the HostLimiter counts them. A URL that does not
/// parse is given up at once, so its own text will do.
std::string receiver_of(const OutboxMessage& message) {
  auto url = parse_notify_url(message.url);
  return url ? url->origin() : message.url;
}

}  // namespace

NotificationDispatcher::NotificationDispatcher(NotificationOutbox& outbox,
                                               crypto::PrivateKey platform_key, Clock& clock,
                                               NotificationDispatcherOptions options)
    : outbox_(outbox),
      platform_key_(std::move(platform_key)),
      clock_(clock),
      options_(std::move(options)),
      notifier_(options_.http),
      deliveries_(std::max<size_t>(options_.concurrency, 1), options_.per_host_concurrency) {}

NotificationDispatcher::~NotificationDispatcher() {
  stop();
}

void NotificationDispatcher::start() {
  if (!threads_.empty()) return;
  stopping_ = false;
  threads_.emplace_back([this] { poll_loop(); });
  for (size_t i = 0; i < std::max<size_t>(options_.concurrency, 1); ++i) {
    threads_.emplace_back([this] { delivery_loop(); });
  }
}

void NotificationDispatcher::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    // Queued messages stay due in the outbox; the next dispatcher picks them up.
    for (const OutboxMessage& message : deliveries_.take_waiting()) in_flight_.erase(message.id);
  }
  wakeup_.notify_all();
  work_ready_.notify_all();
  for (std::thread& thread : threads_) thread.join();
  threads_.clear();
}

void NotificationDispatcher::wake() {
  {
    std::lock_guard lock(mutex_);
    wake_requested_ = true;
  }
  wakeup_.notify_all();
}

void NotificationDispatcher::poll_loop() {
  while (!stopping_) {
    try {
      std::vector<OutboxMessage> claimed = claim_due(clock_.now_ms());
      {
        std::lock_guard lock(mutex_);
        for (OutboxMessage& message : claimed) {
          const std::string receiver = receiver_of(message);
          deliveries_.add(receiver, std::move(message));
        }
      }
      work_ready_.notify_all();
    } catch (const std::exception& e) {
      // The outbox's database may be briefly unavailable; the next round tries again.
      log(std::string("notification outbox error: ") + e.what());
    }
    std::unique_lock lock(mutex_);
    wakeup_.wait_for(lock, options_.poll_interval,
                     [this] { return stopping_.load() || wake_requested_; });
    wake_requested_ = false;
  }
}

void NotificationDispatcher::delivery_loop() {
  for (;;) {
    std::optional<HostLimiter<OutboxMessage>::Admitted> next;
    {
      std::unique_lock lock(mutex_);
      work_ready_.wait(lock, [&] {
        if (stopping_) return true;
        next = deliveries_.admit();
        return next.has_value();
      });
      if (stopping_) return;
    }
    const OutboxMessage& message = next->item;
    try {
      deliver(message, clock_.now_ms());
    } catch (const std::exception& e) {
      log("notification " + std::to_string(message.id) + " outcome not recorded: " + e.what());
    }
    std::lock_guard lock(mutex_);
    deliveries_.finish(next->host);
    // This thread then takes the next admissible message itself, maybe this receiver's.
    release_locked(message.id);
  }
}

std::vector<OutboxMessage> NotificationDispatcher::claim_due(int64_t now_ms) {
  size_t busy = 0;
  {
    std::lock_guard lock(mutex_);
    busy = in_flight_.size();
    ++reads_running_;
  }
  std::vector<OutboxMessage> due;
  try {
    // Messages in flight are still due in the outbox; read past them.
    due = outbox_.due(now_ms, options_.batch_size + busy);
  } catch (...) {
    std::lock_guard lock(mutex_);
    if (--reads_running_ == 0) released_during_read_.clear();
    throw;
  }
  std::lock_guard lock(mutex_);
  std::vector<OutboxMessage> claimed;
  for (OutboxMessage& message : due) {
    if (released_during_read_.count(message.id) != 0) continue;
    if (in_flight_.insert(message.id).second) claimed.push_back(std::move(message));
  }
  if (--reads_running_ == 0) released_during_read_.clear();
  return claimed;
}

void NotificationDispatcher::release(int64_t id) {
  std::lock_guard lock(mutex_);
  release_locked(id);
}

void NotificationDispatcher::release_locked(int64_t id) {
  in_flight_.erase(id);
  if (reads_running_ > 0) released_during_read_.insert(id);
}

DeliveryRound NotificationDispatcher::deliver_due_once(int64_t now_ms) {
  const std::vector<OutboxMessage> claimed = claim_due(now_ms);
  // Releases the claims at the end, also when the outbox throws midway.
  struct ReleaseClaims {
    NotificationDispatcher* self;
    const std::vector<OutboxMessage>& messages;
    ~ReleaseClaims() {
      for (const OutboxMessage& message : messages) self->release(message.id);
    }
  } release_claims{this, claimed};

  DeliveryRound round;
  for (const OutboxMessage& message : claimed) {
    if (stopping_) break;
    switch (deliver(message, now_ms)) {
      case Outcome::kDelivered:
        ++round.delivered;
        break;
      case Outcome::kRescheduled:
        ++round.rescheduled;
        break;
      case Outcome::kGivenUp:
        ++round.given_up;
        break;
      case Outcome::kAbandoned:
        break;
    }
  }
  return round;
}

Result<HeaderList> NotificationDispatcher::signature_headers(const std::string& body,
                                                             int64_t now_ms) const {
  auto nonce = crypto::generate_nonce();
  if (!nonce) return std::move(nonce).error();
  auto signature = crypto::sign_response(crypto::SignType::kRsa2, platform_key_, body,
                                         now_ms / 1000, std::move(*nonce));
  if (!signature) return std::move(signature).error();
  return HeaderList{
      {std::string(crypto::kTimestampHeader), signature->timestamp},
      {std::string(crypto::kNonceHeader), signature->nonce},
      {std::string(crypto::kSignTypeHeader), signature->sign_type},
      {std::string(crypto::kSignatureHeader), signature->signature},
  };
}

NotificationDispatcher::Outcome NotificationDispatcher::deliver(const OutboxMessage& message,
                                                                int64_t now_ms) {
  const std::string where = "notification " + std::to_string(message.id) + " to " + message.url;
  auto url = parse_notify_url(message.url);
  if (!url) {
    // Retrying cannot repair the URL: stop now, keep the message for inspection.
    outbox_.give_up(message.id, url.error().message);
    log(where + " given up: " + url.error().message);
    return Outcome::kGivenUp;
  }

  auto headers = signature_headers(message.body, now_ms);
  Result<void> sent = headers ? notifier_.post_json(*url, *headers, message.body, &stopping_)
                              : Result<void>(std::move(headers).error());
  if (sent) {
    outbox_.mark_delivered(message.id, now_ms);
    return Outcome::kDelivered;
  }
  if (sent.error().sub_code == "notify-cancelled") return Outcome::kAbandoned;

  const int32_t attempts = message.attempts + 1;
  const auto next = options_.retry.next_attempt_at(message.created_at_ms, attempts, now_ms);
  if (!next) {
    outbox_.give_up(message.id, sent.error().message);
    log(where + " given up after " + std::to_string(attempts) +
        " attempts: " + sent.error().message);
    return Outcome::kGivenUp;
  }
  outbox_.reschedule(message.id, attempts, *next, sent.error().message);
  log(where + " failed (attempt " + std::to_string(attempts) + "): " + sent.error().message);
  return Outcome::kRescheduled;
}

void NotificationDispatcher::log(std::string_view line) const {
  if (options_.log) {
    options_.log(line);
  } else {
    std::cerr << line << '\n';
  }
}

}  // namespace opp::payment
