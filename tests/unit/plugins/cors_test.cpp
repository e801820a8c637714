// The cors plugin through its opp_plugin table and the gateway's host table: preflights
// (allowed, refused), simple requests, the routes it covers and those it leaves alone,
// every bad config, reconfigure under concurrent requests.
#include <catch2/catch.hpp>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "cors/cors.hpp"
#include "hook_request.hpp"
#include "opp/crypto/response_signature.hpp"

using opp::gateway::http::Method;
using opp::plugins::testing::create_error;
using opp::plugins::testing::HookRequest;
using opp::plugins::testing::Instance;

namespace {

const opp_plugin* plugin() {
  return opp::plugins::cors_plugin();
}

constexpr const char* kConfig =
    "allow_origins: [\"https://shop.example\", \"http://localhost:8080\"]";

HookRequest preflight(const std::string& path, const std::string& origin,
                      const std::string& method = "POST") {
  return HookRequest(Method::kOptions, path,
                     {{"Origin", origin},
                      {"Access-Control-Request-Method", method},
                      {"Access-Control-Request-Headers", "content-type"}});
}

}  // namespace

TEST_CASE("cors: the plugin table", "[plugins][cors]") {
  CHECK(plugin()->abi_version == OPP_PLUGIN_ABI_VERSION);
  CHECK(std::string(plugin()->name) == "cors");
  CHECK(plugin()->reconfigure != nullptr);
  CHECK(plugin()->on_http != nullptr);
  // Everything happens before routing: the gateway need not call it again.
  CHECK(plugin()->on_call == nullptr);
  CHECK(plugin()->on_response == nullptr);
}

TEST_CASE("cors: a preflight from an allowed origin is answered 204", "[plugins][cors]") {
  Instance cors(plugin(), kConfig);

  SECTION("to a listing route") {
    HookRequest r = preflight("/gateway/openapi.json", "https://shop.example", "GET");
    CHECK(cors.on_http(r.get()) == OPP_STOP);
    REQUIRE(r.request.answer);
    CHECK(r.request.answer->status == 204);
    CHECK(r.request.answer->body.empty());
    REQUIRE(r.added("Access-Control-Allow-Origin"));
    CHECK(*r.added("Access-Control-Allow-Origin") == "https://shop.example");
    CHECK(*r.added("Vary") == "Origin");
    CHECK(*r.added("Access-Control-Allow-Methods") == "GET, OPTIONS");
    CHECK(*r.added("Access-Control-Allow-Headers") == "Content-Type, X-Request-Id");
    CHECK(*r.added("Access-Control-Max-Age") == "600");
    CHECK(r.count("Access-Control-Allow-Origin") == 1);
    CHECK_FALSE(r.added("Access-Control-Allow-Credentials"));
  }
  SECTION("to the merchant API") {
    HookRequest r = preflight("/gateway/payment", "http://localhost:8080");
    CHECK(cors.on_http(r.get()) == OPP_STOP);
    REQUIRE(r.request.answer);
    CHECK(r.request.answer->status == 204);
    CHECK(*r.added("Access-Control-Allow-Origin") == "http://localhost:8080");
    CHECK(*r.added("Access-Control-Allow-Methods") == "POST, OPTIONS");
  }
  SECTION("every listing route, with or without a query string") {
    for (const char* path : {"/gateway/routes", "/gateway/docs", "/gateway/openapi.json?x=1"}) {
      HookRequest r = preflight(path, "https://shop.example", "GET");
      CHECK(cors.on_http(r.get()) == OPP_STOP);
      REQUIRE(r.added("Access-Control-Allow-Methods"));
      CHECK(*r.added("Access-Control-Allow-Methods") == "GET, OPTIONS");
    }
  }
}

