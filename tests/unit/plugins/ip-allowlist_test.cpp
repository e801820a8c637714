// The ip-allowlist plugin through its opp_plugin table and the gateway's host table.

#include "ip-allowlist/ip-allowlist.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "opp/common/error.hpp"
#include "plugin_call_harness.hpp"

using opp::plugins::ip_allowlist_plugin;
using opp::plugins::testing::create_error;
using opp::plugins::testing::Instance;
using opp::plugins::testing::MerchantCall;

namespace {

constexpr const char* kConfig = R"(
merchants:
  M1: ["10.0.0.0/8", "2001:db8::/32", "198.51.100.7"]
  M2: ["::1"]
  M3: []
)";

// The verdict for `merchant` calling from `address`; a refusal is checked in full.
bool allowed(const Instance& plugin, const char* merchant, const char* address) {
  MerchantCall call(merchant, "pay", address);
  const opp_verdict verdict = plugin.on_call(call.request());
  const opp_request& r = *call.request();
  INFO(merchant << " from " << address);
  CHECK(r.added_headers.empty());
  if (verdict == OPP_CONTINUE) {
    CHECK_FALSE(r.rejection);
    return true;
  }
  REQUIRE(r.rejection);
  CHECK(r.rejection->code == opp::ErrorCode::kUnauthorized);
  CHECK(r.rejection->sub_code == "ip-not-allowed");
  CHECK(r.rejection->message ==
        "client address " + std::string(address) + " is not allowed for merchant " + merchant);
  return false;
}

}  // namespace

TEST_CASE("ip-allowlist's table: ABI version, name, the hooks it has", "[ip-allowlist]") {
  const opp_plugin* plugin = ip_allowlist_plugin();
  CHECK(plugin->abi_version == OPP_PLUGIN_ABI_VERSION);
  CHECK(std::string(plugin->name) == "ip-allowlist");
  CHECK(plugin->version != nullptr);
  CHECK(plugin->reconfigure != nullptr);
  CHECK(plugin->on_call != nullptr);
  CHECK(plugin->on_http == nullptr);
  CHECK(plugin->on_response == nullptr);
}

TEST_CASE("ip-allowlist lets a listed merchant call from its blocks only", "[ip-allowlist]") {
  Instance plugin(ip_allowlist_plugin(), kConfig);
  CHECK(allowed(plugin, "M1", "10.20.30.40"));
  CHECK(allowed(plugin, "M1", "2001:db8:1::5"));
  CHECK(allowed(plugin, "M1", "198.51.100.7"));
  CHECK_FALSE(allowed(plugin, "M1", "198.51.100.8"));
  CHECK_FALSE(allowed(plugin, "M1", "11.0.0.1"));
  CHECK_FALSE(allowed(plugin, "M1", "2001:db9::1"));
  CHECK_FALSE(allowed(plugin, "M1", "::1"));
  CHECK(allowed(plugin, "M2", "::1"));
  CHECK_FALSE(allowed(plugin, "M2", "127.0.0.1"));  // ::1 is not 127.0.0.1
}

TEST_CASE("ip-allowlist's refusal answers 403 through the code table", "[ip-allowlist]") {
  Instance plugin(ip_allowlist_plugin(), kConfig);
  MerchantCall call("M1", "pay", "192.0.2.1");
  REQUIRE(plugin.on_call(call.request()) == OPP_STOP);
  const opp::Error& error = *call.request()->rejection;
  const opp::SubCodeInfo* info = opp::find_sub_code(error.code, error.sub_code);
  REQUIRE(info);
  CHECK(info->http_status == 403);
}

TEST_CASE("ip-allowlist: IPv4-mapped IPv6 clients match IPv4 rules", "[ip-allowlist]") {
  Instance plugin(ip_allowlist_plugin(), kConfig);
  CHECK(allowed(plugin, "M1", "::ffff:10.1.2.3"));
  CHECK(allowed(plugin, "M1", "::ffff:198.51.100.7"));
  CHECK_FALSE(allowed(plugin, "M1", "::ffff:11.1.2.3"));
}

