#pragma once
// The platform scaled out, as scripts/cluster.sh runs it, for tests: a real etcd, a real
// Redis, a schema of its own on the test PostgreSQL, two opp-payment registered in etcd
// and sharing that schema, and two opp-gateway discovering them through etcd, sharing
// nonces and rate-limit buckets through Redis and merchants through PostgreSQL. Every
// port is an ephemeral loopback port; everything is stopped when the Cluster goes.

#include <array>
#include <chrono>
#include <map>
#include <memory>
#include <string>

#include "etcd_server.hpp"
#include "platform.hpp"
#include "redis_server.hpp"

namespace opp::cluster::test {

using gateway::e2e::HttpClient;
using gateway::e2e::HttpResponse;
using gateway::e2e::MerchantClient;
using gateway::e2e::MerchantKey;
using gateway::e2e::Process;

struct ClusterOptions {
  /// The rate-limit plugin's per-merchant bucket (policy: redis); high enough by default
  /// that it counts every call in Redis without refusing any.
  double rate = 100000;
  double burst = 100000;
};

class Cluster {
 public:
  static constexpr int kLeaseTtlSeconds = 2;  ///< a killed server's key is gone within ~3 s

  /// Starts everything and returns once both gateways see both payment servers.
  explicit Cluster(ClusterOptions options = {});
  ~Cluster();

  /// Payment server i (0 or 1): its address as registered in etcd ("127.0.0.1:PORT").
  std::string payment_address(int i) const { return payment_addresses_[i]; }
  Process& payment(int i) { return *payments_[i]; }
  /// Starts payment server i again (after it was killed); returns its new address.
  std::string restart_payment(int i);

  uint16_t gateway_port(int g) const { return g == 0 ? platform_.gateway_port : second_port_; }
  HttpClient& http(int g) { return g == 0 ? *platform_.http : *second_http_; }
  /// The cluster's merchant calling through gateway g on `http` (one per thread).
  MerchantClient merchant(HttpClient& http) const {
    return MerchantClient(http, key_, platform_.platform_key_pem);
  }
  MerchantClient merchant_at(int g) { return merchant(http(g)); }

  /// How many calls each payment endpoint served through gateway g, from its access log
  /// (the `upstream` field), counting only lines after the first `skip_lines`.
  std::map<std::string, int> served_through(int g, int skip_lines = 0) const;
  /// The payment endpoint that served each call through gateway g (by X-Request-Id), from
  /// its access log; calls that reached no backend are left out.
  std::map<std::string, std::string> upstream_by_request(int g) const;
  /// The number of lines in gateway g's access log so far.
  int access_log_lines(int g) const;

  /// How many payment endpoints gateway g currently knows (opp_discovery_endpoints).
  int discovered_endpoints(int g);

  etcd::test::EtcdServer etcd;
  opp::test::RedisServer redis;

 private:
  std::string payment_yaml() const;
  std::filesystem::path access_log(int g) const;

  gateway::e2e::Platform platform_;  ///< gateway 0, the merchants, the PostgreSQL schema
  std::array<std::unique_ptr<Process>, 2> payments_;
  std::array<std::string, 2> payment_addresses_;
  std::unique_ptr<Process> second_gateway_;
  uint16_t second_port_ = 0;
  std::unique_ptr<HttpClient> second_http_;
  MerchantKey key_;
};

using etcd::test::eventually;

}  // namespace opp::cluster::test
