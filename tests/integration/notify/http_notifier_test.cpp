#include "payment/infrastructure/notify/http_notifier.hpp"

#include <catch2/catch.hpp>
#include <future>

#include "http_receiver.hpp"
#include "test_support.hpp"

using namespace opp::payment;
using namespace std::chrono_literals;
using opp::payment::test::url_of;

TEST_CASE("a 2xx answer is success and the request is a JSON POST", "[notify][http]") {
  test::HttpReceiver receiver;
  receiver.script({204});
  HttpNotifier notifier;
  const std::string body = R"({"event":"payment.success","out_order_no":"A1"})";
  auto sent = notifier.post_json(url_of(receiver.url("/cb?m=1")), {{"X-Opp-Nonce", "n1"}}, body);
  REQUIRE(sent.ok());
  auto requests = receiver.requests();
  REQUIRE(requests.size() == 1);
  CHECK(requests[0].method == "POST");
  CHECK(requests[0].target == "/cb?m=1");
  CHECK(requests[0].header("content-type") == "application/json");
  CHECK(requests[0].header("host") == "127.0.0.1:" + std::to_string(receiver.port()));
  CHECK(requests[0].header("x-opp-nonce") == "n1");
  CHECK(requests[0].body == body);
}

TEST_CASE("a non-2xx answer is notify-http-status", "[notify][http]") {
  test::HttpReceiver receiver;
  HttpNotifier notifier;
  for (unsigned status : {500u, 404u, 302u}) {
    receiver.script({status});
    auto sent = notifier.post_json(url_of(receiver.url()), {}, "{}");
    REQUIRE_FALSE(sent.ok());
    CHECK(sent.error().code == opp::ErrorCode::kRequestServerFail);
    CHECK(sent.error().sub_code == "notify-http-status");
    CHECK(sent.error().message == "notify_url answered HTTP " + std::to_string(status));
  }
}

TEST_CASE("a closed port is notify-unreachable", "[notify][http]") {
  HttpNotifier notifier;
  const auto port = test::unused_loopback_port();
  auto sent =
      notifier.post_json(url_of("http://127.0.0.1:" + std::to_string(port) + "/n"), {}, "{}");
  REQUIRE_FALSE(sent.ok());
  CHECK(sent.error().sub_code == "notify-unreachable");
  CHECK(sent.error().message.rfind("notify_url connect failed: ", 0) == 0);
}

TEST_CASE("a silent merchant is notify-timeout", "[notify][http]") {
  test::HttpReceiver receiver;
  receiver.hang(true);
  HttpNotifierOptions options;
  options.response_timeout = 300ms;
  HttpNotifier notifier(options);
  auto sent = notifier.post_json(url_of(receiver.url()), {}, "{}");
  REQUIRE_FALSE(sent.ok());
  CHECK(sent.error().sub_code == "notify-timeout");
  CHECK(sent.error().message == "notify_url timed out (read)");
}

TEST_CASE("a request in flight is abandoned when cancelled", "[notify][http]") {
  test::HttpReceiver receiver;
  receiver.hang(true);
  HttpNotifierOptions options;
  options.response_timeout = 60s;
  HttpNotifier notifier(options);
  std::atomic<bool> cancel{false};
  auto pending = std::async(std::launch::async, [&] {
    return notifier.post_json(url_of(receiver.url()), {}, "{}", &cancel);
  });
  REQUIRE(receiver.wait_for_requests(1, 5s));
  cancel = true;
  // Far below the 60 s timeout: the request is given up, not waited out.
  REQUIRE(pending.wait_for(5s) == std::future_status::ready);
  auto sent = pending.get();
  REQUIRE_FALSE(sent.ok());
  CHECK(sent.error().sub_code == "notify-cancelled");
}