TEST_CASE("ip-allowlist lets unlisted merchants and calls without a merchant pass",
          "[ip-allowlist]") {
  Instance plugin(ip_allowlist_plugin(), kConfig);
  CHECK(allowed(plugin, "M9", "203.0.113.1"));
  CHECK(allowed(plugin, "M9", "garbage"));
  CHECK(allowed(plugin, "", "203.0.113.1"));
  CHECK(allowed(plugin, "m1", "203.0.113.1"));  // merchant ids are case-sensitive
  Instance empty(ip_allowlist_plugin(), "merchants: {}");
  CHECK(allowed(empty, "M1", "203.0.113.1"));
}

TEST_CASE("ip-allowlist fails closed: an empty list or an unreadable address denies",
          "[ip-allowlist]") {
  Instance plugin(ip_allowlist_plugin(), kConfig);
  CHECK_FALSE(allowed(plugin, "M3", "10.0.0.1"));
  CHECK_FALSE(allowed(plugin, "M3", "::1"));
  CHECK_FALSE(allowed(plugin, "M1", ""));
  CHECK_FALSE(allowed(plugin, "M1", "not-an-address"));
}

TEST_CASE("ip-allowlist ignores the zone of a link-local client address", "[ip-allowlist]") {
  Instance plugin(ip_allowlist_plugin(), "merchants: {M1: ['fe80::/10']}");
  CHECK(allowed(plugin, "M1", "fe80::1%eth0"));
  CHECK_FALSE(allowed(plugin, "M1", "fec0::1%eth0"));
}

TEST_CASE("ip-allowlist refuses each bad config with one line naming the key",
          "[ip-allowlist][config]") {
  const opp_plugin* plugin = ip_allowlist_plugin();
  const std::vector<std::pair<std::string, std::string>> cases{
      {"{}", "merchants: required"},
      {"", "merchants: required"},
      {"[1]", "config: expected a mapping"},
      {"merchant: {}", "merchant: unknown key"},
      {"{merchants: {}, extra: 1}", "extra: unknown key"},
      {"merchants: [10.0.0.0/8]", "merchants: expected a mapping of merchant ids"},
      {"merchants: 5", "merchants: expected a mapping of merchant ids"},
      {"merchants:", "merchants: expected a mapping of merchant ids"},
      {"merchants: {M1: 10.0.0.0/8}", "merchants.M1: expected a list of CIDRs"},
      {"merchants: {M1: }", "merchants.M1: expected a list of CIDRs"},
      {"merchants: {M1: {a: b}}", "merchants.M1: expected a list of CIDRs"},
      {"merchants: {M1: [[10.0.0.0/8]]}", "merchants.M1[0]: expected a string"},
      {"merchants: {'': [10.0.0.0/8]}", "merchants: a merchant id is empty"},
      {"merchants: {[a]: [10.0.0.0/8]}", "merchants: expected merchant ids as keys"},
      {"merchants: {M1: [10.0.0.0/8], M1: [::1]}", "merchants.M1: listed twice"},
      {"merchants: {M1: [10.0.0.300/8]}",
       "merchants.M1[0]: \"10.0.0.300\" is not an IPv4 or IPv6 address"},
      {"merchants: {M1: [10.0.0.0/8, 'fe80::1%eth0']}",
       "merchants.M1[1]: \"fe80::1%eth0\" is not an IPv4 or IPv6 address"},
      {"merchants: {M1: [10.0.0.0/8], M2: [10.0.0.0/33]}",
       "merchants.M2[0]: prefix /33 is out of range for IPv4 (0-32)"},
      {"merchants: {M1: ['2001:db8::/129']}",
       "merchants.M1[0]: prefix /129 is out of range for IPv6 (0-128)"},
      {"merchants: {M1: [10.0.0.0/x]}",
       "merchants.M1[0]: expected a prefix length after '/' in \"10.0.0.0/x\""},
      {"merchants: {M1: [192.168.1.1/24]}",
       "merchants.M1[0]: 192.168.1.1/24 has host bits set after the prefix; the network is "
       "192.168.1.0/24"},
      {"merchants: {M1: ['2001:db8::1/32']}",
       "merchants.M1[0]: 2001:db8::1/32 has host bits set after the prefix; the network is "
       "2001:db8::/32"},
      {"merchants: {M1: [10]}", "merchants.M1[0]: \"10\" is not an IPv4 or IPv6 address"},
  };
  for (const auto& [yaml, expected] : cases) {
    INFO("config: " << yaml);
    CHECK(create_error(plugin, yaml) == expected);
  }
  const std::string syntax = create_error(plugin, "merchants: {M1: [");
  CHECK(syntax.rfind("config: line ", 0) == 0);
}

