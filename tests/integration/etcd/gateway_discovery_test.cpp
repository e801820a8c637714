// opp-gateway with `upstreams.payment.discovery: etcd` against a real etcd: the endpoint
// set follows the keys under opp/services/payment/; a lost etcd keeps the last set; a
// returning etcd is read and watched again.

#include <signal.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include "etcd_server.hpp"
#include "fake_thrift_server.hpp"
#include "gateway/discovery/etcd_discovery.hpp"
#include "opp/etcd/registration.hpp"
#include "platform.hpp"

using namespace opp::gateway::e2e;
using opp::etcd::Client;
using opp::etcd::service_key;
using opp::etcd::test::EtcdServer;
using opp::etcd::test::eventually;
using opp::gateway::testing::FakeAction;
using opp::gateway::testing::FakeRequest;
using opp::gateway::testing::FakeThriftServer;
using namespace std::chrono_literals;

namespace {

const std::string kQuery = R"({"out_order_no":"A1"})";

std::string be16(int v) {
  return {char(v >> 8), char(v)};
}
std::string be32(uint32_t v) {
  return {char(v >> 24), char(v >> 16), char(v >> 8), char(v)};
}

// QueryOrder's result: success = QueryOrderResp{out_order_no, order_status = 1}.
std::string query_order_success(const std::string& out_order_no) {
  std::string resp = "\x0b" + be16(1) + be32(uint32_t(out_order_no.size())) + out_order_no +
                     "\x03" + be16(2) + "\x01" + std::string(1, '\0');
  return "\x0c" + be16(0) + resp + std::string(1, '\0');
}

/// A fake payment backend answering every QueryOrder, counting them.
struct Backend {
  FakeThriftServer server;
  Backend() {
    server.set_handler([this](const FakeRequest& r) {
      return FakeAction::send(server.reply(r, query_order_success("A1"), r.seqid));
    });
  }
  std::string address() const { return "127.0.0.1:" + std::to_string(server.port()); }
};

struct DiscoveryPlatform {
  EtcdServer etcd;
  Client client{{etcd.endpoint()}};
  std::unique_ptr<Platform> platform;
  std::unique_ptr<MerchantClient> merchant;

  DiscoveryPlatform() {
    PlatformOptions options;
    options.start_payment = false;
    options.etcd_discovery = true;
    options.eject_ms = 200;
    options.extra_gateway_yaml = "etcd: {endpoints: [\"" + etcd.address() + "\"]}\n";
    platform = std::make_unique<Platform>(options);
    MerchantKey key = platform->add_hmac_merchant("MDISC", opp::crypto::SignType::kHmacSha256);
    platform->start_gateway();
    merchant = std::make_unique<MerchantClient>(platform->merchant(key));
  }

  void add(const Backend& backend) {
    REQUIRE(client.put(service_key("payment", backend.address()), backend.address()));
  }
  HttpResponse query() { return merchant->call("payment", "queryorder", kQuery); }
  bool query_ok() { return query().err_code() == 0; }
  std::string metrics() { return platform->http->get("/metrics").body; }
};

}  // namespace

TEST_CASE("gateway discovery: nothing registered yet is 10005 upstream-unavailable") {
  DiscoveryPlatform p;
  const HttpResponse r = p.query();
  INFO(r.body);
  CHECK(r.err_code() == 10005);
  CHECK(r.sub_code() == "upstream-unavailable");
}

TEST_CASE("gateway discovery: registered servers are called, a second one joins within 1 s") {
  DiscoveryPlatform p;
  Backend first, second;
  p.add(first);
  REQUIRE(eventually([&] { return p.query_ok(); }, 2s));
  p.add(second);
  const auto added = std::chrono::steady_clock::now();
  // Within 1 s of its key being written the second server takes calls.
  REQUIRE(eventually(
      [&] {
        p.query();
        return second.server.requests() > 0;
      },
      1500ms));
  CHECK(std::chrono::steady_clock::now() - added < 1500ms);
  const size_t before_first = first.server.requests(), before_second = second.server.requests();
  for (int i = 0; i < 20; ++i) REQUIRE(p.query_ok());
  // Spread over both: round robin gives each a good share.
  CHECK(first.server.requests() - before_first >= 5);
  CHECK(second.server.requests() - before_second >= 5);
  CHECK(p.metrics().find("opp_discovery_connected{svc=\"payment\"} 1") != std::string::npos);
  CHECK(p.metrics().find("opp_discovery_endpoints{svc=\"payment\"} 2") != std::string::npos);

  // Its key deleted (a deregistration): the first server no longer gets calls.
  REQUIRE(p.client.remove(service_key("payment", first.address())));
  std::this_thread::sleep_for(1s);
  const size_t first_now = first.server.requests();
  for (int i = 0; i < 10; ++i) REQUIRE(p.query_ok());
  CHECK(first.server.requests() == first_now);
}

