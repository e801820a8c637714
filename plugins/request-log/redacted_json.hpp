#pragma once
// biz_params as the request log shows it: the JSON re-written with the value of every
// object member whose name is listed replaced by "***", at any depth. Streaming (SAX,
// no DOM) and stopped at kMaxRedactDepth, so hostile nesting costs no deep stack.

#include <string>
#include <string_view>
#include <vector>

namespace opp::plugins::request_log {

/// Member names whose values are never logged; sorted, unique.
using RedactFields = std::vector<std::string>;

/// Nesting deeper than this is not logged (the gateway's default max_json_depth).
inline constexpr int kMaxRedactDepth = 64;

enum class RedactResult { kOk, kInvalid, kTooDeep };

/// Re-writes `json` (one JSON value, nothing after it) into `out` (cleared first) with the
/// listed members' values replaced by "***". Numbers keep their text. On kInvalid and
/// kTooDeep, `out` is unspecified and must not be logged.
RedactResult redact_json(std::string_view json, const RedactFields& fields, std::string& out);

}  // namespace opp::plugins::request_log
