// "A restart loses none" (SPEC §8): a notification that failed before the dispatcher
// (and its database connection) went away is delivered by the next one, exactly as stored.

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <thread>

#include "durable_outbox.hpp"
#include "http_receiver.hpp"
#include "opp/crypto/platform_key.hpp"
#include "opp/crypto/response_signature.hpp"
#include "payment/infrastructure/notify/notification_dispatcher.hpp"
#include "test_support.hpp"

using namespace opp::payment;
using namespace opp::payment::test;
using namespace std::chrono_literals;
namespace crypto = opp::crypto;
namespace fs = std::filesystem;

TEST_CASE("a notification that failed before a restart is delivered after it",
          "[notify][restart]") {
  const fs::path dir =
      fs::path(OPP_BINARY_DIR) / "test-tmp" / ("notify-restart-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const fs::path database = dir / "payment.db";
  const fs::path key_file = dir / "conf" / "platform_key.pem";

  // Exact bytes matter: the signature covers them.
  const std::string body =
      "{\"event\":\"refund.success\",\"merchant_id\":\"M100\",\"subject\":"
      "\"\xe5\x92\x96\xe5\x95\xa1\","
      "\"out_refund_no\":\"R-1\",\"refund_amount\":100}";
  HttpReceiver receiver;
  receiver.script({500});
  SystemClock clock;
  NotificationDispatcherOptions options;
  options.poll_interval = 20ms;
  options.retry = RetrySchedule({200ms}, 1h);
  options.log = [](std::string_view) {};

  int64_t id = 0;
  {  // First run: the merchant fails the delivery.
    auto key = crypto::load_or_create_platform_key(key_file);
    REQUIRE(key.ok());
    DurableOutbox store(database);
    id = store.outbox().enqueue("M100", receiver.url("/notify"), body, clock.now_ms());
    NotificationDispatcher dispatcher(store.outbox(), *key, clock, options);
    CHECK(dispatcher.deliver_due_once(clock.now_ms()).rescheduled == 1);
    REQUIRE(receiver.requests().size() == 1);
  }  // dispatcher, connection and key are gone: the process "exited"

  {  // Second run: state comes only from the database and the key file.
    auto key = crypto::load_or_create_platform_key(key_file);
    REQUIRE(key.ok());
    DurableOutbox store(database);
    const auto pending = store.outbox().due(clock.now_ms() + 3'600'000, 10);
    REQUIRE(pending.size() == 1);
    CHECK(pending[0].id == id);
    CHECK(pending[0].attempts == 1);
    CHECK(pending[0].body == body);

    NotificationDispatcher dispatcher(store.outbox(), *key, clock, options);
    dispatcher.start();
    REQUIRE(receiver.wait_for_requests(2, 5s));
    // Give the dispatcher its moment to record the success, then check it stuck.
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    while (!store.outbox().due(clock.now_ms() + 3'600'000, 10).empty() &&
           std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(10ms);
    }
    dispatcher.stop();
    CHECK(store.outbox().due(clock.now_ms() + 3'600'000, 10).empty());
  }

  const auto requests = receiver.requests();
  REQUIRE(requests.size() == 2);
  CHECK(requests[1].body == body);
  CHECK(requests[1].target == "/notify");
  // The merchant verifies with the public key served by the platform (derived from the
  // key file both runs used).
  auto key = crypto::load_private_key_file(key_file);
  REQUIRE(key.ok());
  auto public_key = crypto::PublicKey::from_pem(key->public_key().to_pem());
  REQUIRE(public_key.ok());
  for (const ReceivedRequest& request : requests) {
    crypto::ResponseSignature headers{
        request.header("x-opp-timestamp"), request.header("x-opp-nonce"),
        request.header("x-opp-sign-type"), request.header("x-opp-signature")};
    CHECK(crypto::verify_response(*public_key, headers, request.body).ok());
  }
  fs::remove_all(dir);
}
