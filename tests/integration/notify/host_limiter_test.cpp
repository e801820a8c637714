#include "payment/infrastructure/notify/host_limiter.hpp"

#include <catch2/catch.hpp>
#include <map>

using opp::payment::HostLimiter;

namespace {

/// Admits until the limiter says no; the hosts admitted, in order.
std::vector<std::string> admit_all(HostLimiter<int>& limiter) {
  std::vector<std::string> hosts;
  while (auto admitted = limiter.admit()) hosts.push_back(admitted->host);
  return hosts;
}

}  // namespace

TEST_CASE("a host gets at most its share, the others the remaining slots", "[notify][limiter]") {
  HostLimiter<int> limiter(4, 2);
  for (int i = 0; i < 10; ++i) limiter.add("dead", i);
  limiter.add("a", 100);
  limiter.add("b", 200);
  const auto admitted = admit_all(limiter);
  CHECK(std::count(admitted.begin(), admitted.end(), "dead") == 2);
  CHECK(std::count(admitted.begin(), admitted.end(), "a") == 1);
  CHECK(std::count(admitted.begin(), admitted.end(), "b") == 1);
  CHECK(limiter.running() == 4);
  CHECK(limiter.waiting() == 8);

  limiter.finish("a");  // a slot frees up: only "dead" has work, and it is at its share
  CHECK_FALSE(limiter.admit().has_value());
  limiter.finish("dead");
  auto next = limiter.admit();
  REQUIRE(next.has_value());
  CHECK(next->host == "dead");
  CHECK(next->item == 2);  // oldest first
}

TEST_CASE("the total bound holds across hosts", "[notify][limiter]") {
  HostLimiter<int> limiter(3, 2);
  for (const char* host : {"a", "b", "c", "d"}) {
    limiter.add(host, 1);
    limiter.add(host, 2);
  }
  CHECK(admit_all(limiter).size() == 3);
  limiter.finish("a");
  CHECK(admit_all(limiter).size() == 1);
  CHECK(limiter.running() == 3);
}

TEST_CASE("hosts with work take turns", "[notify][limiter]") {
  HostLimiter<int> limiter(1, 1);
  for (int i = 0; i < 3; ++i) {
    limiter.add("a", i);
    limiter.add("b", i);
  }
  std::vector<std::string> order;
  while (auto admitted = limiter.admit()) {
    order.push_back(admitted->host + std::to_string(admitted->item));
    limiter.finish(admitted->host);
  }
  CHECK(order == std::vector<std::string>{"a0", "b0", "a1", "b1", "a2", "b2"});
  CHECK(limiter.hosts() == 0);  // nothing kept for hosts without work
}

TEST_CASE("waiting items can be taken back, running ones stay counted", "[notify][limiter]") {
  HostLimiter<int> limiter(2, 1);
  limiter.add("a", 1);
  limiter.add("a", 2);
  limiter.add("b", 3);
  REQUIRE(admit_all(limiter).size() == 2);
  const auto taken = limiter.take_waiting();
  CHECK(taken == std::vector<int>{2});
  CHECK(limiter.waiting() == 0);
  CHECK(limiter.running() == 2);
  limiter.finish("a");
  limiter.finish("b");
  CHECK(limiter.running() == 0);
  CHECK(limiter.hosts() == 0);
  CHECK_FALSE(limiter.admit().has_value());
}
