// The platform scaled out (cluster.hpp: etcd, Redis, PostgreSQL, two opp-payment, two
// opp-gateway): calls are spread over both payment servers, which share one database; one
// of them killed with SIGKILL under load fails no more calls than were in flight at the
// kill and takes calls again once restarted; a nonce used at one gateway is refused at the
// other; a merchant's rate limit holds across both gateways; Redis down closes both
// gateways (503 10005 nonce-store-unavailable) until it is back.
#include <signal.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <thread>
#include <vector>

#include "cluster.hpp"

using namespace opp::cluster::test;
using opp::gateway::e2e::fresh_nonce;
using opp::gateway::e2e::Params;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

std::string fresh_order(const std::string& prefix) {
  return prefix + fresh_nonce().substr(0, 16);
}

std::string qrpay(const std::string& out_order_no) {
  return R"({"out_order_no":")" + out_order_no +
         R"(","total_amount":100,"auth_code":"134567890123456789"})";
}

std::string queryorder(const std::string& out_order_no) {
  return R"({"out_order_no":")" + out_order_no + R"("})";
}

int total(const std::map<std::string, int>& served) {
  int sum = 0;
  for (const auto& [upstream, calls] : served) sum += calls;
  return sum;
}

/// Waits until gateway g's access log records `calls` calls that reached a backend.
bool logged(const Cluster& cluster, int g, int calls) {
  return eventually([&] { return total(cluster.served_through(g)) >= calls; }, 3s);
}

/// One call of the load: when it was sent and answered, and how.
struct Outcome {
  Clock::time_point start, end;
  int status = 0;  ///< 0: no HTTP answer at all
  int64_t err_code = -1;
  std::string sub_code;
  bool ok() const { return status == 200 && err_code == 0; }
};

}  // namespace

TEST_CASE("cluster: calls through both gateways are spread over both payment servers",
          "[cluster]") {
  Cluster cluster;
  constexpr int kCallsPerGateway = 20;
  struct Call {
    int gateway;
    std::string order, request_id;
  };
  std::vector<Call> calls;
  for (int i = 0; i < 2 * kCallsPerGateway; ++i) {
    const int g = i % 2;
    const std::string order = fresh_order("S");
    const HttpResponse r = cluster.merchant_at(g).call("payment", "qrpay", qrpay(order));
    INFO(r.body);
    REQUIRE(r.err_code() == 0);
    calls.push_back({g, order, r.header("x-request-id")});
  }

  // What each server handled, as each gateway recorded it: round robin gives each server
  // about half of a gateway's calls.
  for (int g = 0; g < 2; ++g) {
    INFO("gateway " << g);
    REQUIRE(logged(cluster, g, kCallsPerGateway));
    auto served = cluster.served_through(g);
    CHECK(served.size() == 2);
    CHECK(total(served) == kCallsPerGateway);
    CHECK(served[cluster.payment_address(0)] >= kCallsPerGateway / 4);
    CHECK(served[cluster.payment_address(1)] >= kCallsPerGateway / 4);
  }

  // One database: each order reads back, twice, through the other gateway; the server
  // that did not create it answers one of the two reads of most orders.
  std::vector<std::array<std::string, 2>> read_ids(calls.size());
  for (size_t i = 0; i < calls.size(); ++i) {
    for (std::string& read_id : read_ids[i]) {
      const HttpResponse r = cluster.merchant_at(1 - calls[i].gateway)
                                 .call("payment", "queryorder", queryorder(calls[i].order));
      INFO(r.body);
      REQUIRE(r.err_code() == 0);
      CHECK(r.json()["data"]["order_status"].GetInt() == 1);
      read_id = r.header("x-request-id");
    }
  }
  for (int g = 0; g < 2; ++g) REQUIRE(logged(cluster, g, 3 * kCallsPerGateway));
  const std::array<std::map<std::string, std::string>, 2> upstream = {
      cluster.upstream_by_request(0), cluster.upstream_by_request(1)};
  int read_elsewhere = 0;
  for (size_t i = 0; i < calls.size(); ++i) {
    const int g = calls[i].gateway;
    REQUIRE(upstream[g].count(calls[i].request_id) == 1);
    const std::string& creator = upstream[g].at(calls[i].request_id);
    bool elsewhere = false;
    for (const std::string& read_id : read_ids[i]) {
      REQUIRE(upstream[1 - g].count(read_id) == 1);
      elsewhere = elsewhere || upstream[1 - g].at(read_id) != creator;
    }
    read_elsewhere += elsewhere;
  }
  CHECK(read_elsewhere >= int(calls.size()) / 2);
}

