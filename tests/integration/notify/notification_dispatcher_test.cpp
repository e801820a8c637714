#include "payment/infrastructure/notify/notification_dispatcher.hpp"

#include <catch2/catch.hpp>
#include <future>
#include <thread>

#include "http_receiver.hpp"
#include "memory_outbox.hpp"
#include "opp/crypto/response_signature.hpp"
#include "test_support.hpp"

using namespace opp::payment;
using namespace opp::payment::test;
using namespace std::chrono_literals;
namespace crypto = opp::crypto;

namespace {

constexpr int64_t kStart = 1'700'000'000'123;
const std::string kBody =
    R"({"event":"payment.success","merchant_id":"M100","out_order_no":"A1","total_amount":100})";

}  // namespace

TEST_CASE("a due notification is POSTed and signed RSA2 with the platform key",
          "[notify][dispatcher]") {
  HttpReceiver receiver;
  MemoryOutbox outbox;
  ManualClock clock(kStart);
  const int64_t id = outbox.enqueue("M100", receiver.url("/pay/notify?shop=1"), kBody, kStart);
  NotificationDispatcher dispatcher(outbox, platform_key(), clock, FastOptions().options);

  const DeliveryRound round = dispatcher.deliver_due_once(kStart);
  CHECK(round.delivered == 1);
  CHECK(round.rescheduled == 0);

  auto requests = receiver.requests();
  REQUIRE(requests.size() == 1);
  const ReceivedRequest& request = requests[0];
  CHECK(request.method == "POST");
  CHECK(request.target == "/pay/notify?shop=1");
  CHECK(request.header("content-type") == "application/json");
  CHECK(request.body == kBody);
  CHECK(request.header("x-opp-timestamp") == "1700000000");
  CHECK(request.header("x-opp-sign-type") == "RSA2");
  CHECK(request.header("x-opp-nonce").size() == 32);
  CHECK(verify_notification(request).ok());

  // The signature binds the body: a changed byte no longer verifies.
  ReceivedRequest tampered = request;
  tampered.body[tampered.body.size() - 2] = '1';
  CHECK_FALSE(verify_notification(tampered).ok());

  const StoredMessage stored = outbox.get(id);
  CHECK(stored.delivered);
  CHECK(stored.delivered_at_ms == kStart);
  CHECK(dispatcher.deliver_due_once(kStart + 60'000).delivered == 0);
  CHECK(receiver.requests().size() == 1);
}

TEST_CASE("a failed delivery is retried at the scheduled time", "[notify][dispatcher]") {
  HttpReceiver receiver;
  receiver.script({500});
  MemoryOutbox outbox;
  ManualClock clock(kStart);
  NotificationDispatcherOptions options = FastOptions().options;
  options.retry = RetrySchedule::standard();
  NotificationDispatcher dispatcher(outbox, platform_key(), clock, options);
  const int64_t id = outbox.enqueue("M100", receiver.url(), kBody, kStart);

  CHECK(dispatcher.deliver_due_once(kStart).rescheduled == 1);
  StoredMessage stored = outbox.get(id);
  CHECK_FALSE(stored.delivered);
  CHECK(stored.message.attempts == 1);
  CHECK(stored.message.next_attempt_at_ms == kStart + 5'000);
  CHECK(stored.last_error == "notify_url answered HTTP 500");

  const DeliveryRound early = dispatcher.deliver_due_once(kStart + 4'999);
  CHECK(early.delivered + early.rescheduled + early.given_up == 0);
  CHECK(receiver.requests().size() == 1);

  CHECK(dispatcher.deliver_due_once(kStart + 5'000).delivered == 1);
  REQUIRE(receiver.requests().size() == 2);
  CHECK(receiver.requests()[1].body == kBody);
  CHECK(outbox.get(id).delivered);
}

TEST_CASE("the background dispatcher retries after a 500 until a 2xx", "[notify][dispatcher]") {
  HttpReceiver receiver;
  receiver.script({500, 503});
  MemoryOutbox outbox;
  SystemClock clock;
  FastOptions fast;
  NotificationDispatcher dispatcher(outbox, platform_key(), clock, fast.options);
  const int64_t id = outbox.enqueue("M100", receiver.url(), kBody, clock.now_ms());
  dispatcher.start();

  REQUIRE(receiver.wait_for_requests(3, 10s));
  REQUIRE(eventually([&] { return outbox.get(id).delivered; }, 5s));
  dispatcher.stop();

  const auto requests = receiver.requests();
  REQUIRE(requests.size() == 3);
  for (const ReceivedRequest& request : requests) {
    CHECK(request.body == kBody);
    CHECK(verify_notification(request).ok());
  }
  CHECK(requests[0].header("x-opp-nonce") != requests[1].header("x-opp-nonce"));
  const auto log = fast.log();
  REQUIRE(log.size() == 2);
  CHECK(log[0] == "notification " + std::to_string(id) + " to " + receiver.url() +
                      " failed (attempt 1): notify_url answered HTTP 500");
}

TEST_CASE("a notification is delivered within 2 s of being enqueued", "[notify][dispatcher]") {
  HttpReceiver receiver;
  MemoryOutbox outbox;
  SystemClock clock;
  NotificationDispatcher dispatcher(outbox, platform_key(), clock);  // default options
  dispatcher.start();
  std::this_thread::sleep_for(50ms);  // the dispatcher is idle, between polls
  outbox.enqueue("M100", receiver.url(), kBody, clock.now_ms());
  CHECK(receiver.wait_for_requests(1, 2s));
}

TEST_CASE("a hanging merchant does not hold up another's notification", "[notify][dispatcher]") {
  HttpReceiver hanging;
  hanging.hang(true);
  HttpReceiver healthy;
  MemoryOutbox outbox;
  SystemClock clock;
  NotificationDispatcherOptions options = FastOptions().options;
  options.http.response_timeout = 30s;
  NotificationDispatcher dispatcher(outbox, platform_key(), clock, options);
  // Older messages first: the hanging merchant's are at the head of the outbox.
  for (int i = 0; i < 3; ++i) outbox.enqueue("M1", hanging.url(), kBody, clock.now_ms() - 1000);
  const int64_t id = outbox.enqueue("M2", healthy.url(), kBody, clock.now_ms());
  dispatcher.start();
  CHECK(healthy.wait_for_requests(1, 2s));
  CHECK(eventually([&] { return outbox.get(id).delivered; }, 2s));
  // Two of them hang (its share of the threads); the third waits for one of those.
  CHECK(hanging.wait_for_requests(2, 2s));
  dispatcher.stop();
}

TEST_CASE("wake() delivers without waiting for the next poll", "[notify][dispatcher]") {
  HttpReceiver receiver;
  MemoryOutbox outbox;
  SystemClock clock;
  NotificationDispatcherOptions options = FastOptions().options;
  options.poll_interval = 1h;
  NotificationDispatcher dispatcher(outbox, platform_key(), clock, options);
  dispatcher.start();
  std::this_thread::sleep_for(50ms);
  outbox.enqueue("M100", receiver.url(), kBody, clock.now_ms());
  dispatcher.wake();
  CHECK(receiver.wait_for_requests(1, 2s));
}

TEST_CASE("an unreachable merchant is retried for 24 h, then given up", "[notify][dispatcher]") {
  MemoryOutbox outbox;
  ManualClock clock(kStart);
  NotificationDispatcherOptions options = FastOptions().options;
  options.retry = RetrySchedule::standard();
  NotificationDispatcher dispatcher(outbox, platform_key(), clock, options);
  const std::string url = "http://127.0.0.1:" + std::to_string(unused_loopback_port()) + "/n";
  const int64_t id = outbox.enqueue("M100", url, kBody, kStart);

  int64_t now = kStart;
  int attempts = 0;
  std::vector<int64_t> gaps;
  while (attempts < 100) {
    const DeliveryRound round = dispatcher.deliver_due_once(now);
    REQUIRE(round.delivered == 0);
    ++attempts;
    if (round.given_up == 1) break;
    REQUIRE(round.rescheduled == 1);
    const int64_t next = outbox.get(id).message.next_attempt_at_ms;
    gaps.push_back(next - now);
    now = next;
  }
  CHECK(attempts == 31);
  REQUIRE(gaps.size() >= 7);
  CHECK(gaps[0] == 5'000);
  CHECK(gaps[1] == 15'000);
  CHECK(gaps[2] == 60'000);
  CHECK(gaps[6] == 3'600'000);
  CHECK(now == kStart + 24 * 3'600'000);
  const StoredMessage stored = outbox.get(id);
  CHECK(stored.given_up);
  CHECK(stored.last_error.rfind("notify_url connect failed: ", 0) == 0);
}

TEST_CASE("a notify_url that cannot be delivered is given up at once", "[notify][dispatcher]") {
  MemoryOutbox outbox;
  ManualClock clock(kStart);
  FastOptions fast;
  NotificationDispatcher dispatcher(outbox, platform_key(), clock, fast.options);
  const int64_t ftp = outbox.enqueue("M100", "ftp://shop.example/n", kBody, kStart);
  const int64_t garbage = outbox.enqueue("M100", "not a url", kBody, kStart);

  CHECK(dispatcher.deliver_due_once(kStart).given_up == 2);
  CHECK(outbox.get(ftp).given_up);
  CHECK(outbox.get(ftp).last_error == "notify_url must start with http:// or https://");
  CHECK(outbox.get(garbage).last_error == "notify_url must be printable ASCII without spaces");
  CHECK(fast.log().size() == 2);
}

TEST_CASE("stop() is prompt while a merchant hangs, and loses nothing", "[notify][dispatcher]") {
  HttpReceiver receiver;
  receiver.hang(true);
  MemoryOutbox outbox;
  SystemClock clock;
  NotificationDispatcherOptions options = FastOptions().options;
  options.http.response_timeout = 60s;
  NotificationDispatcher dispatcher(outbox, platform_key(), clock, options);
  const int64_t id = outbox.enqueue("M100", receiver.url(), kBody, clock.now_ms());
  dispatcher.start();
  REQUIRE(receiver.wait_for_requests(1, 5s));

  auto stopped = std::async(std::launch::async, [&] { dispatcher.stop(); });
  REQUIRE(stopped.wait_for(5s) == std::future_status::ready);
  // The abandoned attempt is not counted: the message is due again for the next start.
  const StoredMessage stored = outbox.get(id);
  CHECK_FALSE(stored.delivered);
  CHECK(stored.message.attempts == 0);
  CHECK(outbox.due(clock.now_ms(), 10).size() == 1);
}

TEST_CASE("an outbox failure is logged and the next round carries on", "[notify][dispatcher]") {
  /// Fails the first read, as a database that is briefly locked would.
  class FlakyOutbox final : public NotificationOutbox {
   public:
    MemoryOutbox inner;
    std::atomic<int> reads{0};
    int64_t enqueue(const std::string& m, const std::string& u, const std::string& b,
                    int64_t now) override {
      return inner.enqueue(m, u, b, now);
    }
    std::vector<OutboxMessage> due(int64_t now_ms, size_t limit) override {
      if (reads++ == 0) throw std::runtime_error("database is locked");
      return inner.due(now_ms, limit);
    }
    void mark_delivered(int64_t id, int64_t now_ms) override { inner.mark_delivered(id, now_ms); }
    void reschedule(int64_t id, int32_t attempts, int64_t next, const std::string& e) override {
      inner.reschedule(id, attempts, next, e);
    }
    void give_up(int64_t id, const std::string& e) override { inner.give_up(id, e); }
  };

  HttpReceiver receiver;
  FlakyOutbox outbox;
  SystemClock clock;
  FastOptions fast;
  const int64_t id = outbox.enqueue("M100", receiver.url(), kBody, clock.now_ms());
  NotificationDispatcher dispatcher(outbox, platform_key(), clock, fast.options);
  dispatcher.start();
  REQUIRE(receiver.wait_for_requests(1, 5s));
  REQUIRE(eventually([&] { return outbox.inner.get(id).delivered; }, 5s));
  dispatcher.stop();
  const auto log = fast.log();
  REQUIRE_FALSE(log.empty());
  CHECK(log[0] == "notification outbox error: database is locked");
}
