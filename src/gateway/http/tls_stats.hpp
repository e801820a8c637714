#pragma once
// What the TLS listener's handshakes came to, counted per io thread and summed for /metrics.

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace opp::gateway::http {

/// Why a connection to the TLS listener never got to its first request.
enum class HandshakeFailure : uint8_t {
  kTimeout,        ///< nothing, or not the whole handshake, within http.header_timeout_ms
  kHttpOnTlsPort,  ///< the first byte was not a TLS handshake record: answered 400
  kClosed,         ///< the client went away mid-handshake
  kProtocol,       ///< refused by TLS: version, ciphers, a malformed record, the client's alert
};
inline constexpr size_t kHandshakeFailureKinds = 4;

/// The `reason` label of a failure.
constexpr std::string_view handshake_failure_name(HandshakeFailure failure) {
  switch (failure) {
    case HandshakeFailure::kTimeout:
      return "timeout";
    case HandshakeFailure::kHttpOnTlsPort:
      return "http-on-tls-port";
    case HandshakeFailure::kClosed:
      return "closed";
    case HandshakeFailure::kProtocol:
      return "protocol";
  }
  return "protocol";
}

/// One io thread's counts: written by that thread only, read by a scrape.
struct HandshakeCounters {
  std::atomic<uint64_t> completed{0};
  std::array<std::atomic<uint64_t>, kHandshakeFailureKinds> failed{};

  void fail(HandshakeFailure failure) {
    failed[static_cast<size_t>(failure)].fetch_add(1, std::memory_order_relaxed);
  }
};

/// The counts of every io thread together.
struct HandshakeTotals {
  uint64_t completed = 0;
  std::array<uint64_t, kHandshakeFailureKinds> failed{};
};

}  // namespace opp::gateway::http
