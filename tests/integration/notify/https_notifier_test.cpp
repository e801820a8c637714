// HTTPS delivery: the receiver's certificate must chain to the system store or
// notify_ca_file and be for the URL's host; otherwise nothing is sent.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <catch2/catch.hpp>
#include <fstream>

#include "fake_dns_server.hpp"
#include "http_receiver.hpp"
#include "payment/infrastructure/notify/http_notifier.hpp"
#include "test_ca.hpp"
#include "test_support.hpp"

using namespace opp::payment;
using namespace opp::payment::test;
using namespace std::chrono_literals;

namespace {

/// A CA written to a file, a notifier trusting it, and a DNS server that knows
/// shop.notify.test (and nothing of the machine's resolver is asked).
struct TrustedCa {
  ScratchDir dir;
  TestCa ca;
  FakeDnsServer dns;
  HttpNotifierOptions options;

  TrustedCa() {
    dns.answer("shop.notify.test", "127.0.0.1");
    auto context = make_tls_client_context(ca.write_certificate(dir.path / "ca.pem"));
    REQUIRE(context.ok());
    options.tls = *context;
    options.dns.servers = {dns.address()};
  }
};

}  // namespace

TEST_CASE("an https receiver certified by notify_ca_file gets the notification",
          "[notify][https]") {
  TrustedCa trusted;
  HttpReceiver receiver(trusted.ca.issue({"shop.notify.test"}));
  HttpNotifier notifier(trusted.options);
  const std::string body = R"({"event":"payment.success"})";
  auto sent = notifier.post_json(url_of(receiver.url_for("shop.notify.test", "/cb?x=1")),
                                 {{"X-Opp-Nonce", "n1"}}, body);
  REQUIRE(sent.ok());
  const auto requests = receiver.requests();
  REQUIRE(requests.size() == 1);
  CHECK(requests[0].target == "/cb?x=1");
  CHECK(requests[0].header("host") == "shop.notify.test:" + std::to_string(receiver.port()));
  CHECK(requests[0].body == body);
  CHECK(trusted.dns.queries_for("shop.notify.test") >= 1);
  CHECK(receiver.tls_failures() == 0);
}

TEST_CASE("an https receiver addressed by IP must be certified for that IP", "[notify][https]") {
  TrustedCa trusted;
  HttpNotifier notifier(trusted.options);
  HttpReceiver by_ip(trusted.ca.issue({"127.0.0.1"}));
  CHECK(notifier.post_json(url_of(by_ip.url()), {}, "{}").ok());
  CHECK(by_ip.requests().size() == 1);

  // The name's certificate does not cover the address, even though both are 127.0.0.1.
  HttpReceiver by_name(trusted.ca.issue({"shop.notify.test"}));
  auto sent = notifier.post_json(url_of(by_name.url()), {}, "{}");
  REQUIRE_FALSE(sent.ok());
  CHECK(sent.error().sub_code == "notify-certificate");
  CHECK(sent.error().message == "notify_url certificate rejected: IP address mismatch");
  CHECK(by_name.requests().empty());
}

TEST_CASE("certificates that do not verify are refused before anything is sent",
          "[notify][https]") {
  TrustedCa trusted;
  HttpNotifier notifier(trusted.options);
  struct Case {
    const char* what;
    CertifiedKey certificate;
    const char* reason;
  };
  TestCa unknown_ca;
  const Case cases[] = {
      {"self-signed", TestCa::self_signed({"shop.notify.test"}), "self-signed certificate"},
      {"for another host", trusted.ca.issue({"other.notify.test"}), "hostname mismatch"},
      {"from an unknown CA", unknown_ca.issue({"shop.notify.test"}),
       "unable to get local issuer certificate"},
  };
  for (const Case& c : cases) {
    INFO(c.what);
    HttpReceiver receiver(c.certificate);
    auto sent = notifier.post_json(url_of(receiver.url_for("shop.notify.test")), {}, "{}");
    REQUIRE_FALSE(sent.ok());
    CHECK(sent.error().code == opp::ErrorCode::kRequestServerFail);
    CHECK(sent.error().sub_code == "notify-certificate");
    CHECK(sent.error().message == std::string("notify_url certificate rejected: ") + c.reason);
    // The receiver saw a handshake and no request.
    CHECK(eventually([&] { return receiver.tls_failures() == 1; }, 2s));
    CHECK(receiver.requests().empty());
  }
}

TEST_CASE("without notify_ca_file only the system store is trusted", "[notify][https]") {
  TestCa ca;
  FakeDnsServer dns;
  dns.answer("shop.notify.test", "127.0.0.1");
  HttpNotifierOptions options;
  options.dns.servers = {dns.address()};
  HttpNotifier notifier(options);
  HttpReceiver receiver(ca.issue({"shop.notify.test"}));
  auto sent = notifier.post_json(url_of(receiver.url_for("shop.notify.test")), {}, "{}");
  REQUIRE_FALSE(sent.ok());
  CHECK(sent.error().message ==
        "notify_url certificate rejected: unable to get local issuer certificate");
  CHECK(receiver.requests().empty());
}

TEST_CASE("a plain http receiver is reached by name through the resolver", "[notify][https]") {
  FakeDnsServer dns;
  dns.answer("plain.notify.test", "127.0.0.1");
  HttpNotifierOptions options;
  options.dns.servers = {dns.address()};
  HttpNotifier notifier(options);
  HttpReceiver receiver;
  CHECK(notifier.post_json(url_of(receiver.url_for("plain.notify.test")), {}, "{}").ok());
  REQUIRE(receiver.requests().size() == 1);
  CHECK(receiver.requests()[0].header("host") ==
        "plain.notify.test:" + std::to_string(receiver.port()));
  CHECK(dns.queries_for("plain.notify.test") >= 1);
}

TEST_CASE("a TLS handshake that does not finish is notify-timeout", "[notify][https]") {
  // A listener that never accepts: the kernel completes the TCP connection, and the
  // client's hello is never answered.
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor silent(
      io, boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0));
  TrustedCa trusted;
  trusted.options.connect_timeout = 300ms;
  HttpNotifier notifier(trusted.options);
  const std::string url =
      "https://127.0.0.1:" + std::to_string(silent.local_endpoint().port()) + "/n";
  auto sent = notifier.post_json(url_of(url), {}, "{}");
  REQUIRE_FALSE(sent.ok());
  CHECK(sent.error().sub_code == "notify-timeout");
  CHECK(sent.error().message == "notify_url timed out (handshake)");
}

TEST_CASE("notify_ca_file must be a readable file of PEM certificates", "[notify][https]") {
  ScratchDir dir;
  auto missing = make_tls_client_context(dir.path / "missing.pem");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().sub_code == "invalid-notify-ca-file");
  CHECK(missing.error().message ==
        "cannot use " + (dir.path / "missing.pem").string() + ": No such file or directory");

  std::ofstream(dir.path / "junk.pem") << "not a certificate\n";
  auto junk = make_tls_client_context(dir.path / "junk.pem");
  REQUIRE_FALSE(junk.ok());
  CHECK(junk.error().message.starts_with("cannot use " + (dir.path / "junk.pem").string() +
                                         ": no PEM certificate loaded ("));

  TestCa ca;
  CHECK(make_tls_client_context(ca.write_certificate(dir.path / "ca.pem")).ok());
  CHECK(make_tls_client_context(std::nullopt).ok());
}
