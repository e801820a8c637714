// libFuzzer target for request bodies: parse_request_params (form or JSON, chosen by the
// first byte: 'J' = JSON, anything else = form), then check_envelope and the canonical
// string. Traps when an accepted body breaks a promise of RequestParams: unique keys,
// UTF-8 keys and values, find() agreeing with iteration.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "gateway/request/canonical_params.hpp"
#include "gateway/request/envelope.hpp"
#include "gateway/request/request_params.hpp"
#include "gateway/request/utf8.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const bool json = data[0] == 'J';
  const std::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);
  auto params = opp::gateway::request::parse_request_params(
      json ? "application/json" : "application/x-www-form-urlencoded", body);
  if (!params) {
    if (params.error().code != opp::ErrorCode::kBadRequest) __builtin_trap();
    return 0;
  }
  size_t bytes = 0;
  for (const auto& param : *params) {
    if (param.key.empty() || !opp::gateway::request::detail::is_valid_utf8(param.key) ||
        !opp::gateway::request::detail::is_valid_utf8(param.value)) {
      __builtin_trap();
    }
    auto found = params->find(param.key);
    if (!found || found->data() != param.value.data()) __builtin_trap();  // duplicate key
    bytes += param.key.size() + param.value.size();
  }
  if (bytes > body.size()) __builtin_trap();  // decoding never grows
  const std::string canonical = opp::gateway::request::canonical_string(*params);
  if (canonical.size() > bytes + params->size() * 2) __builtin_trap();
  auto envelope = opp::gateway::request::check_envelope(*params);
  if (!envelope && envelope.error().code != opp::ErrorCode::kBadRequest) __builtin_trap();
  return 0;
}
