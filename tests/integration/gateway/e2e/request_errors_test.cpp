// Bad input through the real gateway: every 10001/10003/10004 case of SPEC §3.3 with its
// HTTP status and sub_code, malformed HTTP, oversized bodies, slow clients, hostile JSON;
// and the operational endpoints.
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "platform.hpp"

using namespace opp::gateway::e2e;
using opp::crypto::SignType;
using namespace std::chrono_literals;

namespace {

void expect_error(const HttpResponse& r, int status, int64_t code, const std::string& sub_code) {
  INFO(r.body);
  CHECK(r.status == status);
  CHECK(r.err_code() == code);
  CHECK(r.sub_code() == sub_code);
  CHECK_FALSE(r.header("x-request-id").empty());
  auto doc = r.json();
  REQUIRE(doc.IsObject());
  CHECK(doc.HasMember("err_message"));
  CHECK(doc.HasMember("sub_message"));
  CHECK_FALSE(doc.HasMember("data"));
}

std::string deep_json(int depth) {
  std::string s = R"({"out_order_no":"A","x":)";
  for (int i = 0; i < depth; ++i) s += "[";
  for (int i = 0; i < depth; ++i) s += "]";
  return s + "}";
}

}  // namespace

TEST_CASE("e2e: malformed requests get 10001 with the right sub_code", "[e2e][errors]") {
  PlatformOptions options;
  options.limits_yaml = "{max_body_bytes: 4096}";
  Platform platform(options);
  MerchantKey key = platform.add_hmac_merchant("MERR", SignType::kHmacSha256);
  platform.start_gateway();
  MerchantClient merchant = platform.merchant(key);
  HttpClient& http = *platform.http;

  SECTION("missing params, the sign included") {
    for (const char* name :
         {"merchant_id", "method", "timestamp", "nonce_str", "sign_type", "sign"}) {
      Params p = merchant.params("queryorder", "{}");
      merchant.sign(p);
      p.erase(name);
      auto r = merchant.post("payment", p);
      expect_error(r, 400, 10001, "missing-param");
      CHECK(r.json()["sub_message"].GetString() == "missing parameter " + std::string(name));
    }
  }
  SECTION("malformed params") {
    Params p = merchant.params("queryorder", "{}");
    p["nonce_str"] = "short";
    merchant.sign(p);
    expect_error(merchant.post("payment", p), 400, 10001, "invalid-param");
    p = merchant.params("queryorder", "{}");
    p["timestamp"] = "12ab";
    merchant.sign(p);
    expect_error(merchant.post("payment", p), 400, 10001, "invalid-param");
  }
  SECTION("a param given twice") {
    Params p = merchant.params("queryorder", "{}");
    merchant.sign(p);
    auto r = http.request("POST", "/gateway/payment", "application/x-www-form-urlencoded",
                          form_encode(p) + "&method=refund");
    expect_error(r, 400, 10001, "duplicate-param");
  }
  SECTION("an unsupported content type") {
    Params p = merchant.params("queryorder", "{}");
    merchant.sign(p);
    expect_error(http.request("POST", "/gateway/payment", "text/plain", form_encode(p)), 400, 10001,
                 "unsupported-content-type");
    expect_error(http.request("POST", "/gateway/payment", "", form_encode(p)), 400, 10001,
                 "unsupported-content-type");
  }
  SECTION("malformed JSON bodies") {
    expect_error(http.request("POST", "/gateway/payment", "application/json", "{\"merchant_id\":"),
                 400, 10001, "invalid-param");
    expect_error(http.request("POST", "/gateway/payment", "application/json",
                              R"({"merchant_id":"MERR","timestamp":1700000000})"),
                 400, 10001, "invalid-param");  // values must be strings
  }
  SECTION("a body over max_body_bytes: 413, and the connection closes") {
    Params p =
        merchant.params("queryorder", R"({"out_order_no":")" + std::string(5000, 'x') + "\"}");
    merchant.sign(p);
    auto r = merchant.post("payment", p);
    expect_error(r, 413, 10001, "body-too-large");
    CHECK_FALSE(r.keep_alive);
  }
  SECTION("biz_params: not JSON, wrong types, out of range, too deep") {
    auto r = merchant.call("payment", "queryorder", "{not json");
    expect_error(r, 400, 10001, "invalid-biz-params");
    CHECK_FALSE(r.header("x-opp-signature").empty());  // after authentication: signed
    CHECK(merchant.verify(r));
    r = merchant.call("payment", "queryorder", R"({"out_order_no":42})");
    expect_error(r, 400, 10001, "invalid-biz-params");
    CHECK(std::string(r.json()["sub_message"].GetString()) ==
          "biz_params.out_order_no: expected string, got number 42");
    r = merchant.call("payment", "unifypay", R"({"out_order_no":"A","total_amount":"abc"})");
    CHECK(std::string(r.json()["sub_message"].GetString()) ==
          "biz_params.total_amount: expected i64, got string \"abc\"");
    r = merchant.call("payment", "unifypay",
                      R"({"out_order_no":"A","total_amount":99999999999999999999})");
    expect_error(r, 400, 10001, "invalid-biz-params");
    r = merchant.call("payment", "queryorder", deep_json(100));
    expect_error(r, 400, 10001, "invalid-biz-params");
    CHECK(merchant.call("payment", "queryorder", deep_json(40)).err_code() == 20002);
  }
  SECTION("unknown svc: 10003 before anything else is looked at") {
    auto r = http.request("POST", "/gateway/nosuch", "application/x-www-form-urlencoded", "x=1");
    expect_error(r, 404, 10003, "unknown-service");
  }
  SECTION("unknown method: 10004, after authentication") {
    auto r = merchant.call("payment", "nosuchmethod", "{}");
    expect_error(r, 404, 10004, "unknown-method");
    CHECK(merchant.verify(r));
    // Case-sensitive, and a function of another service is not a method of this one.
    expect_error(merchant.call("payment", "QUERYORDER", "{}"), 404, 10004, "unknown-method");
  }
  SECTION("another HTTP method on the merchant API") {
    auto r = http.get("/gateway/payment");
    expect_error(r, 405, 10001, "method-not-allowed");
    CHECK(r.header("allow") == "POST");
  }
}