TEST_CASE("cors: configured headers and max age; \"*\" answers any origin", "[plugins][cors]") {
  Instance cors(plugin(),
                "allow_origins: ['*']\nallow_headers: [Content-Type, X-Trace]\nmax_age_s: 0");
  HookRequest r = preflight("/gateway/payment", "https://anyone.example");
  CHECK(cors.on_http(r.get()) == OPP_STOP);
  REQUIRE(r.request.answer);
  CHECK(r.request.answer->status == 204);
  CHECK(*r.added("Access-Control-Allow-Origin") == "*");
  CHECK_FALSE(r.added("Vary"));  // the answer is the same for every origin
  CHECK(*r.added("Access-Control-Allow-Headers") == "Content-Type, X-Trace");
  CHECK(*r.added("Access-Control-Max-Age") == "0");

  Instance no_headers(plugin(), "allow_origins: ['*']\nallow_headers: []");
  HookRequest bare = preflight("/gateway/payment", "https://anyone.example");
  CHECK(no_headers.on_http(bare.get()) == OPP_STOP);
  CHECK_FALSE(bare.added("Access-Control-Allow-Headers"));
}

TEST_CASE("cors: a preflight from another origin is refused with 403 and no CORS headers",
          "[plugins][cors]") {
  Instance cors(plugin(), kConfig);
  for (const char* origin : {"https://evil.example", "https://shop.example.evil", "null",
                             "http://shop.example", "http://localhost:8081", ""}) {
    HookRequest r = preflight("/gateway/payment", origin);
    CHECK(cors.on_http(r.get()) == OPP_STOP);
    REQUIRE(r.request.answer);
    CHECK(r.request.answer->status == 403);
    CHECK_FALSE(r.added("Access-Control-Allow-Origin"));
    CHECK_FALSE(r.added("Access-Control-Allow-Methods"));
    CHECK_FALSE(r.added("Access-Control-Allow-Headers"));
  }
}

TEST_CASE("cors: a simple request from an allowed origin gets Allow-Origin and Expose-Headers",
          "[plugins][cors]") {
  Instance cors(plugin(), kConfig);
  HookRequest post(Method::kPost, "/gateway/payment", {{"origin", "https://shop.example"}});
  CHECK(cors.on_http(post.get()) == OPP_CONTINUE);  // the gateway answers it
  CHECK_FALSE(post.request.answer);
  CHECK(*post.added("Access-Control-Allow-Origin") == "https://shop.example");
  CHECK(*post.added("Vary") == "Origin");
  REQUIRE(post.added("Access-Control-Expose-Headers"));
  const std::string exposed = *post.added("Access-Control-Expose-Headers");
  for (std::string_view name :
       {opp::crypto::kTimestampHeader, opp::crypto::kNonceHeader, opp::crypto::kSignTypeHeader,
        opp::crypto::kSignatureHeader, std::string_view("X-Request-Id")})
    CHECK(exposed.find(name) != std::string::npos);
  CHECK_FALSE(post.added("Access-Control-Allow-Methods"));

  HookRequest get(Method::kGet, "/gateway/routes", {{"Origin", "https://shop.example"}});
  CHECK(cors.on_http(get.get()) == OPP_CONTINUE);
  CHECK(*get.added("Access-Control-Allow-Origin") == "https://shop.example");
  CHECK(*get.added("Access-Control-Expose-Headers") == "X-Request-Id");

  // OPTIONS without Access-Control-Request-Method is no preflight: the gateway answers.
  HookRequest options(Method::kOptions, "/gateway/payment", {{"Origin", "https://shop.example"}});
  CHECK(cors.on_http(options.get()) == OPP_CONTINUE);
  CHECK_FALSE(options.request.answer);
  CHECK(*options.added("Access-Control-Allow-Origin") == "https://shop.example");
}

