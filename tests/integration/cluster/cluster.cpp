#include "cluster.hpp"

#include <rapidjson/document.h>
#include <signal.h>

#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>

namespace opp::cluster::test {
namespace {

std::string format_number(double value) {
  std::ostringstream text;
  text << value;
  return text.str();
}

gateway::e2e::PlatformOptions cluster_platform(const etcd::test::EtcdServer& etcd,
                                               const opp::test::RedisServer& redis,
                                               const ClusterOptions& options) {
  gateway::e2e::PlatformOptions platform;
  platform.start_payment = false;  // two of them, registered in etcd
  platform.etcd_discovery = true;
  platform.postgres = true;  // the servers share one database, as deployed
  platform.eject_ms = 1000;
  platform.auth_yaml = "nonce_store: redis";
  platform.extra_gateway_yaml = "redis: {address: \"" + redis.address() + "\"}\n" +
                                "etcd: {endpoints: [\"" + etcd.address() + "\"]}\n" +
                                "plugins:\n"
                                "  - name: rate-limit\n"
                                "    config: {policy: redis, redis: \"" +
                                redis.address() +
                                "\", per_merchant: {rate: " + format_number(options.rate) +
                                ", burst: " + format_number(options.burst) + "}}\n";
  return platform;
}

/// Calls `each(request_id, upstream)` for every line of an access log after the first
/// `skip_lines` that names an upstream (the log is JSON lines, written every 50 ms).
template <class Each>
void for_each_upstream(const std::filesystem::path& log, int skip_lines, Each each) {
  std::ifstream in(log);
  int number = 0;
  for (std::string line; std::getline(in, line);) {
    if (number++ < skip_lines) continue;
    rapidjson::Document record;
    record.Parse(line.c_str(), line.size());
    if (record.HasParseError() || !record.IsObject() || !record.HasMember("upstream") ||
        !record.HasMember("request_id"))
      continue;
    const std::string upstream = record["upstream"].GetString();
    if (!upstream.empty()) each(std::string(record["request_id"].GetString()), upstream);
  }
}

}  // namespace

Cluster::Cluster(ClusterOptions options) : platform_(cluster_platform(etcd, redis, options)) {
  // One after the other: the first creates the platform key file the others read.
  for (int i = 0; i < 2; ++i) restart_payment(i);
  key_ = platform_.add_hmac_merchant("MCLUSTER", crypto::SignType::kHmacSha256);
  platform_.start_gateway();
  second_gateway_ = platform_.start_extra_gateway("gateway2");
  second_port_ = second_gateway_->wait_listening();
  second_http_ = std::make_unique<HttpClient>(second_port_);
  for (int g = 0; g < 2; ++g) {
    if (!eventually([&] { return discovered_endpoints(g) == 2; }, std::chrono::seconds(10)))
      throw std::runtime_error("gateway " + std::to_string(g) + " did not discover both servers");
  }
}

Cluster::~Cluster() {
  // Gateways first, then the servers (SIGTERM revokes their leases), then the engines.
  second_http_.reset();
  if (second_gateway_) {
    second_gateway_->signal(SIGTERM);
    second_gateway_->wait_exit();
  }
  platform_.stop_gateway();
  for (auto& payment : payments_) {
    if (!payment) continue;
    payment->signal(SIGTERM);
    payment->wait_exit();
  }
}

std::string Cluster::payment_yaml() const {
  return "etcd: {endpoints: [\"" + etcd.address() +
         "\"], lease_ttl_s: " + std::to_string(kLeaseTtlSeconds) + "}\n";
}

std::string Cluster::restart_payment(int i) {
  payments_[i] = platform_.start_payment_server("payment" + std::to_string(i + 1), payment_yaml());
  payment_addresses_[i] = "127.0.0.1:" + std::to_string(payments_[i]->wait_listening());
  return payment_addresses_[i];
}

std::filesystem::path Cluster::access_log(int g) const {
  return platform_.dir.path() / (g == 0 ? "access.log" : "gateway2-access.log");
}

std::map<std::string, int> Cluster::served_through(int g, int skip_lines) const {
  std::map<std::string, int> served;
  for_each_upstream(access_log(g), skip_lines,
                    [&](const std::string&, const std::string& upstream) { ++served[upstream]; });
  return served;
}

std::map<std::string, std::string> Cluster::upstream_by_request(int g) const {
  std::map<std::string, std::string> upstreams;
  for_each_upstream(access_log(g), 0, [&](const std::string& id, const std::string& upstream) {
    upstreams[id] = upstream;
  });
  return upstreams;
}

int Cluster::access_log_lines(int g) const {
  std::ifstream in(access_log(g));
  int lines = 0;
  for (std::string line; std::getline(in, line);) ++lines;
  return lines;
}

int Cluster::discovered_endpoints(int g) {
  static const std::regex kEndpoints(R"(opp_discovery_endpoints\{svc="payment"\} (\d+))");
  const std::string metrics = http(g).get("/metrics").body;
  std::smatch match;
  return std::regex_search(metrics, match, kEndpoints) ? std::stoi(match[1]) : -1;
}

}  // namespace opp::cluster::test
