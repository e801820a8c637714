#pragma once
// The connections of one upstream that belong to one io thread, and the calls waiting for
// them: endpoint choice (round robin, skipping ejected endpoints), keep-alive reuse,
// pipelining up to the configured depth, the bounded wait queue, deadlines, and the one
// retry allowed for calls never written.
//
// Threading: everything runs on the pool's io thread, so the hot path takes no lock; the
// pool's share of max_connections and max_pending is fixed per configuration, so the io
// threads together never exceed either. The pool stays alive while any of its connections
// or call deadlines are pending (they hold it).

#include <boost/asio/io_context.hpp>
#include <list>
#include <memory>
#include <vector>

#include "gateway/upstream/call.hpp"
#include "gateway/upstream/connection.hpp"
#include "gateway/upstream/endpoint.hpp"
#include "gateway/upstream/pending_call.hpp"
#include "gateway/upstream/settings.hpp"
#include "gateway/upstream/stats.hpp"

namespace opp::gateway::upstream {

class Pool final : public Connection::Owner, public std::enable_shared_from_this<Pool> {
 public:
  Pool(boost::asio::io_context& io, std::shared_ptr<Totals> totals);
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  /// Applies a configuration: settings, endpoints and this pool's shares. Connections to
  /// endpoints still listed are kept when the wire format (transport, protocol) is the
  /// same; the others drain (finish their calls, then close). On the io thread, or before
  /// the pool is first used.
  void configure(std::shared_ptr<const Settings> settings,
                 std::shared_ptr<const EndpointSet> endpoints, uint32_t connection_share,
                 uint32_t pending_share);

  /// Places a call (on the io thread); `done` runs later on the same thread.
  void call(CallRequest request, CallCallback done);

  /// Fails waiting calls, closes every connection (calls on them fail), refuses new calls.
  void shutdown();

  uint32_t connection_share() const { return share_; }
  const Settings& settings() const { return *settings_; }
  boost::asio::io_context& io() { return io_; }

  void on_connected(Connection& connection) override;
  void on_capacity(Connection& connection) override;
  void on_closed(Connection& connection, std::vector<CallPtr> unwritten, bool connect_failed,
                 const std::string& reason) override;

 private:
  struct Slot {
    std::shared_ptr<Endpoint> endpoint;
    std::vector<std::shared_ptr<Connection>> connections;
  };

  void dispatch(CallPtr call);
  /// A connection for a call to endpoint `chosen`: an idle one to it, else a new one when
  /// the share allows, else the least loaded one to it below the pipeline depth, else the
  /// same elsewhere (other endpoints, round-robin order, not ejected, not `avoid`).
  Connection* choose(size_t chosen, const Endpoint* avoid, Clock::time_point now);
  Connection* open(Slot& slot);
  void serve_waiting();
  void on_deadline(const CallPtr& call);
  void forget(Connection& connection);
  void enqueue(CallPtr call);
  size_t active_connections() const { return open_ - draining_.size(); }

  boost::asio::io_context& io_;
  std::shared_ptr<Totals> totals_;
  std::shared_ptr<const Settings> settings_;
  std::shared_ptr<const EndpointSet> endpoints_;
  std::vector<Slot> slots_;  ///< parallel to *endpoints_
  std::vector<std::shared_ptr<Connection>> draining_;
  std::list<CallPtr> waiting_;
  size_t cursor_ = 0;  ///< round robin
  size_t open_ = 0;    ///< connections open or opening, draining ones included
  uint32_t share_ = 0;
  uint32_t pending_share_ = 0;
  bool closing_ = false;
};

}  // namespace opp::gateway::upstream
