#pragma once
// One call on its way through a pool: its request, deadline timer, where it is, and the
// single place it completes. Lives on one io thread; shared by the pool's wait queue or a
// connection's queues and by its own timer handler.

#include <boost/asio/steady_timer.hpp>
#include <list>
#include <memory>
#include <string>

#include "gateway/upstream/call.hpp"
#include "gateway/upstream/errors.hpp"

namespace opp::gateway::upstream {

class Connection;
class Endpoint;
struct Totals;

struct PendingCall {
  enum class State : uint8_t {
    kNew,       ///< not placed yet (or handed back by a connection that never wrote it)
    kWaiting,   ///< in the pool's wait queue
    kAssigned,  ///< queued on a connection, not written
    kSent,      ///< its bytes are being written or were written: never retried
    kDone,
  };

  PendingCall(boost::asio::io_context& io, CallRequest r, CallCallback cb)
      : timer(io), request(std::move(r)), callback(std::move(cb)) {}

  boost::asio::steady_timer timer;  ///< the deadline
  CallRequest request;
  CallCallback callback;
  char frame_header[4] = {};  ///< the framed transport's length, written before the message
  State state = State::kNew;
  uint8_t attempts = 0;              ///< connect failures so far (each retried elsewhere)
  const Endpoint* avoid = nullptr;   ///< the endpoint a retry must not go to (compared only)
  Connection* connection = nullptr;  ///< while kAssigned or kSent
  std::list<std::shared_ptr<PendingCall>>::iterator waiting_at;  ///< while kWaiting
};

using CallPtr = std::shared_ptr<PendingCall>;

/// Completes `call` with its reply from `endpoint` (posted: never runs the callback inside
/// the caller's own stack). No effect on a call already done.
void succeed(PendingCall& call, std::string reply, const Endpoint& endpoint);

/// Completes `call` with an error of `kind`, counted for `endpoint` (may be null) and in
/// `totals`. No effect on a call already done.
void fail(PendingCall& call, FailureKind kind, std::string message, Endpoint* endpoint,
          Totals& totals);

}  // namespace opp::gateway::upstream
