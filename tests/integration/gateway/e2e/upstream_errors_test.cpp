// The upstream side through the real gateway (SPEC §3.3 10005–10007): a backend that is
// down, slow, resets, raises TApplicationException or sends what does not decode; no
// upstream configured; saturation; recovery once the backend returns; and SIGTERM with
// requests in flight.
#include <signal.h>

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <future>
#include <sstream>
#include <thread>
#include <vector>

#include "fake_thrift_server.hpp"
#include "platform.hpp"

using namespace opp::gateway::e2e;
using opp::crypto::SignType;
using opp::gateway::testing::FakeAction;
using opp::gateway::testing::FakeRequest;
using opp::gateway::testing::FakeThriftServer;
using namespace std::chrono_literals;

namespace {

const std::string kQuery = R"({"out_order_no":"A1"})";

// TBinaryProtocol struct bodies, written out by hand.
std::string be16(int v) {
  return {char(v >> 8), char(v)};
}
std::string be32(uint32_t v) {
  return {char(v >> 24), char(v >> 16), char(v >> 8), char(v)};
}
std::string string_field(int id, const std::string& s) {
  return "\x0b" + be16(id) + be32(s.size()) + s;
}

// QueryOrder's result: success = QueryOrderResp{out_order_no, order_status = 1}.
std::string query_order_success(const std::string& out_order_no) {
  std::string resp =
      string_field(1, out_order_no) + "\x03" + be16(2) + "\x01" + std::string(1, '\0');
  return "\x0c" + be16(0) + resp + std::string(1, '\0');
}

// TApplicationException {1: message, 2: type}.
std::string application_exception(const std::string& message, int type) {
  return string_field(1, message) + "\x08" + be16(2) + be32(type) + std::string(1, '\0');
}

struct FakePlatform {
  FakeThriftServer fake;
  std::unique_ptr<Platform> platform;
  std::unique_ptr<MerchantClient> merchant;

  explicit FakePlatform(uint32_t timeout_ms = 3000, std::string extra_upstream_yaml = "") {
    PlatformOptions options;
    options.start_payment = false;
    options.upstream_endpoints = {"127.0.0.1:" + std::to_string(fake.port())};
    options.timeout_ms = timeout_ms;
    platform = std::make_unique<Platform>(options);
    if (!extra_upstream_yaml.empty()) {
      // Extra keys of upstreams.payment, indented under it.
      std::ifstream in(platform->dir.path() / "gateway.yaml");
      std::stringstream text;
      text << in.rdbuf();
      platform->dir.write("gateway.yaml", text.str() + extra_upstream_yaml);
    }
    MerchantKey key = platform->add_hmac_merchant("MUP", SignType::kHmacSha256);
    platform->start_gateway();
    merchant = std::make_unique<MerchantClient>(platform->merchant(key));
  }
};

void expect_error(const MerchantClient& merchant, const HttpResponse& r, int status, int64_t code,
                  const std::string& sub_code) {
  INFO(r.body);
  CHECK(r.status == status);
  CHECK(r.err_code() == code);
  CHECK(r.sub_code() == sub_code);
  CHECK(merchant.verify(r));  // after authentication every answer is signed
}

}  // namespace