TEST_CASE("e2e: malformed HTTP and slow clients", "[e2e][errors]") {
  PlatformOptions options;
  options.http_yaml = "{header_timeout_ms: 500, body_timeout_ms: 500, idle_timeout_ms: 1000}";
  Platform platform(options);
  platform.start_gateway();

  auto r = platform.http->raw("GARBAGE\r\n\r\n");
  expect_error(r, 400, 10001, "malformed-http");

  // A client that sends half a request and stops is dropped after the body timeout.
  namespace asio = boost::asio;
  asio::io_context io;
  asio::ip::tcp::socket socket(io);
  socket.connect({asio::ip::make_address("127.0.0.1"), platform.gateway_port});
  asio::write(socket,
              asio::buffer(std::string(
                  "POST /gateway/payment HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n\r\nabc")));
  const auto started = std::chrono::steady_clock::now();
  char byte;
  boost::system::error_code ec;
  socket.read_some(asio::buffer(&byte, 1), ec);
  CHECK(ec);  // closed without an answer
  CHECK(std::chrono::steady_clock::now() - started < 5s);
  // The gateway still serves everyone else.
  CHECK(platform.http->get("/healthz").status == 200);
}

TEST_CASE("e2e: operational endpoints", "[e2e]") {
  Platform platform;
  MerchantKey key = platform.add_hmac_merchant("MOPS", SignType::kHmacSha256);
  platform.start_gateway();
  MerchantClient merchant = platform.merchant(key);
  merchant.call("payment", "queryorder", R"({"out_order_no":"X"})");

  auto health = platform.http->get("/healthz");
  CHECK(health.status == 200);
  CHECK(health.body == R"({"status":"ok"})");

  auto key_pem = platform.http->get("/gateway/platform-key");
  CHECK(key_pem.status == 200);
  CHECK(key_pem.body.rfind("-----BEGIN PUBLIC KEY-----", 0) == 0);
  CHECK(opp::crypto::PublicKey::from_pem(key_pem.body).ok());

  auto metrics = platform.http->get("/metrics");
  CHECK(metrics.status == 200);
  CHECK(metrics.header("content-type").rfind("text/plain", 0) == 0);
  CHECK(metrics.body.find(
            R"(opp_requests_total{svc="payment",method="QueryOrder",err_code="20002"} 1)") !=
        std::string::npos);
  CHECK(metrics.body.find("opp_request_duration_seconds_bucket") != std::string::npos);
  CHECK(metrics.body.find("opp_registry_generation 1") != std::string::npos);
  CHECK(metrics.body.find("opp_upstream_connections_open") != std::string::npos);

  auto missing = platform.http->get("/nothing-here");
  CHECK(missing.status == 404);
  CHECK(missing.sub_code() == "unknown-route");
}

TEST_CASE("e2e: the access log has one line per request and no secrets", "[e2e]") {
  Platform platform;
  MerchantKey key = platform.add_hmac_merchant("MLOG", SignType::kHmacSha256);
  platform.start_gateway();
  MerchantClient merchant = platform.merchant(key);
  Params p = merchant.params("queryorder", R"({"out_order_no":"SECRET-ORDER-42"})");
  merchant.sign(p);
  const std::string sign = p["sign"];
  merchant.post("payment", p);
  platform.http->request("POST", "/gateway/nosuch", "application/x-www-form-urlencoded", "a=b");
  platform.stop_gateway();  // flushes the log
  std::ifstream in(platform.dir.path() / "access.log");
  std::stringstream text;
  text << in.rdbuf();
  const std::string log = text.str();
  INFO(log);
  CHECK(std::count(log.begin(), log.end(), '\n') == 2);
  CHECK(
      log.find(
          R"("merchant":"MLOG","svc":"payment","method":"QueryOrder","err_code":20002,"status":200)") !=
      std::string::npos);
  CHECK(log.find(R"("err_code":10003,"status":404)") != std::string::npos);
  CHECK(log.find("\"upstream\":\"127.0.0.1:") != std::string::npos);
  CHECK(log.find(sign) == std::string::npos);
  CHECK(log.find(key.secret) == std::string::npos);
  CHECK(log.find("SECRET-ORDER-42") == std::string::npos);  // no biz_params
}
