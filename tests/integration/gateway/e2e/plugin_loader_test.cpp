// Plugins through the real gateway (SPEC §9): the example plugin, built out of tree
// against the installed package, loaded by path and run on real merchant calls; load and
// config errors as one line and exit 2; plugin config reloaded with the rest (SIGHUP).
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

std::string example_entry(const std::string& config, const std::string& svc = "") {
  return "plugins:\n  - path: \"" + std::string(OPP_EXAMPLE_PLUGIN) + "\"\n" +
         (svc.empty() ? "" : "    svc: [" + svc + "]\n") + "    config: " + config + "\n";
}

}  // namespace

TEST_CASE("e2e plugins: the example plugin loads by path and runs on merchant calls",
          "[e2e][plugins]") {
  PlatformOptions options;
  options.extra_gateway_yaml = example_entry("{deny_methods: [Refund]}");
  Platform platform(options);
  MerchantKey key = platform.add_hmac_merchant("MPLUG", SignType::kHmacSha256);
  platform.start_gateway();
  MerchantClient merchant = platform.merchant(key);

  SECTION("a listed method is rejected, signed, with the plugin's header") {
    HttpResponse r = merchant.call("payment", "refund", "{}");
    INFO(r.body);
    CHECK(r.status == 400);
    CHECK(r.err_code() == 10001);
    CHECK(r.sub_code() == "invalid-param");
    CHECK(merchant.verify(r));
    CHECK(r.headers["x-opp-merchant"] == "MPLUG");
  }
  SECTION("other methods pass through to the backend, tagged") {
    HttpResponse r = merchant.call("payment", "queryorder", kQuery);
    INFO(r.body);
    CHECK(r.status == 200);
    CHECK(r.err_code() == 20002);  // the backend answered: the plugin let it through
    CHECK(r.headers["x-opp-merchant"] == "MPLUG");
  }
  SECTION("a request that fails authentication never reaches the plugin's merchant hook") {
    MerchantKey wrong = key;
    wrong.secret = "not-the-secret";
    HttpResponse r = platform.merchant(wrong).call("payment", "refund", "{}");
    CHECK(r.status == 401);
    CHECK(r.sub_code() == "invalid-signature");
    CHECK(r.headers.count("x-opp-merchant") == 0);
  }
}

TEST_CASE("e2e plugins: a plugin scoped to other services does not see this one",
          "[e2e][plugins]") {
  PlatformOptions options;
  options.extra_gateway_yaml = example_entry("{deny_methods: [Refund]}", "other");
  Platform platform(options);
  MerchantKey key = platform.add_hmac_merchant("MSCOPE", SignType::kHmacSha256);
  platform.start_gateway();
  HttpResponse r = platform.merchant(key).call("payment", "refund", R"({"out_order_no":"X"})");
  INFO(r.body);
  CHECK(r.err_code() != 10001);  // the backend's own answer (20009: the refund is incomplete)
  CHECK(r.headers.count("x-opp-merchant") == 0);
}

TEST_CASE("e2e plugins: load and config errors are one line naming the plugin, exit 2",
          "[e2e][plugins]") {
  SECTION("an unknown built-in name") {
    CommandResult r = start_refused("plugins:\n  - name: no-such-plugin\n");
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("plugins[0] (no-such-plugin)") != std::string::npos);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  }
  SECTION("a .so that does not exist") {
    CommandResult r = start_refused("plugins:\n  - path: /nonexistent/libx.so\n");
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("cannot load") != std::string::npos);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  }
  SECTION("a plugin built for another ABI version") {
    CommandResult r =
        start_refused("plugins:\n  - path: \"" + std::string(OPP_WRONG_ABI_PLUGIN) + "\"\n");
    INFO(r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("built for plugin ABI version 2, this gateway speaks version 1") !=
          std::string::npos);
    CHECK(r.err.find("despite") == std::string::npos);  // none of its functions ran
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  }
  SECTION("a config the plugin refuses names the key") {
    CommandResult r = start_refused(example_entry("{deny_methods: Refund}"));
    INFO(r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("plugins[0] (") != std::string::npos);
    CHECK(r.err.find("deny_methods") != std::string::npos);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  }
  SECTION("an entry with neither name nor path") {
    CommandResult r = start_refused("plugins:\n  - svc: [payment]\n");
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("plugins[0]") != std::string::npos);
  }
}

TEST_CASE("e2e plugins: plugin config reloads on SIGHUP and a bad one keeps the old",
          "[e2e][plugins][reload]") {
  PlatformOptions options;
  Platform platform(options);
  MerchantKey key = platform.add_hmac_merchant("MHUP", SignType::kHmacSha256);
  const std::filesystem::path file = platform.dir.path() / "gateway.yaml";
  const std::string base = read_text(file);
  platform.dir.write("gateway.yaml", base + example_entry("{deny_methods: [Refund]}"));
  platform.start_gateway();
  MerchantClient merchant = platform.merchant(key);
  REQUIRE(merchant.call("payment", "refund", "{}").sub_code() == "invalid-param");

  auto until = [&](const std::string& method, const std::string& sub_code) {
    HttpResponse r;
    for (auto deadline = std::chrono::steady_clock::now() + 4s;
         std::chrono::steady_clock::now() < deadline; std::this_thread::sleep_for(50ms)) {
      r = merchant.call("payment", method, kQuery);
      if (r.sub_code() == sub_code) break;
    }
    return r;
  };
  platform.dir.write("gateway.yaml", base + example_entry("{deny_methods: [QueryOrder]}"));
  platform.gateway->signal(SIGHUP);
  CHECK(until("queryorder", "invalid-param").sub_code() == "invalid-param");
  CHECK(merchant.call("payment", "refund", kQuery).err_code() != 10001);

  // A refused config: the running plugins stay.
  platform.dir.write("gateway.yaml", base + example_entry("{deny_methods: 7}"));
  platform.gateway->signal(SIGHUP);
  std::this_thread::sleep_for(600ms);
  CHECK(merchant.call("payment", "queryorder", kQuery).sub_code() == "invalid-param");
  CHECK(platform.gateway->err().find("config reload refused") != std::string::npos);

  // Plugins removed: every call passes again, untagged.
  platform.dir.write("gateway.yaml", base);
  platform.gateway->signal(SIGHUP);
  HttpResponse r = until("queryorder", "order-not-found");
  CHECK(r.sub_code() == "order-not-found");
  CHECK(r.headers.count("x-opp-merchant") == 0);
}
