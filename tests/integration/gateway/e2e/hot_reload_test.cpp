// Hot reload through the real gateway (SPEC §2): files added, broken, fixed, emptied and
// deleted while it serves; includes; upstreams added to the config; and reloads under a
// continuous request loop.
#include <signal.h>

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "fake_thrift_server.hpp"
#include "platform.hpp"

using namespace opp::gateway::e2e;
using opp::crypto::SignType;
using opp::gateway::testing::FakeAction;
using opp::gateway::testing::FakeRequest;
using opp::gateway::testing::FakeThriftServer;
using namespace std::chrono_literals;

namespace {

std::string be16(int v) {
  return {char(v >> 8), char(v)};
}
std::string be32(uint32_t v) {
  return {char(v >> 24), char(v >> 16), char(v >> 8), char(v)};
}

// A reply whose success (field 0) is the string `s`.
std::string string_result(const std::string& s) {
  return "\x0b" + be16(0) + be32(uint32_t(s.size())) + s + std::string(1, '\0');
}

template <class F>
HttpResponse until(F call, const std::function<bool(const HttpResponse&)>& ok,
                   std::chrono::milliseconds within = 4s) {
  HttpResponse r;
  const auto deadline = std::chrono::steady_clock::now() + within;
  do {
    r = call();
    if (ok(r)) return r;
    std::this_thread::sleep_for(50ms);
  } while (std::chrono::steady_clock::now() < deadline);
  return r;
}

rapidjson::Document status(Platform& platform) {
  return platform.http->get("/gateway/_status").json();
}

const rapidjson::Value* file_status(const rapidjson::Document& doc, const std::string& name) {
  for (const auto& f : doc["files"].GetArray())
    if (name == f["file"].GetString()) return &f;
  return nullptr;
}

struct ReloadPlatform {
  TempDir idl{"opp-gateway-reload-idl-"};
  FakeThriftServer lab;
  std::unique_ptr<Platform> platform;
  std::unique_ptr<MerchantClient> merchant;

  ReloadPlatform() {
    std::filesystem::copy(std::string(OPP_SOURCE_DIR) + "/idl", idl.path(),
                          std::filesystem::copy_options::recursive);
    lab.set_handler([this](const FakeRequest& r) {
      return FakeAction::send(lab.reply(r, string_result("lab:" + r.name), r.seqid));
    });
    PlatformOptions options;
    options.idl_dir = idl.path().string();
    // Upstreams for services that do not exist yet are fine: they wait for their file.
    options.extra_gateway_yaml =
        "  lab:\n    endpoints: [\"127.0.0.1:" + std::to_string(lab.port()) +
        "\"]\n  shop:\n    endpoints: [\"127.0.0.1:" + std::to_string(lab.port()) + "\"]\n";
    platform = std::make_unique<Platform>(options);
    MerchantKey key = platform->add_hmac_merchant("MRELOAD", SignType::kHmacSha256);
    platform->start_gateway();
    merchant = std::make_unique<MerchantClient>(platform->merchant(key));
  }
  HttpResponse call_lab(const std::string& method) { return merchant->call("lab", method, "{}"); }
};

}  // namespace

