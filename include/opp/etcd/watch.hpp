#pragma once
// One etcd v3 watch over the HTTP/JSON gateway: POST /v3/watch answers with a response
// that never ends, a stream of JSON objects read here as they arrive.

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "opp/common/result.hpp"
#include "opp/etcd/client.hpp"

namespace opp::etcd {

struct WatchEvent {
  enum class Type { kPut, kDelete };
  Type type = Type::kPut;
  KeyValue kv;  ///< for a delete, the key and its mod_revision only
};

/// The events of one watch response and the revision etcd was at when it sent them.
struct WatchBatch {
  int64_t revision = 0;
  std::vector<WatchEvent> events;
};

class PrefixWatch {
 public:
  using OnBatch = std::function<void(const WatchBatch&)>;

  PrefixWatch();
  ~PrefixWatch();
  PrefixWatch(const PrefixWatch&) = delete;
  PrefixWatch& operator=(const PrefixWatch&) = delete;

  /// Watches every key starting with `prefix` from `start_revision` on `endpoint`,
  /// calling `on_batch` (on this thread) for each response carrying events, until the
  /// stream ends, fails or stop() is called. `on_created` runs once etcd has accepted the
  /// watch. Returns an error when the stream ended for any reason but stop(): 10005
  /// etcd-unavailable (connect or read failure, the stream broken by etcd), 10007
  /// etcd-bad-reply, 10006 etcd-error
  /// (watch canceled or compacted by etcd).
  Result<void> run(const Endpoint& endpoint, const std::string& prefix, int64_t start_revision,
                   const OnBatch& on_batch, const std::function<void()>& on_created = {});

  /// Ends a run() in progress (or the next one) from any thread.
  void stop();

 private:
  struct State;
  std::shared_ptr<State> state_;
};

}  // namespace opp::etcd
