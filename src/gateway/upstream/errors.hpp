#pragma once
// How an upstream call can fail (SPEC §3.3, 10005 and 10007 rows): one kind per stable
// sub_code, counted per endpoint for metrics. The HTTP status is derived from the sub_code
// elsewhere.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "opp/common/error.hpp"

namespace opp::gateway::upstream {

enum class FailureKind : uint8_t {
  kUnavailable,  ///< 10005 upstream-unavailable: refused, unreachable, connect timeout
  kTimeout,      ///< 10005 upstream-timeout: no reply before the call's deadline
  kReset,        ///< 10005 upstream-reset: connection reset or closed mid-call
  kSaturated,    ///< 10005 upstream-saturated: every connection busy and the wait queue full
  kBadReply,     ///< 10007 bad-upstream-reply: undecodable envelope, wrong seqid, huge frame
};
inline constexpr size_t kFailureKinds = 5;

/// Per-kind counters, indexed by FailureKind.
using FailureCounts = std::array<uint64_t, kFailureKinds>;

/// The stable sub_code of a kind ("upstream-timeout", ...).
std::string_view sub_code(FailureKind kind);

/// The error a caller receives: code 10005 (10007 for kBadReply), the kind's sub_code and
/// `message` for humans (it names the endpoint; it never carries request data).
Error make_error(FailureKind kind, std::string message);

}  // namespace opp::gateway::upstream
