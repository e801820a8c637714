// c-ares lookups on an io_context, against a fake DNS server on a loopback UDP port.
#include "payment/infrastructure/notify/dns_resolver.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <catch2/catch.hpp>
#include <optional>

#include "fake_dns_server.hpp"

using namespace opp::payment;
using namespace opp::payment::test;
using namespace std::chrono_literals;
namespace asio = boost::asio;

namespace {

std::unique_ptr<DnsResolver> resolver_for(asio::io_context& io, const FakeDnsServer& dns) {
  DnsResolverOptions options;
  options.servers = {dns.address()};
  auto resolver = DnsResolver::create(io, options);
  REQUIRE(resolver.ok());
  return std::move(*resolver);
}

using Outcome = std::optional<opp::Result<DnsResolver::Endpoints>>;

}  // namespace

TEST_CASE("names resolve through the configured DNS server", "[notify][dns]") {
  FakeDnsServer dns;
  dns.answer("shop.notify.test", "127.0.0.7");
  asio::io_context io;
  auto resolver = resolver_for(io, dns);
  Outcome found;
  Outcome missing;
  resolver->resolve("Shop.Notify.Test", 8443, [&](auto result) { found = std::move(result); });
  resolver->resolve("missing.notify.test", 80, [&](auto result) { missing = std::move(result); });
  CHECK_FALSE(found.has_value());  // never called from inside resolve()
  io.run_for(5s);

  REQUIRE(found.has_value());
  REQUIRE(found->ok());
  REQUIRE((*found)->size() == 1);
  CHECK((*found)->at(0).address().to_string() == "127.0.0.7");
  CHECK((*found)->at(0).port() == 8443);
  REQUIRE(missing.has_value());
  REQUIRE_FALSE(missing->ok());
  CHECK(missing->error().sub_code == "notify-unreachable");
  CHECK(missing->error().message == "Domain name not found");
  CHECK(dns.queries_for("missing.notify.test") >= 1);
  CHECK(io.stopped());  // nothing left waiting once the lookups ended
}

TEST_CASE("a lookup waiting on a silent server does not hold up another", "[notify][dns]") {
  FakeDnsServer dns;
  dns.never_answer("dead.notify.test");
  dns.answer("slow.notify.test", "127.0.0.1", 3000ms);
  dns.answer("quick.notify.test", "127.0.0.2");
  asio::io_context io;
  auto resolver = resolver_for(io, dns);
  Outcome dead;
  Outcome slow;
  Outcome quick;
  const auto start = std::chrono::steady_clock::now();
  std::chrono::steady_clock::duration quick_after{};
  // The slow lookups go first, on the same io_context and the same resolver.
  resolver->resolve("dead.notify.test", 80, [&](auto result) { dead = std::move(result); });
  resolver->resolve("slow.notify.test", 80, [&](auto result) { slow = std::move(result); });
  resolver->resolve("quick.notify.test", 80, [&](auto result) {
    quick = std::move(result);
    quick_after = std::chrono::steady_clock::now() - start;
  });
  while (!slow && io.run_one_for(5s) != 0) {
  }
  REQUIRE(quick.has_value());
  REQUIRE(quick->ok());
  CHECK((*quick)->at(0).address().to_string() == "127.0.0.2");
  CHECK(quick_after < 1500ms);  // well before the slow answer (3 s)
  REQUIRE(slow.has_value());
  CHECK(slow->ok());
  CHECK_FALSE(dead.has_value());

  resolver->cancel();
  io.run_for(2s);
  REQUIRE(dead.has_value());
  CHECK(dead->error().sub_code == "notify-cancelled");
  CHECK(dns.queries_for("dead.notify.test") >= 1);
}

TEST_CASE("a resolver destroyed mid-lookup calls nobody", "[notify][dns]") {
  FakeDnsServer dns;
  dns.never_answer("dead.notify.test");
  asio::io_context io;
  bool called = false;
  {
    auto resolver = resolver_for(io, dns);
    resolver->resolve("dead.notify.test", 80, [&](auto) { called = true; });
    io.run_for(100ms);
  }
  io.run_for(100ms);
  CHECK_FALSE(called);
  CHECK(io.stopped());
}

TEST_CASE("DNS server entries are IP addresses with an optional port", "[notify][dns]") {
  for (const char* good : {"127.0.0.1", "127.0.0.1:5353", "::1", "[::1]:53", "[::1]"}) {
    INFO(good);
    CHECK(check_dns_server(good).ok());
  }
  struct Case {
    const char* server;
    const char* message;
  };
  const Case bad[] = {
      {"dns.example", "expected an IP address, got \"dns.example\""},
      {"", "expected an IP address, got \"\""},
      {"127.0.0.1:0", "port must be 1..65535, got \"0\""},
      {"127.0.0.1:", "port must be 1..65535, got \"\""},
      {"127.0.0.1:99999", "port must be 1..65535, got \"99999\""},
      {"[::1", "unclosed ["},
      {"[::1]x", "expected ]:PORT"},
  };
  for (const Case& c : bad) {
    INFO(c.server);
    auto checked = check_dns_server(c.server);
    REQUIRE_FALSE(checked.ok());
    CHECK(checked.error().sub_code == "invalid-dns-server");
    CHECK(checked.error().message == c.message);
  }
}