TEST_CASE("ip-allowlist reconfigure swaps the rules, a bad config keeps the old ones",
          "[ip-allowlist][reconfigure]") {
  Instance plugin(ip_allowlist_plugin(), "merchants: {M1: [10.0.0.0/8]}");
  CHECK(allowed(plugin, "M1", "10.0.0.1"));
  CHECK(allowed(plugin, "M2", "10.0.0.1"));
  REQUIRE(plugin.reconfigure("merchants: {M2: [192.168.0.0/16]}") == "");
  CHECK(allowed(plugin, "M1", "203.0.113.1"));  // no longer listed
  CHECK_FALSE(allowed(plugin, "M2", "10.0.0.1"));
  CHECK(allowed(plugin, "M2", "192.168.3.4"));
  CHECK(plugin.reconfigure("merchants: {M2: [192.168.0.1/16]}") ==
        "merchants.M2[0]: 192.168.0.1/16 has host bits set after the prefix; the network is "
        "192.168.0.0/16");
  CHECK(plugin.reconfigure("merchants: {M2: [10.0.0.0/8], M3: [bad]}") ==
        "merchants.M3[0]: \"bad\" is not an IPv4 or IPv6 address");
  CHECK(allowed(plugin, "M2", "192.168.3.4"));  // the last good rules, whole
  CHECK_FALSE(allowed(plugin, "M2", "10.0.0.1"));
}

TEST_CASE("ip-allowlist: threads calling while the rule table is swapped see whole tables",
          "[ip-allowlist][concurrency][reconfigure]") {
  // A and B differ on 10/8 and agree elsewhere: every answer where they agree must be that
  // answer whichever table a call saw, however often the tables are swapped under it.
  constexpr const char* kA = "merchants: {M1: [10.0.0.0/8, 172.16.0.0/12], M2: ['::1']}";
  constexpr const char* kB = "merchants: {M1: [172.16.0.0/12, 192.168.0.0/16], M2: ['::1']}";
  Instance plugin(ip_allowlist_plugin(), kA);
  std::atomic<bool> stop{false};
  std::atomic<long> rounds{0}, wrong{0}, swapped_allowed{0}, swapped_denied{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      MerchantCall both("M1", "pay", "::ffff:172.16.5.5"), neither("M1", "pay", "8.8.8.8"),
          local("M2", "pay", "::1"), unlisted("M9", "pay", "8.8.8.8"),
          swapped("M1", "pay", "10.1.1.1");
      while (!stop.load()) {
        if (plugin.on_call(both.reset()) != OPP_CONTINUE) wrong.fetch_add(1);
        if (plugin.on_call(neither.reset()) != OPP_STOP) wrong.fetch_add(1);
        if (plugin.on_call(local.reset()) != OPP_CONTINUE) wrong.fetch_add(1);
        if (plugin.on_call(unlisted.reset()) != OPP_CONTINUE) wrong.fetch_add(1);
        (plugin.on_call(swapped.reset()) == OPP_CONTINUE ? swapped_allowed : swapped_denied)
            .fetch_add(1);
        rounds.fetch_add(1);
      }
    });
  for (int i = 0; i < 500; ++i) REQUIRE(plugin.reconfigure(i % 2 ? kA : kB) == "");
  stop.store(true);
  for (auto& thread : threads) thread.join();
  INFO(rounds.load() << " rounds; 10.1.1.1 allowed " << swapped_allowed.load() << ", denied "
                     << swapped_denied.load());
  CHECK(wrong.load() == 0);
  CHECK(rounds.load() > 0);
  // The last table (A) applies.
  CHECK(allowed(plugin, "M1", "10.1.1.1"));
  CHECK_FALSE(allowed(plugin, "M1", "192.168.1.1"));
}
