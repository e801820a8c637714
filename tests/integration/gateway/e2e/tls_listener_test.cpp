// The gateway's TLS listener through the real processes (SPEC §7 `tls`): merchant calls
// over HTTPS with verified signatures, plain HTTP on the TLS port, stalled handshakes,
// certificate reloads on SIGHUP, unusable certificates at start, min_version.
#include <openssl/ssl.h>
#include <signal.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "plain_exchange.hpp"
#include "platform.hpp"
#include "test_certificates.hpp"

using namespace opp::gateway::e2e;
using opp::crypto::SignType;
using namespace std::chrono_literals;
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using asio::ip::tcp;

namespace {

PlatformOptions tls_options() {
  PlatformOptions options;
  options.tls = true;
  return options;
}

/// The value of one series of /metrics ("name" or "name{labels}"), -1 when absent.
double metric(HttpClient& client, const std::string& series) {
  const std::string body = client.get("/metrics").body;
  const size_t at = body.find("\n" + series + " ");
  if (at == std::string::npos) return -1;
  return std::stod(body.substr(at + series.size() + 2));
}

/// Whether `condition` holds within 5 s.
template <class Condition>
bool eventually(Condition condition) {
  for (auto deadline = std::chrono::steady_clock::now() + 5s;
       std::chrono::steady_clock::now() < deadline; std::this_thread::sleep_for(20ms))
    if (condition()) return true;
  return condition();
}

size_t count_of(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

void expect_paid(const MerchantClient& merchant, const HttpResponse& r) {
  INFO(r.body);
  CHECK(r.status == 200);
  CHECK(r.err_code() == 0);
  CHECK(merchant.verify(r));
  auto doc = r.json();
  REQUIRE(doc.IsObject());
  CHECK(doc["data"]["order_status"].GetInt() == 1);
}

std::string qrpay(const std::string& order) {
  return R"({"out_order_no":")" + order +
         R"(","total_amount":500,"auth_code":"134567890123456789","subject":"tea"})";
}

/// The platform's tls/NAME pair moved over tls/server.*, as a renewal would.
void replace_server_certificate(const Platform& platform, const std::string& name) {
  const auto dir = platform.dir.path() / "tls";
  opp::test::make_test_certificate(dir, name);
  std::filesystem::rename(dir / (name + ".key"), dir / "server.key");
  std::filesystem::rename(dir / (name + ".crt"), dir / "server.crt");
}

}  // namespace

TEST_CASE("e2e tls: merchant calls over HTTPS are answered and their signatures verify",
          "[e2e][tls]") {
  Platform platform(tls_options());
  MerchantKey hmac = platform.add_hmac_merchant("MTLS1", SignType::kHmacSha256);
  MerchantKey rsa = platform.add_rsa_merchant("MTLS2");
  platform.start_gateway();

  for (const MerchantKey& key : {hmac, rsa}) {
    MerchantClient merchant = platform.merchant_over_tls(key);
    expect_paid(merchant, merchant.call("payment", "qrpay", qrpay("T" + fresh_nonce())));
  }
  // One kept-alive connection carried both calls.
  CHECK(platform.https->connections() == 1);
  CHECK(platform.https->peer_subject().find("CN=localhost") != std::string::npos);
  CHECK(platform.https->tls_version() == "TLSv1.3");
  // Plain HTTP beside it, on the same gateway.
  MerchantClient plain = platform.merchant(hmac);
  expect_paid(plain, plain.call("payment", "qrpay", qrpay("P" + fresh_nonce())));
  // A TLS 1.2 client is welcome under the default min_version.
  TlsClientOptions tls12 = platform.tls_client();
  tls12.max_version = TLS1_2_VERSION;
  HttpClient old_client(platform.tls_port, tls12);
  CHECK(old_client.get("/healthz").status == 200);
  CHECK(old_client.tls_version() == "TLSv1.2");
  CHECK(metric(*platform.https, "opp_tls_handshakes_total") == 2);
}

