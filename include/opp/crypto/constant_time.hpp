#pragma once
// Comparison of secrets and signatures whose running time does not depend on where the
// inputs first differ (SPEC §3.2: "Comparisons are constant-time").

#include <string_view>

namespace opp::crypto {

/// True when `a` and `b` hold the same bytes. Time depends only on the lengths (which
/// are public: signature sizes are fixed by the algorithm), never on the contents.
bool constant_time_equal(std::string_view a, std::string_view b) noexcept;

}  // namespace opp::crypto
