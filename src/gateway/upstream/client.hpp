#pragma once
// The gateway's asynchronous Thrift client for one upstream (`upstreams.<svc>`, SPEC §7):
// no Apache Thrift library and no generated code, only bytes from the codec.
//
// Threading rules:
//  - The gateway runs N io threads, each with its own io_context; the client gets them
//    all at construction and keeps one Pool per io thread. A call is made with the index
//    of the io thread it runs on (`call(i, ...)` only on the thread running io_contexts[i])
//    and completes on that same thread, so the hot path takes no lock and touches no
//    state shared between threads except relaxed reads of endpoint health.
//  - Each pool owns its share of max_connections and max_pending (split evenly), so all
//    threads together never exceed either. When max_connections is smaller than the number
//    of io threads, threads without a share hand their calls to one that has one (a post
//    each way).
//  - update(), shutdown() and stats() may be called from any thread; update and shutdown
//    are applied by each pool on its own thread shortly after they return.
//  - The io_contexts must outlive the client. Destroying the client shuts it down; pools
//    finish closing on their threads, holding themselves alive meanwhile.
//
// Replies are matched to calls by order on each connection (Thrift servers answer a
// connection's calls in order) and checked against the call's seqid; any mismatch closes
// the connection. ClientOptions::pipeline_depth calls share one connection at most.

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <memory>
#include <mutex>
#include <vector>

#include "gateway/config/gateway_config.hpp"
#include "gateway/upstream/call.hpp"
#include "gateway/upstream/settings.hpp"
#include "gateway/upstream/stats.hpp"

namespace opp::gateway::upstream {

class EndpointSet;
class Pool;

class UpstreamClient {
 public:
  /// A client for `config` over `io_threads` (one io_context per io thread, at least one).
  /// Throws std::invalid_argument when `io_threads` is empty (a start-up error). Opens no
  /// connection until the first call.
  UpstreamClient(const config::UpstreamConfig& config,
                 std::vector<boost::asio::io_context*> io_threads, ClientOptions options = {});
  ~UpstreamClient();
  UpstreamClient(const UpstreamClient&) = delete;
  UpstreamClient& operator=(const UpstreamClient&) = delete;

  /// Sends one call and reports its reply or error to `done`, always later (never inside
  /// this function) and on io thread `io_index`, which must be the calling thread.
  void call(size_t io_index, CallRequest request, CallCallback done);

  /// Replaces endpoints and settings (hot reload of `upstreams`): connections to endpoints
  /// that remain stay open and keep their health; connections to removed endpoints, or
  /// all of them when the transport or protocol changed, finish their calls and close.
  void update(const config::UpstreamConfig& config);

  /// Closes every connection and fails every pending call (10005 upstream-unavailable,
  /// "the gateway is shutting down"); later calls fail the same way. Idempotent; safe from
  /// SIGTERM handling code running on any thread (not from a signal handler itself).
  void shutdown();
  /// shutdown() done on the calling thread, for when the io threads have stopped (a
  /// posted shutdown would never run, and connections and their pool, which hold each
  /// other, would never be released).
  void shutdown_stopped();

  /// Counters for metrics: failures by kind (per endpoint and in total), open connections
  /// per endpoint, calls waiting for a connection.
  UpstreamStats stats() const;

  /// The protocol calls must be encoded in now (CallRequest::protocol). Lock-free.
  codec::Protocol protocol() const { return protocol_.load(std::memory_order_relaxed); }

  size_t io_threads() const { return io_.size(); }

 private:
  void configure_pools(const std::shared_ptr<const Settings>& settings,
                       const std::shared_ptr<const EndpointSet>& endpoints, bool now);

  std::vector<boost::asio::io_context*> io_;
  ClientOptions options_;
  std::shared_ptr<Totals> totals_;
  std::vector<std::shared_ptr<Pool>> pools_;
  mutable std::mutex mutex_;  ///< guards the two below (update/stats only, never calls)
  std::shared_ptr<const EndpointSet> endpoints_;
  std::shared_ptr<const Settings> settings_;
  std::atomic<codec::Protocol> protocol_;
};

}  // namespace opp::gateway::upstream
