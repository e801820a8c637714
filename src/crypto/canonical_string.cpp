#include "opp/crypto/canonical_string.hpp"

#include <algorithm>

namespace opp::crypto {

std::string canonical_string(std::span<const SignedParam> params) {
  std::vector<SignedParam> signed_params;
  signed_params.reserve(params.size());
  size_t length = 0;
  for (const SignedParam& param : params) {
    if (param.key == "sign" || param.value.empty()) continue;
    signed_params.push_back(param);
    length += param.key.size() + param.value.size() + 2;
  }
  // string_view compares through char_traits<char>, which orders as unsigned bytes.
  std::sort(signed_params.begin(), signed_params.end(),
            [](const SignedParam& a, const SignedParam& b) {
              if (a.key != b.key) return a.key < b.key;
              return a.value < b.value;
            });
  std::string out;
  out.reserve(length);
  for (const SignedParam& param : signed_params) {
    if (!out.empty()) out.push_back('&');
    out.append(param.key);
    out.push_back('=');
    out.append(param.value);
  }
  return out;
}

namespace {

/// Views of owned key/value pairs, for the span overload.
template <typename Pairs>
std::string canonical_string_of_pairs(const Pairs& params) {
  std::vector<SignedParam> views;
  views.reserve(params.size());
  for (const auto& [key, value] : params) views.push_back({key, value});
  return canonical_string(std::span<const SignedParam>(views));
}

}  // namespace

std::string canonical_string(const std::vector<std::pair<std::string, std::string>>& params) {
  return canonical_string_of_pairs(params);
}

std::string canonical_string(const std::map<std::string, std::string>& params) {
  return canonical_string_of_pairs(params);
}

}  // namespace opp::crypto
