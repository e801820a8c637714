// The real opp-payment registering in a real etcd: the key appears under a lease, goes at
// once on SIGTERM (lease revoked) and within the TTL after kill -9 (lease expired).

#include <signal.h>

#include <catch2/catch.hpp>

#include "etcd_server.hpp"
#include "opp/etcd/registration.hpp"

using namespace opp::etcd;
using opp::etcd::test::EtcdServer;
using opp::etcd::test::eventually;

namespace {

/// opp-payment on a free port, registering in `etcd` with a lease of `ttl_s`.
std::unique_ptr<opp::gateway::e2e::Process> start_payment(const EtcdServer& etcd,
                                                          const opp::gateway::e2e::TempDir& dir,
                                                          int ttl_s) {
  dir.write("payment.yaml",
            "listen: \"127.0.0.1:0\"\n"
            "database: \"sqlite3://db=payment.db\"\n"
            "platform_private_key: platform_key.pem\n"
            "etcd: {endpoints: [\"" +
                etcd.address() + "\"], lease_ttl_s: " + std::to_string(ttl_s) + "}\n");
  return std::make_unique<opp::gateway::e2e::Process>(
      "payment", OPP_PAYMENT_BINARY, std::vector<std::string>{"--config", "payment.yaml"},
      dir.path());
}

std::vector<KeyValue> registered(Client& client) {
  auto range = client.range_prefix(service_prefix("payment"));
  return range ? range->kvs : std::vector<KeyValue>{};
}

}  // namespace

TEST_CASE("opp-payment registers its address and revokes it on SIGTERM") {
  EtcdServer etcd;
  Client client({etcd.endpoint()});
  opp::gateway::e2e::TempDir dir("opp-payment-etcd-");
  auto payment = start_payment(etcd, dir, 5);
  const uint16_t port = payment->wait_listening();
  const std::string address = "127.0.0.1:" + std::to_string(port);
  REQUIRE(eventually([&] { return registered(client).size() == 1; }, std::chrono::seconds(5)));
  const KeyValue kv = registered(client)[0];
  CHECK(kv.key == "opp/services/payment/" + address);
  CHECK(kv.value == address);
  CHECK(kv.lease != 0);
  CHECK(payment->err().find("etcd: registered opp/services/payment/" + address) !=
        std::string::npos);

  payment->signal(SIGTERM);
  CHECK(payment->wait_exit() == 0);
  // Revoked before exit: gone now, not in 5 s.
  CHECK(registered(client).empty());
  CHECK(payment->err().find("deregistered") != std::string::npos);
}

TEST_CASE("opp-payment killed -9: its key expires with the lease, within the TTL") {
  EtcdServer etcd;
  Client client({etcd.endpoint()});
  opp::gateway::e2e::TempDir dir("opp-payment-etcd-");
  auto payment = start_payment(etcd, dir, 2);
  payment->wait_listening();
  REQUIRE(eventually([&] { return registered(client).size() == 1; }, std::chrono::seconds(5)));
  // Kept alive past its TTL while running.
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));
  REQUIRE(registered(client).size() == 1);
  payment->signal(SIGKILL);
  payment->wait_exit();
  CHECK(registered(client).size() == 1);  // nobody revoked it
  // etcd expires a lease within about a second after its TTL.
  CHECK(eventually([&] { return registered(client).empty(); }, std::chrono::seconds(5)));
}

TEST_CASE("opp-payment with etcd down serves anyway and registers once etcd is up") {
  EtcdServer etcd;
  etcd.stop();
  Client client({etcd.endpoint()});
  opp::gateway::e2e::TempDir dir("opp-payment-etcd-");
  auto payment = start_payment(etcd, dir, 3);
  payment->wait_listening();  // serving although etcd is down
  REQUIRE(eventually([&] { return payment->err().find("cannot register") != std::string::npos; },
                     std::chrono::seconds(5)));
  etcd.start();
  CHECK(eventually([&] { return registered(client).size() == 1; }, std::chrono::seconds(10)));
  payment->signal(SIGTERM);
  CHECK(payment->wait_exit() == 0);
}
