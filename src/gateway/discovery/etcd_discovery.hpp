#pragma once
// The endpoints of one upstream discovered in etcd: every key under opp/services/<svc>/
// holds one instance's HOST:PORT (written by opp-payment under a lease). A thread of its
// own reads the prefix, then watches it from the revision after that read; every change
// reports the whole set. When etcd is lost the last set stays in use (nothing is
// reported), and once etcd answers again the prefix is read again and the watch resumed.

#include <atomic>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "gateway/config/gateway_config.hpp"
#include "opp/etcd/client.hpp"
#include "opp/etcd/watch.hpp"

namespace opp::gateway::discovery {

struct EtcdDiscoveryOptions {
  std::vector<etcd::Endpoint> etcd;  ///< tried in turn
  std::string svc;
  /// The whole endpoint set after each change, sorted; on the discovery thread.
  std::function<void(std::vector<config::HostPort>)> on_change;
  std::function<void(const std::string&)> log;    ///< one line per state change
  std::chrono::milliseconds retry_interval{500};  ///< between attempts while etcd is away
};

/// `HOST:PORT` (a bracketed IPv6 host too) with a port 1..65535, else nullopt.
std::optional<config::HostPort> parse_address(const std::string& text);

class EtcdDiscovery {
 public:
  /// Throws std::invalid_argument without an etcd endpoint.
  explicit EtcdDiscovery(EtcdDiscoveryOptions options);
  ~EtcdDiscovery();  ///< stop()
  EtcdDiscovery(const EtcdDiscovery&) = delete;
  EtcdDiscovery& operator=(const EtcdDiscovery&) = delete;

  void start();
  /// Ends the watch and the thread; idempotent.
  void stop();
  /// True while the watch is established (the set is current).
  bool connected() const { return connected_.load(std::memory_order_relaxed); }
  /// How many endpoints the last reported set had.
  size_t endpoint_count() const { return count_.load(std::memory_order_relaxed); }
  const std::string& svc() const { return options_.svc; }

 private:
  void loop();
  /// Reports the set when it differs from the last one reported.
  void report();
  void log(const std::string& line) const;

  EtcdDiscoveryOptions options_;
  etcd::Client client_;
  etcd::PrefixWatch watch_;
  std::map<std::string, std::string> keys_;  ///< key -> value; the discovery thread only
  std::vector<config::HostPort> reported_;
  bool reported_once_ = false;
  std::atomic<bool> connected_{false};
  std::atomic<size_t> count_{0};
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace opp::gateway::discovery