TEST_CASE("gateway discovery: etcd lost keeps the last endpoints; etcd back is watched again") {
  DiscoveryPlatform p;
  Backend first, second;
  p.add(first);
  REQUIRE(eventually([&] { return p.query_ok(); }, 2s));

  p.etcd.stop();
  REQUIRE(eventually(
      [&] {
        return p.metrics().find("opp_discovery_connected{svc=\"payment\"} 0") != std::string::npos;
      },
      5s));
  const size_t before = first.server.requests();
  for (int i = 0; i < 10; ++i) REQUIRE(p.query_ok());
  CHECK(first.server.requests() - before == 10);
  CHECK(p.platform->gateway->err().find("etcd lost, keeping the last 1 endpoint(s)") !=
        std::string::npos);

  p.etcd.start();
  REQUIRE(eventually(
      [&] {
        return p.metrics().find("opp_discovery_connected{svc=\"payment\"} 1") != std::string::npos;
      },
      5s));
  p.add(second);
  CHECK(eventually(
      [&] {
        p.query();
        return second.server.requests() > 0;
      },
      1500ms));
}

TEST_CASE("gateway discovery: a real opp-payment registering is called through the gateway") {
  DiscoveryPlatform p;
  TempDir dir("opp-payment-etcd-");
  dir.write("payment.yaml",
            "listen: \"127.0.0.1:0\"\n"
            "database: \"sqlite3://db=payment.db\"\n"
            "platform_private_key: \"" +
                (p.platform->dir.path() / "conf/platform_key.pem").string() +
                "\"\n"
                "etcd: {endpoints: [\"" +
                p.etcd.address() + "\"], lease_ttl_s: 3}\n");
  Process payment("payment", OPP_PAYMENT_BINARY, {"--config", "payment.yaml"}, dir.path());
  payment.wait_listening();
  // The order does not exist: a business answer from the real server, not a 10005.
  HttpResponse r;
  REQUIRE(eventually(
      [&] {
        r = p.query();
        return r.err_code() != 10005;
      },
      3s));
  INFO(r.body);
  CHECK(r.err_code() == 20002);

  // SIGTERM revokes the lease: the gateway drops the address rather than calling it.
  payment.signal(SIGTERM);
  REQUIRE(payment.wait_exit() == 0);
  CHECK(eventually(
      [&] {
        return p.metrics().find("opp_discovery_endpoints{svc=\"payment\"} 0") != std::string::npos;
      },
      1500ms));
  CHECK(p.query().err_code() == 10005);
}

TEST_CASE("gateway discovery: a config reload keeps the discovered endpoints") {
  DiscoveryPlatform p;
  Backend backend;
  p.add(backend);
  REQUIRE(eventually([&] { return p.query_ok(); }, 2s));
  // Another timeout: the reload applies upstreams again, which must not empty the set.
  std::ifstream in(p.platform->dir.path() / "gateway.yaml");
  std::stringstream text;
  text << in.rdbuf();
  std::string yaml = text.str();
  const std::string from = "timeout_ms: 3000", to = "timeout_ms: 2500";
  REQUIRE(yaml.find(from) != std::string::npos);
  yaml.replace(yaml.find(from), from.size(), to);
  p.platform->dir.write("gateway.yaml", yaml);
  REQUIRE(eventually(
      [&] { return p.platform->gateway->err().find("upstreams reloaded") != std::string::npos; },
      5s));
  const size_t before = backend.server.requests();
  for (int i = 0; i < 5; ++i) REQUIRE(p.query_ok());
  CHECK(backend.server.requests() - before == 5);
}

TEST_CASE("gateway discovery: a value that is not HOST:PORT is ignored, the others are used") {
  DiscoveryPlatform p;
  Backend backend;
  REQUIRE(p.client.put(service_key("payment", "junk"), "not an address"));
  p.add(backend);
  REQUIRE(eventually([&] { return p.query_ok(); }, 2s));
  CHECK(p.metrics().find("opp_discovery_endpoints{svc=\"payment\"} 1") != std::string::npos);
  CHECK(p.platform->gateway->err().find("ignoring opp/services/payment/junk") != std::string::npos);
}

TEST_CASE("discovery parse_address: HOST:PORT, bracketed IPv6, bad ports refused") {
  using opp::gateway::discovery::parse_address;
  CHECK(parse_address("10.0.0.1:8081")->to_string() == "10.0.0.1:8081");
  CHECK(parse_address("[::1]:9")->host == "::1");
  CHECK_FALSE(parse_address("host"));
  CHECK_FALSE(parse_address("host:0"));
  CHECK_FALSE(parse_address("host:65536"));
  CHECK_FALSE(parse_address(":80"));
  CHECK_FALSE(parse_address("host:8a"));
}