TEST_CASE(
    "cluster: a payment server killed -9 under load fails only the calls in flight, "
    "and takes calls again once restarted",
    "[cluster]") {
  Cluster cluster;
  // Each client thread has one call outstanding at a time, so at most kClients calls can
  // be in flight at the kill: no more than that may fail, and each that fails must have
  // been under way while the server died.
  constexpr int kClients = 8;  // half through each gateway
  std::atomic<bool> stop{false};
  std::vector<std::vector<Outcome>> outcomes(kClients);
  std::vector<std::thread> clients;
  for (int t = 0; t < kClients; ++t) {
    clients.emplace_back([&, t] {
      HttpClient http(cluster.gateway_port(t % 2));
      MerchantClient merchant = cluster.merchant(http);
      const auto deadline = Clock::now() + 30s;  // bounded even if the test thread fails
      while (!stop && Clock::now() < deadline) {
        Outcome o;
        o.start = Clock::now();
        try {
          const HttpResponse r = merchant.call("payment", "qrpay", qrpay(fresh_order("L")));
          o.status = r.status;
          o.err_code = r.err_code();
          o.sub_code = r.sub_code();
        } catch (const std::exception&) {
          // no answer: counted as a failure
        }
        o.end = Clock::now();
        outcomes[t].push_back(o);
      }
    });
  }

  std::this_thread::sleep_for(1s);  // both servers under load
  const std::string killed = cluster.payment_address(0);
  const auto kill_start = Clock::now();
  cluster.payment(0).signal(SIGKILL);
  cluster.payment(0).wait_exit();
  const auto kill_end = Clock::now();

  // Past the lease, so etcd has dropped the dead server, then start it again.
  std::this_thread::sleep_for(std::chrono::seconds(Cluster::kLeaseTtlSeconds) + 1s);
  const std::array<int, 2> lines_at_restart = {cluster.access_log_lines(0),
                                               cluster.access_log_lines(1)};
  const std::string back = cluster.restart_payment(0);  // returns once it listens
  const auto listening_again = Clock::now();
  const bool back_in_service = eventually(
      [&] {
        return cluster.served_through(0, lines_at_restart[0])[back] > 0 &&
               cluster.served_through(1, lines_at_restart[1])[back] > 0;
      },
      5s);
  const auto back_after = Clock::now() - listening_again;
  std::this_thread::sleep_for(500ms);
  stop = true;
  for (auto& client : clients) client.join();

  int in_flight_at_kill = 0, failed = 0, after_kill = 0, ok_after_kill = 0, late = 0, late_ok = 0;
  for (int t = 0; t < kClients; ++t) {
    int ok_after_kill_here = 0;
    for (const Outcome& o : outcomes[t]) {
      in_flight_at_kill += o.start < kill_start && o.end > kill_start;
      if (!o.ok()) {
        ++failed;
        INFO("client " << t << ": status " << o.status << ", err_code " << o.err_code << " "
                       << o.sub_code);
        // Under way between SIGKILL and the server's end (kill_end is when it was reaped).
        CHECK((o.start < kill_end && o.end > kill_start));
        CHECK(o.err_code == 10005);  // the backend went away: upstream-reset or -unavailable
      }
      if (o.start >= kill_end) {
        ++after_kill;
        ok_after_kill_here += o.ok();
      }
      // A second after the kill every call succeeds.
      if (o.start >= kill_end + 1s) {
        ++late;
        late_ok += o.ok();
      }
    }
    ok_after_kill += ok_after_kill_here;
    INFO("client " << t);
    CHECK(ok_after_kill_here > 10);  // traffic went on through both gateways
  }
  INFO("killed " << killed << ", " << failed << " calls failed, " << in_flight_at_kill
                 << " were in flight at the kill, " << ok_after_kill << "/" << after_kill
                 << " succeeded after it; the restarted server took calls "
                 << std::chrono::duration_cast<std::chrono::milliseconds>(back_after).count()
                 << " ms after it listened");
  CHECK(in_flight_at_kill <= kClients);
  CHECK(failed <= kClients);
  CHECK(late > 0);
  CHECK(late_ok == late);
  // The restarted server is discovered and called again through both gateways.
  CHECK(back_in_service);
  CHECK(back_after < 5s);
}

