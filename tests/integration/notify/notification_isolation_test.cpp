// The dispatcher over HTTPS and c-ares: an unverifiable receiver is retried and never
// sent anything; a receiver that is slow, dead or whose name resolves slowly or not at
// all holds at most its share of the delivery threads, so other receivers are not delayed.
#include <catch2/catch.hpp>
#include <future>
#include <thread>

#include "fake_dns_server.hpp"
#include "http_receiver.hpp"
#include "memory_outbox.hpp"
#include "payment/infrastructure/notify/notification_dispatcher.hpp"
#include "test_ca.hpp"
#include "test_support.hpp"

using namespace opp::payment;
using namespace opp::payment::test;
using namespace std::chrono_literals;

namespace {

constexpr int64_t kStart = 1'700'000'000'123;
const std::string kBody = R"({"event":"payment.success","merchant_id":"M100","out_order_no":"T1"})";

/// A throwaway CA the dispatcher trusts through its CA file, and a DNS server for the
/// test's names (the machine's resolver is never asked).
struct TlsSetup {
  ScratchDir dir;
  TestCa ca;
  FakeDnsServer dns;
  FastOptions fast;

  TlsSetup() {
    dns.answer("shop.notify.test", "127.0.0.1");
    dns.answer("other.notify.test", "127.0.0.1");
    auto context = make_tls_client_context(ca.write_certificate(dir.path / "extra-ca.pem"));
    REQUIRE(context.ok());
    fast.options.http.tls = *context;
    fast.options.http.dns.servers = {dns.address()};
  }
};

}  // namespace

TEST_CASE("an https notification reaches a receiver certified by the CA file, signed",
          "[notify][isolation]") {
  TlsSetup setup;
  HttpReceiver receiver(setup.ca.issue({"shop.notify.test"}));
  MemoryOutbox outbox;
  ManualClock clock(kStart);
  NotificationDispatcher dispatcher(outbox, platform_key(), clock, setup.fast.options);
  const int64_t id =
      outbox.enqueue("M100", receiver.url_for("shop.notify.test", "/pay?n=1"), kBody, kStart);

  CHECK(dispatcher.deliver_due_once(kStart).delivered == 1);
  const auto requests = receiver.requests();
  REQUIRE(requests.size() == 1);
  CHECK(requests[0].target == "/pay?n=1");
  CHECK(requests[0].body == kBody);
  CHECK(requests[0].header("x-opp-sign-type") == "RSA2");
  CHECK(verify_notification(requests[0]).ok());
  CHECK(outbox.get(id).delivered);
}

