#pragma once
// Counters of one upstream for metrics: plain atomics written by the io threads, read by
// snapshots from any thread.

#include <array>
#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "gateway/upstream/errors.hpp"

namespace opp::gateway::upstream {

/// Upstream-wide counters (failures also without an endpoint: saturated, timed out waiting).
struct Totals {
  std::array<std::atomic<uint64_t>, kFailureKinds> failures{};
  std::atomic<int64_t> waiting{0};  ///< calls in the wait queues now

  void count(FailureKind kind) {
    failures[static_cast<size_t>(kind)].fetch_add(1, std::memory_order_relaxed);
  }
};

struct EndpointStats {
  std::string endpoint;  ///< "host:port"
  int64_t open_connections = 0;
  bool ejected = false;
  uint64_t connect_failures = 0;  ///< connection attempts that failed
  FailureCounts failures{};       ///< calls failed at this endpoint, by FailureKind
};

/// A snapshot: monotonic failure counters and current gauges.
struct UpstreamStats {
  std::vector<EndpointStats> endpoints;  ///< the configured endpoints, in order
  FailureCounts failures{};              ///< every failure of the upstream, by kind
  int64_t open_connections = 0;
  int64_t waiting = 0;
};

}  // namespace opp::gateway::upstream
