#pragma once
// A merchant request's params (SPEC §3.1): decoded key/value pairs in received order, all
// held in one buffer owned by the RequestParams, so a request costs one copy of its body.

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "opp/common/result.hpp"
#include "opp/crypto/canonical_string.hpp"

namespace opp::gateway::request {

namespace detail {
class ParamsBuilder;
}

/// Decoded params of one request. Keys are unique (parse_request_params rejects a key
/// given twice) and every key and value is valid UTF-8. Views returned by find() and by
/// iteration stay valid as long as this object (moving it keeps them valid).
class RequestParams {
 public:
  /// One param; the crypto library's type, so the canonical string needs no conversion.
  using Param = crypto::SignedParam;

  RequestParams() = default;
  RequestParams(RequestParams&&) noexcept = default;
  RequestParams& operator=(RequestParams&&) noexcept = default;

  /// The value of `key` (possibly empty), or nullopt when the request has no such key.
  std::optional<std::string_view> find(std::string_view key) const noexcept;

  /// Every param in received order.
  std::span<const Param> entries() const noexcept { return params_; }
  auto begin() const noexcept { return params_.begin(); }
  auto end() const noexcept { return params_.end(); }
  size_t size() const noexcept { return params_.size(); }
  bool empty() const noexcept { return params_.empty(); }

 private:
  friend class detail::ParamsBuilder;
  std::unique_ptr<char[]> buffer_;  // decoded bytes; a heap block, so moves keep views valid
  std::vector<Param> params_;       // received order
  std::vector<uint32_t> by_key_;    // indices into params_, sorted by key (byte order)
};

/// Decodes a request body by its Content-Type (SPEC §3.1):
///  - `application/x-www-form-urlencoded`: `&`-separated `key=value`, `+` is a space,
///    `%XX` a byte; empty segments are skipped; a key without `=` has an empty value;
///  - `application/json`: one object whose values are all strings.
/// Media types compare case-insensitively; a `charset` parameter must name UTF-8.
/// Errors (all 10001): `unsupported-content-type` (missing or other type, other
/// charset); `invalid-param` (bad %-escape, empty key, non-string JSON value, malformed
/// JSON, key or value not UTF-8 after decoding), naming the key where there is one;
/// `duplicate-param` naming the key.
Result<RequestParams> parse_request_params(std::string_view content_type, std::string_view body);

}  // namespace opp::gateway::request
