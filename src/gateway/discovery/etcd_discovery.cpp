#include "gateway/discovery/etcd_discovery.hpp"

#include <algorithm>
#include <stdexcept>

#include "opp/etcd/registration.hpp"

namespace opp::gateway::discovery {

std::optional<config::HostPort> parse_address(const std::string& text) {
  const size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) return std::nullopt;
  std::string host = text.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  const std::string port = text.substr(colon + 1);
  if (port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  const int value = std::stoi(port);
  if (value < 1 || value > 65535) return std::nullopt;
  return config::HostPort{host, static_cast<uint16_t>(value)};
}

EtcdDiscovery::EtcdDiscovery(EtcdDiscoveryOptions options)
    : options_(std::move(options)), client_(options_.etcd, std::chrono::milliseconds(1000)) {}

EtcdDiscovery::~EtcdDiscovery() {
  stop();
}

void EtcdDiscovery::start() {
  if (!thread_.joinable()) thread_ = std::thread([this] { loop(); });
}

void EtcdDiscovery::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  watch_.stop();
  if (thread_.joinable()) thread_.join();
}

void EtcdDiscovery::log(const std::string& line) const {
  if (options_.log) options_.log("discovery " + options_.svc + ": " + line);
}

void EtcdDiscovery::report() {
  std::vector<config::HostPort> set;
  for (const auto& [key, value] : keys_) {
    auto address = parse_address(value);
    if (!address) {
      log("ignoring " + key + ": its value is not HOST:PORT");
      continue;
    }
    if (std::find(set.begin(), set.end(), *address) == set.end()) set.push_back(*address);
  }
  std::sort(set.begin(), set.end(), [](const config::HostPort& a, const config::HostPort& b) {
    return a.to_string() < b.to_string();
  });
  if (reported_once_ && set == reported_) return;
  reported_once_ = true;
  reported_ = set;
  count_.store(set.size(), std::memory_order_relaxed);
  std::string names;
  for (const auto& a : set) names += (names.empty() ? "" : ", ") + a.to_string();
  log(std::to_string(set.size()) + " endpoint(s)" + (names.empty() ? "" : ": " + names));
  if (options_.on_change) options_.on_change(set);
}

void EtcdDiscovery::loop() {
  const std::string prefix = etcd::service_prefix(options_.svc);
  size_t next_endpoint = 0;
  bool reported_lost = false;
  for (;;) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
    }
    // Read everything, then watch from the revision after the read: no change is missed
    // between the two, and none is seen twice.
    Result<void> outcome;
    if (auto range = client_.range_prefix(prefix); range) {
      keys_.clear();
      for (const auto& kv : range->kvs) keys_[kv.key] = kv.value;
      report();
      const etcd::Endpoint& endpoint = options_.etcd[next_endpoint % options_.etcd.size()];
      outcome = watch_.run(
          endpoint, prefix, range->revision + 1,
          [this](const etcd::WatchBatch& batch) {
            for (const auto& event : batch.events) {
              if (event.type == etcd::WatchEvent::Type::kDelete)
                keys_.erase(event.kv.key);
              else
                keys_[event.kv.key] = event.kv.value;
            }
            report();
          },
          [&] {
            connected_ = true;
            if (reported_lost) log("etcd reachable again; watching " + prefix);
            reported_lost = false;
          });
    } else {
      outcome = std::move(range).error();
    }
    connected_ = false;
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
    }
    if (!outcome) {
      if (!reported_lost)
        log("etcd lost, keeping the last " + std::to_string(count_.load()) +
            " endpoint(s): " + outcome.error().message);
      reported_lost = true;
      ++next_endpoint;  // the next etcd endpoint for the next watch
    }
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, options_.retry_interval, [this] { return stopping_; });
  }
}

}  // namespace opp::gateway::discovery
