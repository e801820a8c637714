#pragma once
// What a caller hands the upstream client and what it gets back.

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

#include "opp/codec/options.hpp"
#include "opp/common/result.hpp"

namespace opp::gateway::upstream {

struct CallRequest {
  /// The call message (Codec::encode_call: envelope + args struct) in the upstream's
  /// protocol. No frame header: the connection adds one when the transport is framed
  /// (written from a separate 4-byte buffer, the message is not copied).
  std::string message;
  /// The protocol `message` is encoded in; it must be the upstream's (a reload may change
  /// it between encoding and sending: such a call fails rather than send garbage).
  codec::Protocol protocol = codec::Protocol::kBinary;
  /// The seqid written in the message; the reply must carry the same one.
  int32_t seqid = 0;
  /// A oneway call completes (with an empty reply) once its bytes are written.
  bool oneway = false;
  /// When the call fails with upstream-timeout; the epoch (default) means now + the
  /// upstream's timeout_ms. Waiting for a connection counts against it.
  std::chrono::steady_clock::time_point deadline{};
};

struct CallResult {
  /// The reply message (envelope + result struct, no frame header), for
  /// Codec::decode_reply; or the error (10005 upstream-*, 10007 bad-upstream-reply).
  Result<std::string> reply = std::string();
  /// "host:port" of the endpoint that served (or failed) the call, for the access log;
  /// empty when no endpoint was reached (saturated, timed out waiting, shut down).
  std::string endpoint;
};

/// Receives the result on the io thread the call was made on, never inside call() itself.
using CallCallback = std::function<void(CallResult)>;

}  // namespace opp::gateway::upstream
