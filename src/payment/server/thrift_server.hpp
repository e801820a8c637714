#pragma once
// The Thrift server in front of the PaymentSvc handler.
//   framed   -> TNonblockingServer: `workers` libevent I/O threads, each running the calls
//               of the connections it was given (round robin), any number of connections
//               (what the gateway's pooled clients need).
//   buffered -> TThreadedServer: one thread per connection.
// Both read any amount of data over one connection: each message gets the full read budget
// (THRIFT-5371, see message_budget.hpp).
// stop() may be called from another thread, even before serve() has bound its socket
// (a SIGTERM during start-up): it waits until serving began or failed, then (bounded) for
// calls in flight, then makes serve() return.

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "PaymentSvc.h"
#include "payment/server/config.hpp"

namespace apache::thrift::server {
class TServer;
}

namespace opp::payment {

class PaymentThriftServer {
 public:
  PaymentThriftServer(const PaymentConfig& config,
                      std::shared_ptr<::opp::payment::thrift::PaymentSvcIf> handler);
  ~PaymentThriftServer();

  /// Binds, calls on_listening(bound port), then serves until stop(). Throws on bind failure.
  void serve(const std::function<void(int)>& on_listening);
  /// Drains calls in flight (at most drain_ms) and stops serving.
  void stop(int drain_ms = 10'000);

 private:
  class CountingHandler;
  enum class Phase { kNotServing, kServing, kDone };
  void enter(Phase phase);

  PaymentConfig config_;
  std::mutex phase_mutex_;
  std::condition_variable phase_changed_;
  Phase phase_ = Phase::kNotServing;
  std::shared_ptr<std::atomic<int>> in_flight_;
  std::shared_ptr<apache::thrift::server::TServer> server_;
};

}  // namespace opp::payment
