// The rate-limit and ip-allowlist plugins through the real gateway (SPEC §9): signed
// 429 / 10008 with Retry-After per merchant and per method, 403 / 10002 ip-not-allowed
// per merchant, bad configs refused at start (exit 2), the allowlist changed by SIGHUP.
#include <signal.h>

#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

#include "plugin_fixture.hpp"

using namespace opp::gateway::e2e;
using opp::crypto::SignType;
using namespace std::chrono_literals;

namespace {

const std::string kQuery = R"({"out_order_no":"NO-SUCH-ORDER"})";

void expect_rejected(const MerchantClient& merchant, const HttpResponse& r, int status,
                     int64_t code, const std::string& sub_code) {
  INFO(r.body);
  CHECK(r.status == status);
  CHECK(r.err_code() == code);
  CHECK(r.sub_code() == sub_code);
  CHECK(merchant.verify(r));  // a plugin's rejection is signed like any authenticated answer
}

// The backend answered: the plugins let the call through.
void expect_passed(const HttpResponse& r) {
  INFO(r.body);
  CHECK(r.status == 200);
  CHECK(r.sub_code() == "order-not-found");
}

}  // namespace

TEST_CASE("e2e rate-limit: a merchant's burst, then 429 with Retry-After, others unaffected",
          "[e2e][plugins][rate-limit]") {
  PlatformOptions options;
  options.extra_gateway_yaml =
      "plugins:\n  - name: rate-limit\n    config: {per_merchant: {rate: 0.001, burst: 2}}\n";
  Platform platform(options);
  MerchantKey k1 = platform.add_hmac_merchant("MRL1", SignType::kHmacSha256);
  MerchantKey k2 = platform.add_hmac_merchant("MRL2", SignType::kHmacSha256);
  platform.start_gateway();  // clients after: they use its connection
  MerchantClient m1 = platform.merchant(k1), m2 = platform.merchant(k2);

  expect_passed(m1.call("payment", "queryorder", kQuery));
  expect_passed(m1.call("payment", "queryorder", kQuery));
  HttpResponse limited = m1.call("payment", "queryorder", kQuery);
  expect_rejected(m1, limited, 429, 10008, "rate-limited");
  REQUIRE(limited.headers.count("retry-after") == 1);
  const int retry_after = std::stoi(limited.headers["retry-after"]);
  CHECK(retry_after >= 990);  // one token per 1000 s
  CHECK(retry_after <= 1000);
  expect_passed(m2.call("payment", "queryorder", kQuery));
}

TEST_CASE("e2e rate-limit: per merchant and method, one method's limit leaves the others",
          "[e2e][plugins][rate-limit]") {
  PlatformOptions options;
  options.extra_gateway_yaml =
      "plugins:\n  - name: rate-limit\n    config: {per_method: {rate: 0.001, burst: 1}}\n";
  Platform platform(options);
  MerchantKey key = platform.add_hmac_merchant("MRLM", SignType::kHmacSha256);
  platform.start_gateway();
  MerchantClient m = platform.merchant(key);

  expect_passed(m.call("payment", "queryorder", kQuery));
  expect_rejected(m, m.call("payment", "queryorder", kQuery), 429, 10008, "rate-limited");
  HttpResponse close = m.call("payment", "closeorder", kQuery);
  INFO(close.body);
  CHECK(close.err_code() != 10008);
}

TEST_CASE("e2e ip-allowlist: listed merchants only from their CIDRs, others pass",
          "[e2e][plugins][ip-allowlist]") {
  PlatformOptions options;
  Platform platform(options);
  MerchantKey k1 = platform.add_hmac_merchant("MIP1", SignType::kHmacSha256);
  MerchantKey k2 = platform.add_hmac_merchant("MIP2", SignType::kHmacSha256);
  MerchantKey k3 = platform.add_hmac_merchant("MIP3", SignType::kHmacSha256);
  const std::string base = read_text(platform.dir.path() / "gateway.yaml");
  auto with_rules = [&](const std::string& mip2) {
    return base +
           "plugins:\n  - name: ip-allowlist\n    config: {merchants: {MIP1: [\"10.0.0.0/8\", "
           "\"fd00::/8\"], MIP2: [" +
           mip2 + "]}}\n";
  };
  platform.dir.write("gateway.yaml", with_rules("\"127.0.0.1/32\""));
  platform.start_gateway();
  MerchantClient outside = platform.merchant(k1), inside = platform.merchant(k2),
                 unlisted = platform.merchant(k3);

  expect_rejected(outside, outside.call("payment", "queryorder", kQuery), 403, 10002,
                  "ip-not-allowed");
  expect_passed(inside.call("payment", "queryorder", kQuery));
  expect_passed(unlisted.call("payment", "queryorder", kQuery));

  // SIGHUP with MIP2's list changed: the loopback client is outside it now.
  platform.dir.write("gateway.yaml", with_rules("\"10.0.0.0/8\""));
  platform.gateway->signal(SIGHUP);
  HttpResponse r;
  for (auto deadline = std::chrono::steady_clock::now() + 4s;
       std::chrono::steady_clock::now() < deadline; std::this_thread::sleep_for(50ms)) {
    r = inside.call("payment", "queryorder", kQuery);
    if (r.status == 403) break;
  }
  expect_rejected(inside, r, 403, 10002, "ip-not-allowed");
}

TEST_CASE("e2e rate-limit and ip-allowlist: bad configs stop the gateway with one line",
          "[e2e][plugins]") {
  struct Case {
    std::string yaml, expected;
  };
  const Case cases[] = {
      {"plugins:\n  - name: rate-limit\n    config: {policy: redis, per_merchant: {rate: 1}}\n",
       "redis: required with policy: redis"},
      {"plugins:\n  - name: rate-limit\n    config: {per_merchant: {rate: -1}}\n",
       "per_merchant.rate"},
      {"plugins:\n  - name: rate-limit\n    config: {}\n", "rate-limit"},
      {"plugins:\n  - name: ip-allowlist\n    config: {merchants: {M1: [\"10.0.0.1/8\"]}}\n",
       "merchants.M1[0]"},
      {"plugins:\n  - name: ip-allowlist\n    config: {merchants: {M1: [\"300.0.0.0/8\"]}}\n",
       "merchants.M1[0]"},
  };
  for (const Case& c : cases) {
    CommandResult r = start_refused(c.yaml);
    INFO(c.yaml);
    INFO(r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.err.find(c.expected) != std::string::npos);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  }
}