TEST_CASE("cors: a simple request from another origin or none gets no Allow-Origin",
          "[plugins][cors]") {
  Instance cors(plugin(), kConfig);
  HookRequest other(Method::kPost, "/gateway/payment", {{"Origin", "https://evil.example"}});
  CHECK(cors.on_http(other.get()) == OPP_CONTINUE);
  CHECK_FALSE(other.request.answer);
  CHECK_FALSE(other.added("Access-Control-Allow-Origin"));
  CHECK_FALSE(other.added("Access-Control-Expose-Headers"));
  CHECK(*other.added("Vary") == "Origin");  // a cache must not serve it to shop.example

  HookRequest none(Method::kPost, "/gateway/payment");
  CHECK(cors.on_http(none.get()) == OPP_CONTINUE);
  CHECK_FALSE(none.added("Access-Control-Allow-Origin"));
  CHECK(*none.added("Vary") == "Origin");
}

TEST_CASE("cors: routes outside the listings and /gateway/{svc} are left alone",
          "[plugins][cors]") {
  Instance cors(plugin(), "allow_origins: ['*']");
  for (const char* path : {"/healthz", "/metrics", "/gateway/_status", "/gateway/platform-key",
                           "/gateway/", "/gateway/a/b", "/gatewayx/payment", "/"}) {
    HookRequest pre = preflight(path, "https://shop.example");
    CHECK(cors.on_http(pre.get()) == OPP_CONTINUE);
    CHECK_FALSE(pre.request.answer);
    CHECK(pre.request.added_headers.empty());
    HookRequest simple(Method::kGet, path, {{"Origin", "https://shop.example"}});
    CHECK(cors.on_http(simple.get()) == OPP_CONTINUE);
    CHECK(simple.request.added_headers.empty());
  }
}

TEST_CASE("cors: origins compare in their serialized form", "[plugins][cors]") {
  Instance cors(plugin(),
                "allow_origins: ['HTTPS://Shop.Example:443', 'http://[::1]:8080', "
                "'http://h.example:80']");
  auto allowed = [&](const std::string& origin) {
    HookRequest r(Method::kPost, "/gateway/payment", {{"Origin", origin}});
    cors.on_http(r.get());
    return r.added("Access-Control-Allow-Origin") != nullptr;
  };
  CHECK(allowed("https://shop.example"));
  CHECK(allowed("https://shop.example:443"));
  CHECK(allowed("http://[::1]:8080"));
  CHECK(allowed("http://h.example"));
  CHECK_FALSE(allowed("http://shop.example"));
  CHECK_FALSE(allowed("https://shop.example:8443"));
  CHECK_FALSE(allowed("http://[::1]"));
  CHECK_FALSE(allowed("https://shop.example/"));
}

TEST_CASE("cors: every bad config is one line naming the key, and no instance", "[plugins][cors]") {
  struct Case {
    const char* yaml;
    const char* error_start;
  };
  const Case cases[] = {
      {"{}", "allow_origins: required"},
      {"allow_origins: https://x", "allow_origins: expected a list"},
      {"allow_origins: []", "allow_origins: expected at least one origin"},
      {"allow_origins: [[a]]", "allow_origins[0]: expected a string"},
      {"allow_origins: ['https://x/']", "allow_origins[0]: expected \"*\" or scheme://host[:port]"},
      {"allow_origins: ['*', 'https://x/p']", "allow_origins[1]: expected \"*\""},
      {"allow_origins: ['x.example']", "allow_origins[0]: expected"},
      {"allow_origins: ['https://']", "allow_origins[0]: expected"},
      {"allow_origins: ['https://x:0']", "allow_origins[0]: expected"},
      {"allow_origins: ['https://x:65536']", "allow_origins[0]: expected"},
      {"allow_origins: ['https://x:']", "allow_origins[0]: expected"},
      {"allow_origins: ['https://u@x']", "allow_origins[0]: expected"},
      {"allow_origins: ['https://x?q=1']", "allow_origins[0]: expected"},
      {"allow_origins: ['https://x#f']", "allow_origins[0]: expected"},
      {"allow_origins: ['null']", "allow_origins[0]: expected"},
      {"allow_origins: ['*']\nallow_headers: Content-Type", "allow_headers: expected a list"},
      {"allow_origins: ['*']\nallow_headers: ['Bad Header']",
       "allow_headers[0]: expected a header name, got \"Bad Header\""},
      {"allow_origins: ['*']\nallow_headers: [X-A, 'X:B']", "allow_headers[1]: expected a header"},
      {"allow_origins: ['*']\nmax_age_s: -1", "max_age_s: expected a whole number of seconds"},
      {"allow_origins: ['*']\nmax_age_s: 1.5", "max_age_s: expected a whole number"},
      {"allow_origins: ['*']\nmax_age_s: 86401", "max_age_s: expected a whole number"},
      {"allow_origins: ['*']\nmax_age_s: soon", "max_age_s: expected a whole number"},
      {"allow_origins: ['*']\nmax_age_s: [1]", "max_age_s: expected a whole number"},
      {"allow_origins: ['*']\nallow_methods: [GET]", "allow_methods: unknown key"},
      {"allow_origins: ['*'", "config: line 1"},
      {"[1, 2]", "config: expected a mapping"},
  };
  for (const Case& c : cases) {
    INFO(c.yaml);
    const std::string error = create_error(plugin(), c.yaml);
    CHECK(error.rfind(c.error_start, 0) == 0);
    CHECK(error.find('\n') == std::string::npos);
  }
}