TEST_CASE("e2e: answers from a scripted backend", "[e2e][upstream]") {
  FakePlatform p(/*timeout_ms=*/400);
  MerchantClient& merchant = *p.merchant;

  SECTION("a good reply decodes into data") {
    p.fake.set_handler([&](const FakeRequest& r) {
      return FakeAction::send(p.fake.reply(r, query_order_success("A1"), r.seqid));
    });
    auto r = merchant.call("payment", "queryorder", kQuery);
    INFO(r.body);
    CHECK(r.err_code() == 0);
    CHECK(std::string(r.json()["data"]["out_order_no"].GetString()) == "A1");
    // What the backend received: the QueryOrder call with the merchant bound in.
    auto received = p.fake.received();
    REQUIRE(received.size() == 1);
    CHECK(received[0].name == "QueryOrder");
    CHECK(received[0].message.find("MUP") != std::string::npos);
  }
  SECTION("TApplicationException → 10006") {
    p.fake.set_handler([&](const FakeRequest& r) {
      return FakeAction::send(p.fake.reply(r, application_exception("boom", 6), r.seqid, 3));
    });
    auto r = merchant.call("payment", "queryorder", kQuery);
    expect_error(merchant, r, 502, 10006, "upstream-exception");
    CHECK(std::string(r.json()["sub_message"].GetString()).find("boom") != std::string::npos);
  }
  SECTION("a reply that does not decode → 10007") {
    p.fake.set_handler([&](const FakeRequest& r) {
      return FakeAction::send(p.fake.reply(r, "\x0c\x00\x00\x0b\x00\x01\xff\xff", r.seqid));
    });
    expect_error(merchant, merchant.call("payment", "queryorder", kQuery), 502, 10007,
                 "bad-upstream-reply");
  }
  SECTION("a reply with another seqid → 10007") {
    p.fake.set_handler([&](const FakeRequest& r) {
      return FakeAction::send(p.fake.reply(r, query_order_success("A1"), r.seqid + 1));
    });
    expect_error(merchant, merchant.call("payment", "queryorder", kQuery), 502, 10007,
                 "bad-upstream-reply");
  }
  SECTION("a slow backend → 504") {
    p.fake.set_handler([&](const FakeRequest& r) {
      FakeAction a = FakeAction::send(p.fake.reply(r, query_order_success("A1"), r.seqid));
      a.delay = 1500ms;
      return a;
    });
    const auto started = std::chrono::steady_clock::now();
    expect_error(merchant, merchant.call("payment", "queryorder", kQuery), 504, 10005,
                 "upstream-timeout");
    CHECK(std::chrono::steady_clock::now() - started < 1400ms);
  }
  SECTION("a reset mid-call → 502") {
    p.fake.set_handler([](const FakeRequest&) { return FakeAction::reset(); });
    expect_error(merchant, merchant.call("payment", "queryorder", kQuery), 502, 10005,
                 "upstream-reset");
  }
  SECTION("and after a failure the backend is used again") {
    p.fake.set_handler([](const FakeRequest&) { return FakeAction::reset(); });
    merchant.call("payment", "queryorder", kQuery);
    p.fake.set_handler([&](const FakeRequest& r) {
      return FakeAction::send(p.fake.reply(r, query_order_success("A1"), r.seqid));
    });
    CHECK(merchant.call("payment", "queryorder", kQuery).err_code() == 0);
  }
}

TEST_CASE("e2e: a backend that is down, then comes back", "[e2e][upstream]") {
  const uint16_t port = opp::gateway::testing::refused_port();
  PlatformOptions options;
  options.start_payment = false;
  options.upstream_endpoints = {"127.0.0.1:" + std::to_string(port)};
  Platform platform(options);
  MerchantKey key = platform.add_hmac_merchant("MDOWN", SignType::kHmacSha256);
  platform.start_gateway();
  MerchantClient merchant = platform.merchant(key);
  expect_error(merchant, merchant.call("payment", "queryorder", kQuery), 502, 10005,
               "upstream-unavailable");

  // The real backend starts on that port: the gateway recovers without a restart.
  platform.dir.write("payment.yaml", "listen: \"127.0.0.1:" + std::to_string(port) +
                                         "\"\ndatabase: \"" + platform.database_url("payment") +
                                         "\"\n"
                                         "platform_private_key: \"conf/platform_key.pem\"\n");
  Process payment("payment", OPP_PAYMENT_BINARY,
                  {"--config", (platform.dir.path() / "payment.yaml").string()},
                  platform.dir.path());
  payment.wait_listening();
  HttpResponse r;
  for (int i = 0; i < 50; ++i) {
    r = merchant.call("payment", "queryorder", kQuery);
    if (r.err_code() == 20002) break;
    std::this_thread::sleep_for(100ms);
  }
  CHECK(r.err_code() == 20002);
  payment.signal(SIGTERM);
  CHECK(payment.wait_exit() == 0);
}

TEST_CASE("e2e: a service with no upstream configured → 503 no-upstream", "[e2e][upstream]") {
  TempDir idl("opp-gateway-idl-");
  std::filesystem::copy(std::string(OPP_SOURCE_DIR) + "/idl", idl.path(),
                        std::filesystem::copy_options::recursive);
  idl.write("lab.thrift", "service Lab { string Echo(1: string s) }\n");
  PlatformOptions options;
  options.idl_dir = idl.path().string();
  Platform platform(options);
  MerchantKey key = platform.add_hmac_merchant("MLAB", SignType::kHmacSha256);
  platform.start_gateway();
  MerchantClient merchant = platform.merchant(key);
  expect_error(merchant, merchant.call("lab", "Echo", R"({"s":"hi"})"), 503, 10005, "no-upstream");
  // The biz_params are still checked first (SPEC §3.1 order).
  expect_error(merchant, merchant.call("lab", "Echo", R"({"s":5})"), 400, 10001,
               "invalid-biz-params");
}

