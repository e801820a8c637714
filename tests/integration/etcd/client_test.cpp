// The etcd client against a real etcd: key-value, leases, watches, an unreachable etcd.

#include <signal.h>

#include <catch2/catch.hpp>
#include <mutex>
#include <thread>

#include "etcd_server.hpp"
#include "opp/etcd/registration.hpp"
#include "opp/etcd/watch.hpp"

using namespace opp::etcd;
using opp::etcd::test::EtcdServer;
using opp::etcd::test::eventually;

TEST_CASE("etcd: prefix_range_end bumps the last byte") {
  CHECK(prefix_range_end("opp/services/a/") == "opp/services/a0");
  CHECK(prefix_range_end("a\xff") == "b");
  CHECK(prefix_range_end("") == std::string(1, '\0'));
}

TEST_CASE("etcd client: put and range a prefix, with bytes that need base64") {
  EtcdServer etcd;
  Client client({etcd.endpoint()});
  REQUIRE(client.put("opp/services/x/1", "one"));
  REQUIRE(client.put("opp/services/x/2", std::string("t\0o\xff", 4)));
  REQUIRE(client.put("opp/services/xy/3", "not under x/"));
  auto range = client.range_prefix("opp/services/x/");
  REQUIRE(range);
  REQUIRE(range->kvs.size() == 2);
  CHECK(range->kvs[0].key == "opp/services/x/1");
  CHECK(range->kvs[0].value == "one");
  CHECK(range->kvs[1].value == std::string("t\0o\xff", 4));
  CHECK(range->revision >= range->kvs[1].mod_revision);
  REQUIRE(client.remove("opp/services/x/1"));
  auto after = client.range_prefix("opp/services/x/");
  REQUIRE(after);
  CHECK(after->kvs.size() == 1);
  CHECK(after->revision > range->revision);
}

TEST_CASE("etcd client: a leased key goes with its revoked lease; keepalive of it fails") {
  EtcdServer etcd;
  Client client({etcd.endpoint()});
  auto lease = client.lease_grant(30);
  REQUIRE(lease);
  REQUIRE(client.put("k/leased", "v", *lease));
  auto ttl = client.lease_keepalive(*lease);
  REQUIRE(ttl);
  CHECK(*ttl == 30);
  auto range = client.range_prefix("k/");
  REQUIRE(range);
  REQUIRE(range->kvs.size() == 1);
  CHECK(range->kvs[0].lease == *lease);
  REQUIRE(client.lease_revoke(*lease));
  CHECK(client.range_prefix("k/")->kvs.empty());
  auto gone = client.lease_keepalive(*lease);
  REQUIRE_FALSE(gone);
  CHECK(gone.error().sub_code == "etcd-lease-expired");
  auto bad_put = client.put("k/again", "v", *lease);  // etcd refuses an unknown lease
  REQUIRE_FALSE(bad_put);
  CHECK(bad_put.error().sub_code == "etcd-error");
}

TEST_CASE("etcd client: an etcd nobody listens on is etcd-unavailable, within the timeout") {
  Client client({{"127.0.0.1", opp::etcd::test::free_port()}}, std::chrono::milliseconds(300));
  auto range = client.range_prefix("a/");
  REQUIRE_FALSE(range);
  CHECK(range.error().code == opp::ErrorCode::kRequestServerFail);
  CHECK(range.error().sub_code == "etcd-unavailable");
}

TEST_CASE("etcd client: the second endpoint answers when the first does not") {
  EtcdServer etcd;
  Client client({{"127.0.0.1", opp::etcd::test::free_port()}, etcd.endpoint()},
                std::chrono::milliseconds(500));
  REQUIRE(client.put("two/a", "1"));
  CHECK(client.range_prefix("two/")->kvs.size() == 1);
}