TEST_CASE("e2e reload: a service file's life while the gateway serves", "[e2e][reload]") {
  ReloadPlatform p;
  REQUIRE(p.call_lab("Ping").err_code() == 10003);  // no lab.thrift yet

  // A new file becomes callable within 2 s.
  const auto written = std::chrono::steady_clock::now();
  p.idl.write("lab.thrift", "service Lab { string Ping() }\n");
  auto r = until([&] { return p.call_lab("Ping"); }, [](auto& x) { return x.err_code() == 0; });
  CHECK(r.err_code() == 0);
  CHECK(std::chrono::steady_clock::now() - written < 2s);
  CHECK(std::string(r.json()["data"].GetString()) == "lab:Ping");

  // A broken edit keeps the previous version serving; the error is in _status.
  p.idl.write("lab.thrift", "service Lab { string Ping( }\n");
  auto doc = status(*p.platform);
  for (int i = 0; i < 80 && !file_status(doc, "lab.thrift")->operator[]("last_error").IsString();
       ++i) {
    std::this_thread::sleep_for(50ms);
    doc = status(*p.platform);
  }
  const rapidjson::Value* lab = file_status(doc, "lab.thrift");
  REQUIRE(lab);
  REQUIRE((*lab)["last_error"].IsString());
  CHECK(std::string((*lab)["last_error"].GetString()).find("lab.thrift:1:") != std::string::npos);
  CHECK(std::string((*lab)["state"].GetString()) == "error");
  CHECK(p.call_lab("Ping").err_code() == 0);
  auto metrics = p.platform->http->get("/metrics").body;
  CHECK(metrics.find("opp_registry_reload_failures_total 0\n") == std::string::npos);

  // A fixed edit recovers, with the new function.
  p.idl.write("lab.thrift", "service Lab { string Ping(), string Pong() }\n");
  r = until([&] { return p.call_lab("Pong"); }, [](auto& x) { return x.err_code() == 0; });
  CHECK(r.err_code() == 0);
  doc = status(*p.platform);
  CHECK((*file_status(doc, "lab.thrift"))["last_error"].IsNull());

  // Emptying the file is an error for the service, which keeps its previous version.
  p.idl.write("lab.thrift", "");
  doc = status(*p.platform);
  for (int i = 0; i < 80 && !(*file_status(doc, "lab.thrift"))["last_error"].IsString(); ++i) {
    std::this_thread::sleep_for(50ms);
    doc = status(*p.platform);
  }
  CHECK((*file_status(doc, "lab.thrift"))["last_error"].IsString());
  CHECK(p.call_lab("Pong").err_code() == 0);

  // Deleting it removes the service.
  std::filesystem::remove(p.idl.path() / "lab.thrift");
  r = until([&] { return p.call_lab("Pong"); }, [](auto& x) { return x.err_code() == 10003; });
  CHECK(r.err_code() == 10003);
}

TEST_CASE("e2e reload: editors' write-then-rename and a subdirectory include", "[e2e][reload]") {
  ReloadPlatform p;
  // The included file lives in a subdirectory that does not exist yet.
  std::filesystem::create_directories(p.idl.path() / "shared");
  p.idl.write("shared/types.thrift", "struct Item { 1: string sku }\n");
  // Written elsewhere, then renamed into place, like an editor saves.
  p.idl.write("tmp.swp",
              "include \"shared/types.thrift\"\nservice Shop { string Buy(1: types.Item item) }\n");
  std::filesystem::rename(p.idl.path() / "tmp.swp", p.idl.path() / "shop.thrift");
  auto buy = [&](const std::string& biz) { return p.merchant->call("shop", "Buy", biz); };
  auto r = until([&] { return buy(R"({"sku":"A"})"); }, [](auto& x) { return x.err_code() == 0; });
  CHECK(r.err_code() == 0);
  // Buy's only argument is a struct, so biz_params is that struct (SPEC §3.1). A required
  // field added to the include makes its absence an error.
  p.idl.write("shared/types.thrift", "struct Item { 1: string sku, 2: required i32 count }\n");
  r = until([&] { return buy(R"({"sku":"A"})"); }, [](auto& x) { return x.err_code() == 10001; });
  CHECK(r.err_code() == 10001);
  CHECK(r.json()["sub_message"].GetString() ==
        std::string("biz_params.count: missing required field"));
}

TEST_CASE("e2e reload: a change to an included file reaches exactly its services",
          "[e2e][reload]") {
  ReloadPlatform p;
  p.idl.write("labtypes.thrift", "const string VERSION = \"1\"\n");
  p.idl.write("lab.thrift", "include \"labtypes.thrift\"\nservice Lab { string Ping() }\n");
  REQUIRE(until([&] { return p.call_lab("Ping"); }, [](auto& x) { return x.err_code() == 0; })
              .err_code() == 0);
  auto generation_of = [&] { return status(*p.platform)["generation"].GetUint64(); };
  const uint64_t before = generation_of();
  auto sha_of = [&](const std::string& file) {
    auto doc = status(*p.platform);
    return std::string((*file_status(doc, file))["loaded_at"].GetString());
  };
  const std::string payment_loaded = sha_of("payment.thrift");
  const std::string lab_loaded = sha_of("lab.thrift");
  p.idl.write("labtypes.thrift", "const string VERSION = \"2\"\n");
  for (int i = 0; i < 80 && generation_of() == before; ++i) std::this_thread::sleep_for(50ms);
  std::this_thread::sleep_for(300ms);
  CHECK(generation_of() > before);
  CHECK(sha_of("lab.thrift") != lab_loaded);          // reloaded: it includes the file
  CHECK(sha_of("payment.thrift") == payment_loaded);  // untouched: it does not
  CHECK(p.call_lab("Ping").err_code() == 0);
}