TEST_CASE("cluster: a nonce used at one gateway is refused at the other", "[cluster]") {
  Cluster cluster;
  for (int first = 0; first < 2; ++first) {
    INFO("first at gateway " << first);
    MerchantClient at_first = cluster.merchant_at(first);
    MerchantClient at_other = cluster.merchant_at(1 - first);
    Params params = at_first.params("queryorder", queryorder("NO-SUCH-ORDER"));
    at_first.sign(params);
    const HttpResponse used = at_first.post("payment", params);
    CHECK(used.err_code() == 20002);  // reached the backend: order-not-found
    const HttpResponse replayed = at_other.post("payment", params);
    INFO(replayed.body);
    CHECK(replayed.status == 401);
    CHECK(replayed.err_code() == 10002);
    CHECK(replayed.sub_code() == "nonce-replayed");
  }
}

TEST_CASE("cluster: a merchant's rate limit holds across both gateways", "[cluster]") {
  constexpr int kBurst = 10;
  ClusterOptions options;
  options.rate = 0.001;  // one token back every 1000 s: none during the test
  options.burst = kBurst;
  Cluster cluster(options);
  // 8 threads, each alternating between the gateways: 40 calls race for 10 tokens.
  constexpr int kThreads = 8, kCallsEach = 5;
  std::atomic<int> passed{0}, limited{0}, other{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::array<std::unique_ptr<HttpClient>, 2> http = {
          std::make_unique<HttpClient>(cluster.gateway_port(0)),
          std::make_unique<HttpClient>(cluster.gateway_port(1))};
      for (int i = 0; i < kCallsEach; ++i) {
        MerchantClient merchant = cluster.merchant(*http[(t + i) % 2]);
        const HttpResponse r = merchant.call("payment", "queryorder", queryorder("NONE"));
        if (r.err_code() == 20002) {
          ++passed;  // through the limit to the backend
        } else if (r.status == 429 && r.err_code() == 10008 && r.sub_code() == "rate-limited" &&
                   merchant.verify(r)) {
          ++limited;
        } else {
          ++other;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(passed == kBurst);
  CHECK(limited == kThreads * kCallsEach - kBurst);
  CHECK(other == 0);
}

TEST_CASE(
    "cluster: redis down closes both gateways with 503 nonce-store-unavailable, "
    "and they serve again once it is back",
    "[cluster]") {
  Cluster cluster;
  for (int g = 0; g < 2; ++g) {
    REQUIRE(cluster.merchant_at(g).call("payment", "queryorder", queryorder("X")).err_code() ==
            20002);
  }

  cluster.redis.stop();
  for (int g = 0; g < 2; ++g) {
    INFO("gateway " << g);
    const auto start = Clock::now();
    const HttpResponse r = cluster.merchant_at(g).call("payment", "queryorder", queryorder("X"));
    INFO(r.body);
    CHECK(r.status == 503);
    CHECK(r.err_code() == 10005);
    CHECK(r.sub_code() == "nonce-store-unavailable");
    CHECK(r.header("x-opp-signature").empty());  // refused before authentication completed
    CHECK(Clock::now() - start < 2s);            // a refusal, not a hang
  }

  cluster.redis.start();  // same port, empty
  for (int g = 0; g < 2; ++g) {
    INFO("gateway " << g);
    const auto start = Clock::now();
    CHECK(eventually(
        [&] {
          return cluster.merchant_at(g).call("payment", "queryorder", queryorder("X")).err_code() ==
                 20002;
        },
        5s));
    CHECK(Clock::now() - start < 5s);
  }
}