TEST_CASE("e2e tls: a certificate for another host name is refused by the client", "[e2e][tls]") {
  Platform platform(tls_options());
  platform.start_gateway();
  TlsClientOptions other = platform.tls_client();
  other.host_name = "gateway.example";
  HttpClient client(platform.tls_port, other);
  CHECK_THROWS_WITH(client.get("/healthz"), Catch::Contains("TLS handshake failed"));
}

TEST_CASE("e2e tls: listen \"\" serves HTTPS only", "[e2e][tls]") {
  PlatformOptions options = tls_options();
  options.plain_http = false;
  Platform platform(options);
  MerchantKey key = platform.add_hmac_merchant("MTLSONLY", SignType::kHmacSha256);
  platform.start_gateway();
  CHECK(platform.http == nullptr);
  CHECK(platform.gateway->out().find("listening on") == std::string::npos);
  MerchantClient merchant = platform.merchant_over_tls(key);
  expect_paid(merchant, merchant.call("payment", "qrpay", qrpay("O" + fresh_nonce())));
}

TEST_CASE("e2e tls: plain HTTP sent to the TLS port gets 400 http-on-tls-port and is closed",
          "[e2e][tls]") {
  Platform platform(tls_options());
  platform.start_gateway();
  asio::io_context io;
  tcp::socket socket(io);
  socket.connect({asio::ip::make_address("127.0.0.1"), platform.tls_port});
  beast::error_code ec;
  const auto response = opp::test::plain_exchange(
      socket, std::string("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"), ec);
  REQUIRE_FALSE(ec);
  HttpResponse r;
  r.body = response.body();
  INFO(r.body);
  CHECK(response.result_int() == 400);
  CHECK(r.err_code() == 10001);
  CHECK(r.sub_code() == "http-on-tls-port");
  CHECK(response["Connection"] == "close");
  CHECK(response["X-Request-Id"] == r.json()["request_id"].GetString());
  char byte;
  socket.read_some(asio::buffer(&byte, 1), ec);
  CHECK(ec == asio::error::eof);
  // The gateway still serves TLS, and counted the refusal.
  CHECK(metric(*platform.https, "opp_tls_handshake_failures_total{reason=\"http-on-tls-port\"}") ==
        1);
}

TEST_CASE("e2e tls: a stalled handshake is cut off within http.header_timeout_ms", "[e2e][tls]") {
  PlatformOptions options = tls_options();
  options.http_yaml = "{header_timeout_ms: 400, idle_timeout_ms: 60000}";
  Platform platform(options);
  platform.start_gateway();
  asio::io_context io;
  tcp::socket socket(io);
  socket.connect({asio::ip::make_address("127.0.0.1"), platform.tls_port});
  const auto connected = std::chrono::steady_clock::now();
  timeval tv{10, 0};
  setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  char byte;
  beast::error_code ec;
  socket.read_some(asio::buffer(&byte, 1), ec);  // nothing sent: the gateway hangs up
  const auto waited = std::chrono::steady_clock::now() - connected;
  CHECK((ec == asio::error::eof || ec == asio::error::connection_reset));
  CHECK(waited >= 350ms);
  CHECK(waited < 3s);
  CHECK(eventually([&] {
    return metric(*platform.https, "opp_tls_handshake_failures_total{reason=\"timeout\"}") == 1;
  }));
}

