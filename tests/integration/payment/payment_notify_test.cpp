// Notifications from the real opp-payment over HTTPS: payment.yaml's notify_ca_file and
// notify_dns_servers reach the dispatcher, a receiver certified by that CA gets the
// signed notification, one with a self-signed certificate gets nothing and is logged.
#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "fake_dns_server.hpp"
#include "http_receiver.hpp"
#include "opp/crypto/platform_key.hpp"
#include "opp/crypto/response_signature.hpp"
#include "payment_server.hpp"
#include "test_ca.hpp"

using namespace opp::payment::testing;
using namespace std::chrono_literals;
namespace notify = opp::payment::test;

namespace {

gen::QRPayReq paid_order(const std::string& no, const std::string& notify_url) {
  gen::QRPayReq req;
  req.__set_merchant_id("m1");
  req.__set_out_order_no(no);
  req.__set_total_amount(42);
  req.__set_auth_code("6212345678901234");
  req.__set_notify_url(notify_url);
  return req;
}

bool log_has(const PaymentServerProcess& server, const std::string& text,
             std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (server.log().find(text) == std::string::npos) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(20ms);
  }
  return true;
}

}  // namespace

TEST_CASE("payment: https notifications are verified against notify_ca_file",
          "[payment][integration]") {
  notify::TestCa ca;
  notify::FakeDnsServer dns;
  dns.answer("shop.notify.test", "127.0.0.1");
  notify::HttpReceiver trusted(ca.issue({"shop.notify.test"}));
  notify::HttpReceiver self_signed(notify::TestCa::self_signed({"shop.notify.test"}));

  PaymentServerProcess::Options options;
  options.extra_config =
      "notify_ca_file: conf/extra-ca.pem\nnotify_dns_servers: [\"" + dns.address() + "\"]\n";
  PaymentServerProcess server(options);
  std::filesystem::create_directories(server.dir() / "conf");
  ca.write_certificate(server.dir() / "conf" / "extra-ca.pem");
  server.start();
  auto client = server.connect();

  gen::QRPayResp paid;
  client->QRPay(paid, paid_order("tls-1", trusted.url_for("shop.notify.test", "/notify")));
  REQUIRE(paid.order_status == 1);
  client->QRPay(paid, paid_order("tls-2", self_signed.url_for("shop.notify.test", "/notify")));

  REQUIRE(trusted.wait_for_requests(1, 5s));
  const auto request = trusted.requests().at(0);
  CHECK(request.body.find("\"out_order_no\":\"tls-1\"") != std::string::npos);
  auto key = opp::crypto::load_private_key_file(server.dir() / "conf" / "platform_key.pem");
  REQUIRE(key.ok());
  const opp::crypto::ResponseSignature headers{
      request.header("x-opp-timestamp"), request.header("x-opp-nonce"),
      request.header("x-opp-sign-type"), request.header("x-opp-signature")};
  CHECK(opp::crypto::verify_response(key->public_key(), headers, request.body).ok());

  CHECK(log_has(
      server, "failed (attempt 1): notify_url certificate rejected: self-signed certificate", 5s));
  CHECK(self_signed.requests().empty());
  CHECK(server.stop() == 0);
}
