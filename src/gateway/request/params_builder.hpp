#pragma once
// Builds a RequestParams: the body decoders write decoded bytes into its one buffer and
// add views of them; finish() checks UTF-8 and duplicate keys and sorts the key index.

#include <memory>
#include <string_view>

#include "gateway/request/request_params.hpp"

namespace opp::gateway::request::detail {

class ParamsBuilder {
 public:
  /// A buffer of `capacity` bytes; a body never decodes to more bytes than it has, and the
  /// JSON decoder needs one more for the terminating NUL of in-place parsing.
  ParamsBuilder(size_t capacity, size_t expected_params)
      : buffer_(new char[capacity > 0 ? capacity : 1]) {
    params_.params_.reserve(expected_params);
  }

  char* buffer() noexcept { return buffer_.get(); }

  /// Records one param; both views must point into buffer().
  void add(std::string_view key, std::string_view value) {
    params_.params_.push_back({key, value});
  }

  /// The params, or 10001 `invalid-param` (a key or value is not UTF-8; the first in
  /// received order) or `duplicate-param` naming a key given twice.
  Result<RequestParams> finish() &&;

 private:
  std::unique_ptr<char[]> buffer_;
  RequestParams params_;
};

/// The two body formats of SPEC §3.1.
Result<RequestParams> parse_form_body(std::string_view body);
Result<RequestParams> parse_json_body(std::string_view body);

}  // namespace opp::gateway::request::detail
