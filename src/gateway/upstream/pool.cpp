#include "gateway/upstream/pool.hpp"

#include <algorithm>

namespace opp::gateway::upstream {
namespace {

using State = PendingCall::State;

/// Attempts a call may make: a connect failure is retried once on another endpoint.
constexpr uint8_t kMaxConnectAttempts = 2;
/// Times a call may be handed back unwritten by connections that closed under it.
constexpr uint8_t kMaxPlacements = 4;

const char* kShuttingDown = "the gateway is shutting down";

}  // namespace

Pool::Pool(boost::asio::io_context& io, std::shared_ptr<Totals> totals)
    : io_(io), totals_(std::move(totals)) {}

void Pool::configure(std::shared_ptr<const Settings> settings,
                     std::shared_ptr<const EndpointSet> endpoints, uint32_t connection_share,
                     uint32_t pending_share) {
  const bool same_wire = settings_ && Settings::same_wire(*settings_, *settings);
  settings_ = std::move(settings);
  endpoints_ = std::move(endpoints);
  share_ = connection_share;
  pending_share_ = pending_share;

  std::vector<Slot> old = std::move(slots_);
  slots_.clear();
  slots_.reserve(endpoints_->size());
  for (const auto& endpoint : endpoints_->all()) {
    Slot slot{endpoint, {}};
    auto kept =
        std::find_if(old.begin(), old.end(), [&](const Slot& s) { return s.endpoint == endpoint; });
    if (same_wire && kept != old.end()) {
      slot.connections = std::move(kept->connections);
      kept->connections.clear();
    }
    slots_.push_back(std::move(slot));
  }
  std::vector<std::shared_ptr<Connection>> retire;
  for (Slot& slot : old)
    for (auto& connection : slot.connections) retire.push_back(std::move(connection));
  // Over the (possibly smaller) share: idle connections go first.
  for (Slot& slot : slots_) {
    for (auto it = slot.connections.begin(); it != slot.connections.end();) {
      if (active_connections() - retire.size() > share_ && (*it)->load() == 0) {
        retire.push_back(std::move(*it));
        it = slot.connections.erase(it);
      } else {
        ++it;
      }
    }
  }
  draining_.insert(draining_.end(), retire.begin(), retire.end());
  for (const auto& connection : retire) connection->drain();  // may close (forget) at once
  if (cursor_ >= slots_.size()) cursor_ = 0;
  serve_waiting();
}

void Pool::call(CallRequest request, CallCallback done) {
  auto call = std::make_shared<PendingCall>(io_, std::move(request), std::move(done));
  const auto deadline = call->request.deadline == Clock::time_point{}
                            ? Clock::now() + settings_->timeout
                            : call->request.deadline;
  call->timer.expires_at(deadline);
  call->timer.async_wait([self = shared_from_this(), call](const boost::system::error_code& ec) {
    if (!ec) self->on_deadline(call);
  });
  if (call->request.protocol != settings_->protocol)
    return fail(*call, FailureKind::kUnavailable,
                "the upstream's protocol changed while the call was being encoded", nullptr,
                *totals_);
  dispatch(std::move(call));
}

void Pool::dispatch(CallPtr call) {
  if (closing_) return fail(*call, FailureKind::kUnavailable, kShuttingDown, nullptr, *totals_);
  if (slots_.empty())
    return fail(*call, FailureKind::kUnavailable, "the upstream has no endpoint", nullptr,
                *totals_);
  const auto now = Clock::now();
  const size_t chosen = endpoints_->pick(cursor_, now, call->avoid);
  if (Connection* connection = choose(chosen, call->avoid, now))
    return connection->assign(std::move(call));
  if (waiting_.size() >= pending_share_)
    return fail(*call, FailureKind::kSaturated,
                "all " + std::to_string(settings_->max_connections) +
                    " connections to the upstream are busy and " +
                    std::to_string(settings_->max_pending) + " calls already wait",
                nullptr, *totals_);
  enqueue(std::move(call));
}

void Pool::enqueue(CallPtr call) {
  call->state = State::kWaiting;
  call->waiting_at = waiting_.insert(waiting_.end(), call);
  totals_->waiting.fetch_add(1, std::memory_order_relaxed);
}

Connection* Pool::choose(size_t chosen, const Endpoint* avoid, Clock::time_point now) {
  const size_t depth = settings_->options.pipeline_depth;
  Connection* best = nullptr;
  auto consider = [&](Slot& slot) {
    for (const auto& connection : slot.connections) {
      if (!connection->usable()) continue;
      const size_t load = connection->load();
      if (load == 0) return connection.get();
      if (load < depth && (!best || load < best->load())) best = connection.get();
    }
    return static_cast<Connection*>(nullptr);
  };
  if (Connection* idle = consider(slots_[chosen])) return idle;
  if (open_ < share_) return open(slots_[chosen]);  // draining ones count: never over the share
  if (best) return best;
  for (size_t k = 1; k < slots_.size(); ++k) {
    Slot& other = slots_[(chosen + k) % slots_.size()];
    if (other.endpoint.get() == avoid || other.endpoint->ejected(now)) continue;
    if (Connection* idle = consider(other)) return idle;
  }
  return best;
}

Connection* Pool::open(Slot& slot) {
  auto connection =
      std::make_shared<Connection>(io_, shared_from_this(), slot.endpoint, settings_, totals_);
  slot.connections.push_back(connection);
  ++open_;
  connection->start();
  return connection.get();
}

void Pool::serve_waiting() {
  while (!waiting_.empty() && !closing_ && !slots_.empty()) {
    const CallPtr& call = waiting_.front();
    const auto now = Clock::now();
    Connection* connection = choose(endpoints_->pick(cursor_, now, call->avoid), call->avoid, now);
    if (!connection) return;
    CallPtr next = std::move(waiting_.front());
    waiting_.pop_front();
    totals_->waiting.fetch_sub(1, std::memory_order_relaxed);
    connection->assign(std::move(next));
  }
}

void Pool::on_deadline(const CallPtr& call) {
  switch (call->state) {
    case State::kWaiting:
      waiting_.erase(call->waiting_at);
      totals_->waiting.fetch_sub(1, std::memory_order_relaxed);
      fail(*call, FailureKind::kTimeout,
           "no connection to the upstream became free before the call's deadline", nullptr,
           *totals_);
      break;
    case State::kAssigned: {
      // Withdrawing may close a draining connection, the endpoint's last holder after a
      // reload: keep the endpoint for the message.
      std::shared_ptr<Endpoint> endpoint = call->connection->shared_endpoint();
      call->connection->withdraw(*call);
      fail(*call, FailureKind::kTimeout,
           "connecting to " + endpoint->name() + " did not finish before the call's deadline",
           endpoint.get(), *totals_);
      break;
    }
    case State::kSent: {
      // The reply may still come, and replies are matched in order: the connection closes.
      Connection* connection = call->connection;
      Endpoint& endpoint = connection->endpoint();
      fail(*call, FailureKind::kTimeout,
           endpoint.name() + " did not reply before the call's deadline", &endpoint, *totals_);
      connection->close(FailureKind::kReset, "another call on it timed out", true);
      break;
    }
    case State::kNew:
    case State::kDone:
      break;
  }
}

void Pool::shutdown() {
  if (closing_) return;
  closing_ = true;
  std::list<CallPtr> waiting = std::move(waiting_);
  waiting_.clear();
  totals_->waiting.fetch_sub(static_cast<int64_t>(waiting.size()), std::memory_order_relaxed);
  for (const CallPtr& call : waiting)
    fail(*call, FailureKind::kUnavailable, kShuttingDown, nullptr, *totals_);
  std::vector<std::shared_ptr<Connection>> all = draining_;
  for (const Slot& slot : slots_)
    all.insert(all.end(), slot.connections.begin(), slot.connections.end());
  for (const auto& connection : all)
    connection->close(FailureKind::kUnavailable, kShuttingDown, false);
}

void Pool::on_connected(Connection&) {
  serve_waiting();
}

void Pool::on_capacity(Connection&) {
  serve_waiting();
}

void Pool::on_closed(Connection& connection, std::vector<CallPtr> unwritten, bool connect_failed,
                     const std::string& reason) {
  Endpoint& endpoint = connection.endpoint();
  forget(connection);
  for (CallPtr& call : unwritten) {
    if (call->state == State::kDone) continue;
    if (closing_) {
      dispatch(std::move(call));  // fails it: shutting down
    } else if (connect_failed) {
      // Never written: one more try, on another endpoint (SPEC §3.3 health; no retry
      // once bytes have left, as the upstream may have acted on them).
      if (++call->attempts < kMaxConnectAttempts && endpoints_->size() > 1) {
        call->avoid = &endpoint;
        dispatch(std::move(call));
      } else {
        fail(*call, FailureKind::kUnavailable,
             "cannot connect to " + endpoint.name() + ": " + reason, &endpoint, *totals_);
      }
    } else if (++call->attempts < kMaxPlacements) {
      dispatch(std::move(call));  // the connection closed before writing it
    } else {
      fail(*call, FailureKind::kReset, "connection to " + endpoint.name() + " closed: " + reason,
           &endpoint, *totals_);
    }
  }
  serve_waiting();
}

void Pool::forget(Connection& connection) {
  auto drop = [&](std::vector<std::shared_ptr<Connection>>& list) {
    auto it = std::find_if(list.begin(), list.end(),
                           [&](const auto& c) { return c.get() == &connection; });
    if (it == list.end()) return false;
    list.erase(it);
    return true;
  };
  bool found = drop(draining_);
  for (Slot& slot : slots_) found = found || drop(slot.connections);
  if (found) --open_;
}

}  // namespace opp::gateway::upstream
