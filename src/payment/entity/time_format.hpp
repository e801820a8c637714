#pragma once
// Times are kept as Unix milliseconds and shown as RFC 3339 UTC ("2026-11-27T05:12:00Z").

#include <cstdint>
#include <string>

namespace opp::payment {

/// RFC 3339 UTC with second precision; "" for 0 (a moment not reached yet).
std::string format_rfc3339(int64_t unix_ms);

}  // namespace opp::payment