TEST_CASE("cors: reconfigure swaps the config; a bad one keeps the old", "[plugins][cors]") {
  Instance cors(plugin(), kConfig);
  auto allow_origin = [&](const std::string& origin) -> std::string {
    HookRequest r = preflight("/gateway/payment", origin);
    cors.on_http(r.get());
    const std::string* value = r.added("Access-Control-Allow-Origin");
    return value ? *value : "";
  };
  CHECK(allow_origin("https://shop.example") == "https://shop.example");
  CHECK(cors.reconfigure("allow_origins: ['https://new.example']\nmax_age_s: 5").empty());
  CHECK(allow_origin("https://shop.example").empty());
  CHECK(allow_origin("https://new.example") == "https://new.example");
  CHECK(cors.reconfigure("allow_origins: []") == "allow_origins: expected at least one origin");
  CHECK(allow_origin("https://new.example") == "https://new.example");
}

TEST_CASE("cors: requests on many threads while the config is swapped see one config each",
          "[plugins][cors]") {
  // Two configs that differ in every header a preflight answers: a torn read would mix them.
  const std::string a = "allow_origins: ['https://a.example']\nallow_headers: [X-A]\nmax_age_s: 1";
  const std::string b = "allow_origins: ['*']\nallow_headers: [X-B]\nmax_age_s: 2";
  Instance cors(plugin(), a);
  std::atomic<bool> stop{false};
  std::atomic<int> inconsistent{0}, seen_a{0}, seen_b{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 3; ++t)
    threads.emplace_back([&] {
      while (!stop.load()) {
        HookRequest r = preflight("/gateway/payment", "https://a.example");
        if (cors.on_http(r.get()) != OPP_STOP || !r.request.answer) {
          ++inconsistent;
          continue;
        }
        const std::string origin = *r.added("Access-Control-Allow-Origin");
        const std::string headers = *r.added("Access-Control-Allow-Headers");
        const std::string age = *r.added("Access-Control-Max-Age");
        const bool is_a =
            origin == "https://a.example" && headers == "X-A" && age == "1" && r.count("Vary") == 1;
        const bool is_b = origin == "*" && headers == "X-B" && age == "2" && r.count("Vary") == 0;
        if (is_a) ++seen_a;
        if (is_b) ++seen_b;
        if (!is_a && !is_b) ++inconsistent;
      }
    });
  for (int i = 0; i < 2000; ++i) REQUIRE(cors.reconfigure(i % 2 ? a : b).empty());
  stop = true;
  for (auto& thread : threads) thread.join();
  CHECK(inconsistent == 0);
  CHECK(seen_a + seen_b > 0);
}