TEST_CASE("e2e: a saturated upstream answers 503 instead of queueing without bound",
          "[e2e][upstream]") {
  FakePlatform p(3000, "    max_connections: 1\n    max_pending: 1\n");
  p.fake.set_handler([&](const FakeRequest& r) {
    FakeAction a = FakeAction::send(p.fake.reply(r, query_order_success("A1"), r.seqid));
    a.delay = 200ms;
    return a;
  });
  std::vector<std::future<HttpResponse>> answers;
  std::vector<std::unique_ptr<HttpClient>> clients;
  for (int i = 0; i < 12; ++i)
    clients.push_back(std::make_unique<HttpClient>(p.platform->gateway_port));
  for (int i = 0; i < 12; ++i) {
    answers.push_back(std::async(std::launch::async, [&, i] {
      MerchantClient m(*clients[i], p.merchant->key(), p.platform->platform_key_pem);
      return m.call("payment", "queryorder", kQuery);
    }));
  }
  int ok = 0, saturated = 0;
  for (auto& a : answers) {
    HttpResponse r = a.get();
    if (r.err_code() == 0) ++ok;
    if (r.status == 503 && r.sub_code() == "upstream-saturated") ++saturated;
  }
  CHECK(ok >= 1);
  CHECK(saturated >= 1);
  CHECK(ok + saturated == 12);
  CHECK(p.fake.peak_connections_open() <= 1);
}

TEST_CASE("e2e: SIGTERM lets requests in flight finish, then exits 0", "[e2e][lifecycle]") {
  FakePlatform p;
  p.fake.set_handler([&](const FakeRequest& r) {
    FakeAction a = FakeAction::send(p.fake.reply(r, query_order_success("A1"), r.seqid));
    a.delay = 800ms;
    return a;
  });
  auto in_flight = std::async(std::launch::async,
                              [&] { return p.merchant->call("payment", "queryorder", kQuery); });
  std::this_thread::sleep_for(300ms);
  const auto started = std::chrono::steady_clock::now();
  p.platform->gateway->signal(SIGTERM);
  HttpResponse r = in_flight.get();
  CHECK(r.status == 200);
  CHECK(r.err_code() == 0);
  const int exit_code = p.platform->gateway->wait_exit(10s);
  INFO(p.platform->gateway->err());
  CHECK(exit_code == 0);
  CHECK(std::chrono::steady_clock::now() - started < 10s);
  p.platform->gateway.reset();
}

TEST_CASE("e2e: opp-gateway's command line and bad configs", "[e2e][lifecycle]") {
  TempDir dir("opp-gateway-cli-");
  auto help = run_command(OPP_GATEWAY_BINARY, {"--help"}, dir.path());
  CHECK(help.exit_code == 0);
  CHECK(help.out.find("Usage: opp-gateway") != std::string::npos);
  auto version = run_command(OPP_GATEWAY_BINARY, {"--version"}, dir.path());
  CHECK(version.exit_code == 0);
  CHECK(version.out.rfind("opp-gateway ", 0) == 0);
  CHECK(run_command(OPP_GATEWAY_BINARY, {"--bogus"}, dir.path()).exit_code == 2);

  dir.write("bad.yaml", "listen: \"127.0.0.1:0\"\nthreads: lots\n");
  auto bad =
      run_command(OPP_GATEWAY_BINARY, {"--config", (dir.path() / "bad.yaml").string()}, dir.path());
  CHECK(bad.exit_code == 2);
  CHECK(bad.err.find("threads") != std::string::npos);
  CHECK(std::count(bad.err.begin(), bad.err.end(), '\n') == 1);

  dir.write("noidl.yaml", "listen: \"127.0.0.1:0\"\nidl_dir: \"missing-dir\"\n");
  auto noidl = run_command(OPP_GATEWAY_BINARY, {"--config", (dir.path() / "noidl.yaml").string()},
                           dir.path());
  CHECK(noidl.exit_code == 1);
  CHECK(noidl.err.find("idl_dir") != std::string::npos);
}