TEST_CASE("e2e tls: SIGHUP serves a new certificate to new connections, open ones keep theirs",
          "[e2e][tls][reload]") {
  Platform platform(tls_options());
  MerchantKey key = platform.add_hmac_merchant("MTLSHUP", SignType::kHmacSha256);
  platform.start_gateway();
  MerchantClient before = platform.merchant_over_tls(key);
  expect_paid(before, before.call("payment", "qrpay", qrpay("B" + fresh_nonce())));
  REQUIRE(platform.https->peer_subject().find("OU=server") != std::string::npos);

  replace_server_certificate(platform, "renewed");
  platform.gateway->signal(SIGHUP);
  REQUIRE(eventually([&] {
    return platform.gateway->err().find("tls: certificate reloaded") != std::string::npos;
  }));
  HttpClient fresh(platform.tls_port, platform.tls_client());
  CHECK(fresh.get("/healthz").status == 200);
  CHECK(fresh.peer_subject().find("OU=renewed") != std::string::npos);
  // The connection opened before the reload still works, on its first handshake.
  expect_paid(before, before.call("payment", "qrpay", qrpay("A" + fresh_nonce())));
  CHECK(platform.https->connections() == 1);
  CHECK(platform.https->peer_subject().find("OU=server") != std::string::npos);
  CHECK(metric(fresh, "opp_tls_certificate_reloads_total") == 1);

  // A certificate that cannot be used: one log line, counted, the running one stays.
  std::ofstream(platform.dir.path() / "tls" / "server.crt", std::ios::trunc) << "garbage\n";
  platform.gateway->signal(SIGHUP);
  REQUIRE(
      eventually([&] { return metric(fresh, "opp_tls_certificate_reload_failures_total") == 1; }));
  const std::string log = platform.gateway->err();
  CHECK(count_of(log,
                 "tls: certificate reload refused, the running certificate stays: "
                 "tls.cert: ") == 1);
  HttpClient after(platform.tls_port, platform.tls_client());
  CHECK(after.get("/healthz").status == 200);
  CHECK(after.peer_subject().find("OU=renewed") != std::string::npos);
}

TEST_CASE("e2e tls: a certificate or key that cannot be used at start is one line, exit 2",
          "[e2e][tls]") {
  PlatformOptions options = tls_options();
  options.start_payment = false;
  options.upstream_endpoints = {"127.0.0.1:1"};
  Platform platform(options);
  const auto dir = platform.dir.path() / "tls";
  std::string expected;
  SECTION("a missing certificate file") {
    std::filesystem::remove(dir / "server.crt");
    expected = "opp-gateway: tls.cert: cannot read " + (dir / "server.crt").string() +
               ": No such file or directory\n";
  }
  SECTION("a certificate that does not parse") {
    std::ofstream(dir / "server.crt", std::ios::trunc) << "-----BEGIN CERTIFICATE-----\nxx\n";
    expected = "opp-gateway: tls.cert: " + (dir / "server.crt").string() +
               " is not a PEM certificate chain (";
  }
  SECTION("a key that does not match the certificate") {
    opp::test::make_test_certificate(dir, "other");
    std::filesystem::rename(dir / "other.key", dir / "server.key");
    expected = "opp-gateway: tls.key: " + (dir / "server.key").string() +
               " does not match the certificate " + (dir / "server.crt").string() + "\n";
  }
  CommandResult r =
      run_command(OPP_GATEWAY_BINARY, {"--config", (platform.dir.path() / "gateway.yaml").string()},
                  platform.dir.path());
  INFO(r.err);
  CHECK(r.exit_code == 2);
  CHECK(r.err.starts_with(expected));
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  CHECK(r.out.find("listening") == std::string::npos);
}

TEST_CASE("e2e tls: min_version 1.3 refuses a TLS 1.2-only client", "[e2e][tls]") {
  PlatformOptions options = tls_options();
  options.tls_yaml = "min_version: \"1.3\"";
  Platform platform(options);
  platform.start_gateway();
  CHECK(platform.https->get("/healthz").status == 200);
  CHECK(platform.https->tls_version() == "TLSv1.3");
  TlsClientOptions tls12 = platform.tls_client();
  tls12.max_version = TLS1_2_VERSION;
  HttpClient old_client(platform.tls_port, tls12);
  CHECK_THROWS_WITH(old_client.get("/healthz"), Catch::Contains("TLS handshake failed"));
  CHECK(eventually([&] {
    return metric(*platform.https, "opp_tls_handshake_failures_total{reason=\"protocol\"}") == 1;
  }));
}
