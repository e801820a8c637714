#pragma once
// Upstream endpoints: one address with its passive health and counters, and the immutable
// set of them an upstream balances over.
//
// Threading: an Endpoint is shared by every io thread's pool; its state is atomics only
// (relaxed: health is advisory and counters are for metrics), written on failures and on
// connection open/close, never per successful call, so the hot path reads it without
// contention. An EndpointSet is immutable; a reload builds a new one.

#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "gateway/config/gateway_config.hpp"
#include "gateway/upstream/errors.hpp"

namespace opp::gateway::upstream {

using Clock = std::chrono::steady_clock;

class Endpoint {
 public:
  explicit Endpoint(config::HostPort address);
  Endpoint(const Endpoint&) = delete;
  Endpoint& operator=(const Endpoint&) = delete;

  const config::HostPort& address() const { return address_; }
  /// "host:port", for messages, the access log and metrics labels.
  const std::string& name() const { return name_; }

  /// Whether the endpoint rests after a failure at `now`.
  bool ejected(Clock::time_point now) const {
    return now.time_since_epoch().count() < ejected_until_.load(std::memory_order_relaxed);
  }
  /// Rests the endpoint for `duration` from `now` (passive health, SPEC §3.3).
  void eject(Clock::time_point now, std::chrono::milliseconds duration);

  void count_failure(FailureKind kind) {
    failures_[static_cast<size_t>(kind)].fetch_add(1, std::memory_order_relaxed);
  }
  FailureCounts failures() const;

  /// A connection attempt failed (refused, unreachable, timed out), whatever became of
  /// the calls waiting for it.
  void count_connect_failure() { connect_failures_.fetch_add(1, std::memory_order_relaxed); }
  uint64_t connect_failures() const { return connect_failures_.load(std::memory_order_relaxed); }

  void connection_opened() { open_.fetch_add(1, std::memory_order_relaxed); }
  void connection_closed() { open_.fetch_sub(1, std::memory_order_relaxed); }
  /// Connections open or being opened to this endpoint, over every io thread.
  int64_t open_connections() const { return open_.load(std::memory_order_relaxed); }

 private:
  const config::HostPort address_;
  const std::string name_;
  std::atomic<Clock::rep> ejected_until_{std::numeric_limits<Clock::rep>::min()};
  std::array<std::atomic<uint64_t>, kFailureKinds> failures_{};
  std::atomic<uint64_t> connect_failures_{0};
  std::atomic<int64_t> open_{0};
};

class EndpointSet {
 public:
  /// Endpoints for `addresses`, reusing those of `previous` that have the same address so
  /// their health, counters and connections survive a reload.
  EndpointSet(const std::vector<config::HostPort>& addresses, const EndpointSet* previous);

  size_t size() const { return endpoints_.size(); }
  bool empty() const { return endpoints_.empty(); }
  const std::shared_ptr<Endpoint>& operator[](size_t i) const { return endpoints_[i]; }
  const std::vector<std::shared_ptr<Endpoint>>& all() const { return endpoints_; }

  /// The next endpoint in round robin from `cursor` (advanced past it) that is not ejected
  /// and is not `avoid`. When every candidate is ejected, the next one other than `avoid`
  /// anyway (SPEC §3.3: never fail fast forever); `avoid` only when it is the only one.
  /// Precondition: !empty().
  size_t pick(size_t& cursor, Clock::time_point now, const Endpoint* avoid) const;

 private:
  std::vector<std::shared_ptr<Endpoint>> endpoints_;
};

}  // namespace opp::gateway::upstream
