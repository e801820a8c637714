#include "gateway/upstream/pending_call.hpp"

#include <boost/asio/post.hpp>

#include "gateway/upstream/endpoint.hpp"
#include "gateway/upstream/stats.hpp"

namespace opp::gateway::upstream {
namespace {

void complete(PendingCall& call, CallResult result) {
  call.state = PendingCall::State::kDone;
  call.connection = nullptr;
  call.timer.cancel();
  boost::asio::post(call.timer.get_executor(),
                    [callback = std::move(call.callback), result = std::move(result)]() mutable {
                      callback(std::move(result));
                    });
}

}  // namespace

void succeed(PendingCall& call, std::string reply, const Endpoint& endpoint) {
  if (call.state == PendingCall::State::kDone) return;
  complete(call, CallResult{std::move(reply), endpoint.name()});
}

void fail(PendingCall& call, FailureKind kind, std::string message, Endpoint* endpoint,
          Totals& totals) {
  if (call.state == PendingCall::State::kDone) return;
  totals.count(kind);
  if (endpoint) endpoint->count_failure(kind);
  complete(call, CallResult{make_error(kind, std::move(message)),
                            endpoint ? endpoint->name() : std::string()});
}

}  // namespace opp::gateway::upstream
