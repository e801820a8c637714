#pragma once
// The string a merchant signs (SPEC §3.2): every param except `sign` and except empty
// values, sorted by key in byte order, joined as key=value with '&', values raw (no URL
// encoding). The caller passes decoded params exactly as received.

#include <map>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace opp::crypto {

struct SignedParam {
  std::string_view key;
  std::string_view value;
};

/// The canonical string. Keys are compared as unsigned bytes; equal keys (which the
/// gateway rejects before signing checks) are ordered by value so the result is stable.
std::string canonical_string(std::span<const SignedParam> params);

std::string canonical_string(const std::vector<std::pair<std::string, std::string>>& params);
std::string canonical_string(const std::map<std::string, std::string>& params);

}  // namespace opp::crypto
