#pragma once
// The client's settings: UpstreamConfig (SPEC §7) plus limits where SPEC is silent,
// resolved once per configuration and shared read-only by every pool and connection.

#include <chrono>
#include <cstdint>
#include <memory>

#include "gateway/config/gateway_config.hpp"
#include "opp/codec/options.hpp"

namespace opp::gateway::upstream {

/// Limits and tuning that are not part of `upstreams.<svc>` in YAML.
struct ClientOptions {
  /// A reply (frame or buffered message) longer than this is 10007 and closes the
  /// connection: bounded memory whatever an upstream sends.
  uint32_t max_reply_bytes = 16u << 20;
  /// Nesting allowed in a buffered-transport reply while finding its end.
  uint32_t max_reply_depth = 65;
  /// Calls one connection carries at once (pipelined; replies come in order); 1 = one call
  /// per connection. A pool opens connections up to its share first and pipelines only
  /// when all of them are busy: measured (tests/bench/upstream_bench.cpp, 32 calls in
  /// flight), pipelining over few connections is ~2.5x the calls/s of one call per
  /// connection when the client is the bottleneck, while a real Thrift backend, which
  /// serves a connection's calls one at a time, is fastest with more connections. Beyond
  /// the share, pipelining matches queueing on such a backend and beats it otherwise.
  uint32_t pipeline_depth = 4;
  /// A connection that has sent this many bytes takes no new calls and closes once idle:
  /// Apache Thrift 0.17 servers drop a connection after ~100 MB read on it (THRIFT-5371),
  /// which would otherwise reset calls in flight.
  uint64_t retire_after_bytes = 64ull << 20;
};

struct Settings {
  config::Transport transport = config::Transport::kFramed;
  codec::Protocol protocol = codec::Protocol::kBinary;
  std::chrono::milliseconds connect_timeout{1000};
  std::chrono::milliseconds timeout{3000};
  std::chrono::milliseconds eject{5000};
  uint32_t max_connections = 64;
  uint32_t max_pending = 256;
  ClientOptions options;

  /// Resolves `config` (max_pending 0 = 4 × max_connections) with `options`.
  static std::shared_ptr<const Settings> from(const config::UpstreamConfig& config,
                                              const ClientOptions& options);
  /// Whether connections made under `a` can carry calls made under `b`.
  static bool same_wire(const Settings& a, const Settings& b) {
    return a.transport == b.transport && a.protocol == b.protocol;
  }
};

/// Splits `total` over `parts` as evenly as possible; part `i`'s share.
inline uint32_t share_of(uint32_t total, size_t parts, size_t i) {
  return static_cast<uint32_t>(total / parts + (i < total % parts ? 1 : 0));
}

}  // namespace opp::gateway::upstream