TEST_CASE("etcd watch: puts and deletes under the prefix arrive in order, others do not") {
  EtcdServer etcd;
  Client client({etcd.endpoint()});
  REQUIRE(client.put("w/before", "old"));
  const int64_t start = client.range_prefix("w/")->revision + 1;

  std::mutex mutex;
  std::vector<WatchEvent> seen;
  std::atomic<bool> created{false};
  PrefixWatch watch;
  opp::Result<void> outcome;
  std::thread watcher([&] {
    outcome = watch.run(
        etcd.endpoint(), "w/", start,
        [&](const WatchBatch& batch) {
          std::lock_guard lock(mutex);
          for (const auto& e : batch.events) seen.push_back(e);
        },
        [&] { created = true; });
  });
  REQUIRE(eventually([&] { return created.load(); }, std::chrono::seconds(5)));
  REQUIRE(client.put("w/a", "1"));
  REQUIRE(client.put("other/b", "2"));
  REQUIRE(client.put("w/c", std::string(100000, 'x')));  // spans several reads
  REQUIRE(client.remove("w/a"));
  REQUIRE(eventually(
      [&] {
        std::lock_guard lock(mutex);
        return seen.size() >= 3;
      },
      std::chrono::seconds(5)));
  watch.stop();
  watcher.join();
  CHECK(outcome);  // stopped, not failed
  std::lock_guard lock(mutex);
  REQUIRE(seen.size() == 3);
  CHECK(seen[0].type == WatchEvent::Type::kPut);
  CHECK(seen[0].kv.key == "w/a");
  CHECK(seen[0].kv.value == "1");
  CHECK(seen[1].kv.key == "w/c");
  CHECK(seen[1].kv.value.size() == 100000);
  CHECK(seen[2].type == WatchEvent::Type::kDelete);
  CHECK(seen[2].kv.key == "w/a");
}

TEST_CASE("etcd watch: etcd stopping ends the watch with etcd-unavailable") {
  EtcdServer etcd;
  PrefixWatch watch;
  std::atomic<bool> created{false}, ended{false};
  opp::Result<void> outcome;
  std::thread watcher([&] {
    outcome = watch.run(
        etcd.endpoint(), "w/", 0, [](const WatchBatch&) {}, [&] { created = true; });
    ended = true;
  });
  REQUIRE(eventually([&] { return created.load(); }, std::chrono::seconds(5)));
  etcd.stop();
  REQUIRE(eventually([&] { return ended.load(); }, std::chrono::seconds(10)));
  watcher.join();
  REQUIRE_FALSE(outcome);
  CHECK(outcome.error().sub_code == "etcd-unavailable");
}

TEST_CASE("etcd registration: registers, renews past the TTL, revokes on stop") {
  EtcdServer etcd;
  Client client({etcd.endpoint()});
  RegistrationOptions options;
  options.endpoints = {etcd.endpoint()};
  options.key = service_key("payment", "127.0.0.1:9");
  options.value = "127.0.0.1:9";
  options.ttl_s = 2;
  Registration registration(options);
  registration.start();
  auto keys = [&] {
    auto r = client.range_prefix(service_prefix("payment"));
    return r ? r->kvs.size() : size_t(99);
  };
  REQUIRE(eventually([&] { return keys() == 1; }, std::chrono::seconds(5)));
  CHECK(client.range_prefix("opp/services/payment/")->kvs[0].key ==
        "opp/services/payment/127.0.0.1:9");
  std::this_thread::sleep_for(std::chrono::milliseconds(3500));  // past the 2 s TTL
  CHECK(keys() == 1);
  CHECK(registration.registered());
  registration.stop();
  CHECK(keys() == 0);  // revoked at once, not expired later
}

TEST_CASE("etcd registration: etcd down at start, then up: registers once it is there") {
  EtcdServer etcd;
  etcd.stop();
  std::vector<std::string> lines;
  std::mutex mutex;
  RegistrationOptions options;
  options.endpoints = {etcd.endpoint()};
  options.key = "opp/services/payment/a";
  options.value = "a";
  options.ttl_s = 3;
  options.retry_interval = std::chrono::milliseconds(100);
  options.log = [&](const std::string& line) {
    std::lock_guard lock(mutex);
    lines.push_back(line);
  };
  Registration registration(options);
  registration.start();
  REQUIRE(eventually(
      [&] {
        std::lock_guard lock(mutex);
        return !lines.empty();
      },
      std::chrono::seconds(5)));
  CHECK_FALSE(registration.registered());
  {
    std::lock_guard lock(mutex);
    CHECK(lines[0].find("cannot register opp/services/payment/a, retrying") != std::string::npos);
  }
  etcd.start();
  REQUIRE(eventually([&] { return registration.registered(); }, std::chrono::seconds(10)));
  Client client({etcd.endpoint()});
  auto range = client.range_prefix("opp/services/payment/");
  REQUIRE(range);
  REQUIRE(range->kvs.size() == 1);
  CHECK(range->kvs[0].value == "a");
  registration.stop();
}
