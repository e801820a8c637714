// The cors and request-log plugins through the real gateway (SPEC §9): preflights
// answered, CORS headers on listings and merchant calls (also on another plugin's 429),
// none on other routes; one redacted JSON line per merchant call, never the signature;
// an unwritable log path refused at start.
#include <catch2/catch.hpp>

#include <rapidjson/document.h>

#include <chrono>
#include <sstream>
#include <thread>

#include "plugin_fixture.hpp"

using namespace opp::gateway::e2e;
using opp::crypto::SignType;
using namespace std::chrono_literals;

namespace {

const std::string kShop = "https://shop.example";

HttpResponse preflight(HttpClient& http, const std::string& origin) {
  return http.request("OPTIONS", "/gateway/payment", "", "",
                      {{"Origin", origin}, {"Access-Control-Request-Method", "POST"}});
}

}  // namespace

TEST_CASE("e2e cors: preflights, merchant calls and listings from an allowed origin",
          "[e2e][plugins][cors]") {
  PlatformOptions options;
  options.extra_gateway_yaml =
      "plugins:\n  - name: cors\n    config: {allow_origins: [\"" + kShop + "\"]}\n";
  Platform platform(options);
  MerchantKey key = platform.add_hmac_merchant("MCORS", SignType::kHmacSha256);
  platform.start_gateway();

  HttpResponse ok = preflight(*platform.http, kShop);
  CHECK(ok.status == 204);
  CHECK(ok.headers["access-control-allow-origin"] == kShop);
  CHECK(ok.headers["access-control-allow-methods"].find("POST") != std::string::npos);
  CHECK(ok.headers["access-control-max-age"] == "600");
  CHECK(ok.headers["vary"].find("Origin") != std::string::npos);
  CHECK(ok.headers.count("content-length") == 0);  // RFC 9110: none on a 204
  CHECK(ok.body.empty());

  HttpResponse refused = preflight(*platform.http, "https://evil.example");
  CHECK(refused.status == 403);
  CHECK(refused.headers.count("access-control-allow-origin") == 0);

  // A signed call from the page: the browser may read the response signature headers.
  MerchantClient merchant = platform.merchant(key);
  Params params = merchant.params("queryorder", R"({"out_order_no":"X"})");
  merchant.sign(params);
  HttpResponse call = merchant.post("payment", params, false, {{"Origin", kShop}});
  INFO(call.body);
  CHECK(call.status == 200);
  CHECK(call.headers["access-control-allow-origin"] == kShop);
  CHECK(call.headers["access-control-expose-headers"].find("X-Opp-Signature") != std::string::npos);

  HttpResponse routes =
      platform.http->request("GET", "/gateway/routes", "", "", {{"Origin", kShop}});
  CHECK(routes.status == 200);
  CHECK(routes.headers["access-control-allow-origin"] == kShop);
  HttpResponse health = platform.http->request("GET", "/healthz", "", "", {{"Origin", kShop}});
  CHECK(health.status == 200);
  CHECK(health.headers.count("access-control-allow-origin") == 0);
}

TEST_CASE("e2e cors: another plugin's 429 carries the CORS headers and Retry-After",
          "[e2e][plugins][cors]") {
  PlatformOptions options;
  options.extra_gateway_yaml =
      "plugins:\n  - name: cors\n    config: {allow_origins: [\"*\"]}\n"
      "  - name: rate-limit\n    config: {per_merchant: {rate: 0.001, burst: 1}}\n";
  Platform platform(options);
  MerchantKey key = platform.add_hmac_merchant("MCRL", SignType::kHmacSha256);
  platform.start_gateway();
  MerchantClient merchant = platform.merchant(key);
  auto call = [&] {
    Params params = merchant.params("queryorder", R"({"out_order_no":"X"})");
    merchant.sign(params);
    return merchant.post("payment", params, false, {{"Origin", kShop}});
  };
  CHECK(call().status == 200);
  HttpResponse limited = call();
  INFO(limited.body);
  CHECK(limited.status == 429);
  CHECK(limited.headers["access-control-allow-origin"] == "*");
  CHECK(limited.headers.count("retry-after") == 1);
  CHECK(limited.headers["access-control-expose-headers"].find("Retry-After") != std::string::npos);
}

TEST_CASE("e2e request-log: one redacted line per merchant call, never the signature",
          "[e2e][plugins][request-log]") {
  PlatformOptions options;
  Platform platform(options);
  const std::filesystem::path log = platform.dir.path() / "requests.log";
  platform.dir.write("gateway.yaml", read_text(platform.dir.path() / "gateway.yaml") +
                                         "plugins:\n  - name: request-log\n    config: {path: \"" +
                                         log.string() + "\", redact_fields: [card_no]}\n");
  MerchantKey key = platform.add_hmac_merchant("MLOG", SignType::kHmacSha256);
  platform.start_gateway();
  MerchantClient merchant = platform.merchant(key);
  Params params =
      merchant.params("queryorder", R"({"out_order_no":"X","card_no":"6222020202020202"})");
  merchant.sign(params);
  std::string sign;
  for (const auto& [k, v] : params)
    if (k == "sign") sign = v;
  HttpResponse r = merchant.post("payment", params);
  CHECK(r.sub_code() == "order-not-found");  // unknown biz_params members are ignored
  CHECK(platform.http->request("POST", "/gateway/nope", "application/x-www-form-urlencoded", "a=b")
            .status == 404);

  std::string text;
  for (auto deadline = std::chrono::steady_clock::now() + 4s;
       std::chrono::steady_clock::now() < deadline; std::this_thread::sleep_for(50ms)) {
    text = read_text(log);
    if (std::count(text.begin(), text.end(), '\n') >= 2) break;
  }
  INFO(text);
  REQUIRE(std::count(text.begin(), text.end(), '\n') == 2);
  CHECK(text.find("6222020202020202") == std::string::npos);
  CHECK(text.find(sign) == std::string::npos);
  std::istringstream lines(text);
  std::string line;
  std::getline(lines, line);
  rapidjson::Document first;
  REQUIRE_FALSE(first.Parse(line.c_str()).HasParseError());
  CHECK(std::string(first["merchant"].GetString()) == "MLOG");
  CHECK(first["err_code"].GetInt() == 20002);
  CHECK(first["status"].GetInt() == 200);
  CHECK(line.find(R"("card_no":"***")") != std::string::npos);
  std::getline(lines, line);
  rapidjson::Document second;
  REQUIRE_FALSE(second.Parse(line.c_str()).HasParseError());
  CHECK(std::string(second["svc"].GetString()) == "nope");
  CHECK(second["err_code"].GetInt() == 10003);
}

TEST_CASE("e2e cors and request-log: bad configs stop the gateway with one line",
          "[e2e][plugins]") {
  struct Case {
    std::string yaml, expected;
  };
  const Case cases[] = {
      {"plugins:\n  - name: request-log\n    config: {path: /dev/null/x}\n", "path"},
      {"plugins:\n  - name: request-log\n    config: {}\n", "path"},
      {"plugins:\n  - name: cors\n    config: {allow_origins: [\"shop.example/x\"]}\n",
       "allow_origins[0]"},
      {"plugins:\n  - name: cors\n    config: {allow_origins: []}\n", "allow_origins"},
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