TEST_CASE("a receiver whose certificate does not verify is retried, never sent to",
          "[notify][isolation]") {
  TlsSetup setup;
  struct Case {
    const char* what;
    CertifiedKey certificate;
    std::string reason;
  };
  const Case cases[] = {
      {"self-signed", TestCa::self_signed({"shop.notify.test"}), "self-signed certificate"},
      {"for another host", setup.ca.issue({"other.notify.test"}), "hostname mismatch"},
  };
  for (const Case& c : cases) {
    INFO(c.what);
    HttpReceiver receiver(c.certificate);
    MemoryOutbox outbox;
    ManualClock clock(kStart);
    NotificationDispatcherOptions options = setup.fast.options;
    options.retry = RetrySchedule::standard();
    NotificationDispatcher dispatcher(outbox, platform_key(), clock, options);
    const std::string url = receiver.url_for("shop.notify.test");
    const int64_t id = outbox.enqueue("M100", url, kBody, kStart);
    const std::string error = "notify_url certificate rejected: " + c.reason;

    int64_t now = kStart;
    for (int attempt = 1; attempt <= 3; ++attempt) {
      CHECK(dispatcher.deliver_due_once(now).rescheduled == 1);
      const StoredMessage stored = outbox.get(id);
      CHECK(stored.message.attempts == attempt);  // attempts grow, on the usual back-off
      CHECK(stored.last_error == error);
      CHECK(stored.message.next_attempt_at_ms > now);
      now = stored.message.next_attempt_at_ms;
    }
    CHECK(now == kStart + 5'000 + 15'000 + 60'000);
    CHECK_FALSE(outbox.get(id).delivered);
    CHECK(eventually([&] { return receiver.tls_failures() == 3; }, 2s));
    CHECK(receiver.requests().empty());
    CHECK(setup.fast.logged("notification " + std::to_string(id) + " to " + url +
                            " failed (attempt 3): " + error) == 1);
  }
}

TEST_CASE("names that resolve slowly or not at all do not delay another receiver",
          "[notify][isolation]") {
  TlsSetup setup;
  setup.dns.never_answer("slow.notify.test");
  HttpReceiver healthy(setup.ca.issue({"shop.notify.test"}));
  HttpReceiver unreachable(setup.ca.issue({"slow.notify.test", "missing.notify.test"}));
  MemoryOutbox outbox;
  SystemClock clock;
  NotificationDispatcherOptions options = setup.fast.options;
  options.concurrency = 4;
  options.per_host_concurrency = 2;
  options.http.connect_timeout = 2s;
  options.retry = RetrySchedule({1h}, 24h);
  NotificationDispatcher dispatcher(outbox, platform_key(), clock, options);
  std::vector<int64_t> slow;
  for (int i = 0; i < 6; ++i) {
    slow.push_back(
        outbox.enqueue("M1", unreachable.url_for("slow.notify.test"), kBody, clock.now_ms()));
  }
  dispatcher.start();
  // The slow lookups are under way; without a per-host share they would now hold all
  // four threads for 2 s.
  REQUIRE(eventually([&] { return setup.dns.queries_for("slow.notify.test") >= 2; }, 2s));
  std::this_thread::sleep_for(100ms);
  std::vector<int64_t> missing;
  for (int i = 0; i < 2; ++i) {
    missing.push_back(
        outbox.enqueue("M2", unreachable.url_for("missing.notify.test"), kBody, clock.now_ms()));
  }
  const int64_t id =
      outbox.enqueue("M3", healthy.url_for("shop.notify.test"), kBody, clock.now_ms());
  dispatcher.wake();
  CHECK(healthy.wait_for_requests(1, 1s));
  CHECK(eventually([&] { return outbox.get(id).delivered; }, 1s));
  CHECK(eventually([&] { return outbox.get(missing[1]).message.attempts == 1; }, 1s));
  CHECK(outbox.get(slow[5]).message.attempts == 0);  // still waiting its turn

  // Each slow lookup ends at the delivery deadline: a failed attempt with its reason.
  REQUIRE(eventually([&] { return outbox.get(slow[5]).message.attempts == 1; }, 8s));
  for (int64_t message : slow) {
    CHECK(outbox.get(message).message.attempts == 1);
    CHECK(outbox.get(message).last_error == "notify_url timed out (resolve)");
  }
  for (int64_t message : missing) {
    CHECK(outbox.get(message).message.attempts == 1);
    CHECK(outbox.get(message).last_error == "notify_url resolve failed: Domain name not found");
  }
  CHECK(setup.fast.logged("failed (attempt 1): notify_url timed out (resolve)") == 6);
  CHECK(unreachable.requests().empty());
  dispatcher.stop();
}

TEST_CASE("many notifications to a hanging receiver take only its share of the threads",
          "[notify][isolation]") {
  HttpReceiver hanging;
  hanging.hang(true);
  HttpReceiver healthy;
  MemoryOutbox outbox;
  SystemClock clock;
  FastOptions fast;
  fast.options.concurrency = 4;
  fast.options.per_host_concurrency = 2;
  fast.options.http.response_timeout = 30s;
  NotificationDispatcher dispatcher(outbox, platform_key(), clock, fast.options);
  for (int i = 0; i < 20; ++i) {
    outbox.enqueue("M1", hanging.url("/n" + std::to_string(i)), kBody, clock.now_ms() - 1000);
  }
  std::vector<int64_t> healthy_ids;
  for (int i = 0; i < 5; ++i) {
    healthy_ids.push_back(outbox.enqueue("M2", healthy.url(), kBody, clock.now_ms()));
  }
  dispatcher.start();
  CHECK(healthy.wait_for_requests(5, 2s));
  CHECK(eventually([&] { return outbox.get(healthy_ids.back()).delivered; }, 2s));
  // Two requests hang; the other 18 wait for them without holding a thread.
  CHECK(hanging.wait_for_requests(2, 2s));
  std::this_thread::sleep_for(300ms);
  CHECK(hanging.requests().size() == 2);
  auto stopped = std::async(std::launch::async, [&] { dispatcher.stop(); });
  REQUIRE(stopped.wait_for(5s) == std::future_status::ready);
  CHECK(outbox.due(clock.now_ms(), 100).size() == 20);  // none lost, none counted
}

TEST_CASE("stop() is prompt while a name lookup hangs", "[notify][isolation]") {
  FakeDnsServer dns;
  dns.never_answer("silent.notify.test");
  MemoryOutbox outbox;
  SystemClock clock;
  FastOptions fast;
  fast.options.http.connect_timeout = 60s;
  fast.options.http.dns.servers = {dns.address()};
  NotificationDispatcher dispatcher(outbox, platform_key(), clock, fast.options);
  const int64_t id = outbox.enqueue("M1", "http://silent.notify.test/n", kBody, clock.now_ms());
  dispatcher.start();
  REQUIRE(eventually([&] { return dns.queries_for("silent.notify.test") >= 1; }, 5s));
  auto stopped = std::async(std::launch::async, [&] { dispatcher.stop(); });
  REQUIRE(stopped.wait_for(2s) == std::future_status::ready);
  CHECK(outbox.get(id).message.attempts == 0);  // abandoned, not counted
}
