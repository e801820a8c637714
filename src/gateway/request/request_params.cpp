#include "gateway/request/request_params.hpp"

#include <algorithm>
#include <numeric>

#include "gateway/request/content_type.hpp"
#include "param_errors.hpp"
#include "params_builder.hpp"
#include "utf8.hpp"

namespace opp::gateway::request {

std::optional<std::string_view> RequestParams::find(std::string_view key) const noexcept {
  // A typical request has about ten params: a scan that compares sizes first beats a
  // binary search; the sorted index keeps many-param bodies O(log n).
  constexpr size_t kScanLimit = 16;
  if (params_.size() <= kScanLimit) {
    for (const Param& param : params_) {
      if (param.key.size() == key.size() && param.key == key) return param.value;
    }
    return std::nullopt;
  }
  auto it = std::lower_bound(
      by_key_.begin(), by_key_.end(), key,
      [this](uint32_t index, std::string_view wanted) { return params_[index].key < wanted; });
  if (it == by_key_.end() || params_[*it].key != key) return std::nullopt;
  return params_[*it].value;
}

namespace detail {

Result<RequestParams> ParamsBuilder::finish() && {
  auto& params = params_.params_;
  for (const RequestParams::Param& param : params) {
    if (!is_valid_utf8(param.key)) return invalid_body("a parameter name is not valid UTF-8");
    if (!is_valid_utf8(param.value)) return invalid_param(param.key, "is not valid UTF-8");
  }
  // Sorting finds duplicates in O(n log n) however many params a hostile body carries,
  // and gives find() its binary search. string_view compares as unsigned bytes.
  auto& by_key = params_.by_key_;
  by_key.resize(params.size());
  std::iota(by_key.begin(), by_key.end(), 0u);
  std::sort(by_key.begin(), by_key.end(),
            [&params](uint32_t a, uint32_t b) { return params[a].key < params[b].key; });
  for (size_t i = 1; i < by_key.size(); ++i) {
    if (params[by_key[i]].key == params[by_key[i - 1]].key) {
      return duplicate_param(params[by_key[i]].key);
    }
  }
  params_.buffer_ = std::move(buffer_);
  return std::move(params_);
}

}  // namespace detail

Result<RequestParams> parse_request_params(std::string_view content_type, std::string_view body) {
  auto format = body_format(content_type);
  if (!format) return std::move(format).error();
  return *format == BodyFormat::kForm ? detail::parse_form_body(body)
                                      : detail::parse_json_body(body);
}

}  // namespace opp::gateway::request