TEST_CASE("e2e reload: an upstream added to the config is callable within 2 s", "[e2e][reload]") {
  TempDir idl("opp-gateway-reload-idl-");
  std::filesystem::copy(std::string(OPP_SOURCE_DIR) + "/idl", idl.path(),
                        std::filesystem::copy_options::recursive);
  idl.write("lab.thrift", "service Lab { string Ping() }\n");
  FakeThriftServer lab;
  lab.set_handler([&](const FakeRequest& r) {
    return FakeAction::send(lab.reply(r, string_result("pong"), r.seqid));
  });
  PlatformOptions options;
  options.idl_dir = idl.path().string();
  Platform platform(options);
  MerchantKey key = platform.add_hmac_merchant("MUPS", SignType::kHmacSha256);
  platform.start_gateway();
  MerchantClient merchant = platform.merchant(key);
  REQUIRE(merchant.call("lab", "Ping", "{}").sub_code() == "no-upstream");

  std::ifstream in(platform.dir.path() / "gateway.yaml");
  std::stringstream text;
  text << in.rdbuf();
  const auto written = std::chrono::steady_clock::now();
  platform.dir.write("gateway.yaml", text.str() + "  lab:\n    endpoints: [\"127.0.0.1:" +
                                         std::to_string(lab.port()) + "\"]\n");
  auto r = until([&] { return merchant.call("lab", "Ping", "{}"); },
                 [](auto& x) { return x.err_code() == 0; });
  CHECK(r.err_code() == 0);
  CHECK(std::chrono::steady_clock::now() - written < 2s);

  // A bad new config is refused; the running upstreams keep serving.
  platform.dir.write("gateway.yaml", text.str() + "  lab:\n    endpoints: \"not a list\"\n");
  std::this_thread::sleep_for(600ms);
  CHECK(merchant.call("lab", "Ping", "{}").err_code() == 0);
  CHECK(platform.gateway->err().find("config reload refused") != std::string::npos);
  // SIGHUP reloads too: back to no upstream for lab.
  platform.dir.write("gateway.yaml", text.str());
  platform.gateway->signal(SIGHUP);
  r = until([&] { return merchant.call("lab", "Ping", "{}"); },
            [](auto& x) { return x.sub_code() == "no-upstream"; });
  CHECK(r.sub_code() == "no-upstream");
}

TEST_CASE("e2e reload: 20 reloads under a continuous request loop fail nothing", "[e2e][reload]") {
  ReloadPlatform p;
  p.idl.write("lab.thrift", "service Lab { string Ping() }\n");
  REQUIRE(until([&] { return p.call_lab("Ping"); }, [](auto& x) { return x.err_code() == 0; })
              .err_code() == 0);
  std::atomic<bool> done{false};
  std::atomic<int> ok{0}, bad{0};
  std::string first_bad;
  std::thread loop([&] {
    HttpClient http(p.platform->gateway_port);
    MerchantClient merchant(http, p.merchant->key(), p.platform->platform_key_pem);
    while (!done) {
      auto lab = merchant.call("lab", "Ping", "{}");
      auto pay = merchant.call("payment", "queryorder", R"({"out_order_no":"NONE"})");
      const bool lab_ok =
          lab.err_code() == 0 && std::string(lab.json()["data"].GetString()) == "lab:Ping";
      if (lab_ok && pay.err_code() == 20002) {
        ++ok;
      } else {
        if (bad++ == 0) first_bad = lab.body + " | " + pay.body;
      }
    }
  });
  for (int i = 0; i < 20; ++i) {
    // Alternate a changed service file and a changed shared include.
    p.idl.write("lab.thrift",
                "service Lab { string Ping(), string V" + std::to_string(i) + "() }\n");
    if (i % 2)
      p.idl.write(
          "common.thrift", std::string("// reload " + std::to_string(i) + "\n") + [&] {
            std::ifstream in(std::string(OPP_SOURCE_DIR) + "/idl/common.thrift");
            std::stringstream s;
            s << in.rdbuf();
            return s.str();
          }());
    std::this_thread::sleep_for(350ms);
  }
  done = true;
  loop.join();
  INFO(first_bad);
  CHECK(bad == 0);
  CHECK(ok > 20);
  auto doc = status(*p.platform);
  CHECK(doc["reloads"].GetUint64() >= 20);
}
