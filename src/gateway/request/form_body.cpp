// application/x-www-form-urlencoded bodies (WHATWG URL "urlencoded parsing", but strict
// about escapes: a '%' not followed by two hex digits is an error, not a literal, because
// a merchant's signing library and the gateway must agree on every byte).
#include <algorithm>
#include <array>
#include <cstring>

#include "param_errors.hpp"
#include "params_builder.hpp"

namespace opp::gateway::request::detail {
namespace {

constexpr std::array<int8_t, 256> kHexValue = [] {
  std::array<int8_t, 256> table{};
  table.fill(-1);
  for (int i = 0; i < 10; ++i) table['0' + i] = static_cast<int8_t>(i);
  for (int i = 0; i < 6; ++i) {
    table['a' + i] = static_cast<int8_t>(10 + i);
    table['A' + i] = static_cast<int8_t>(10 + i);
  }
  return table;
}();

/// Decodes [p, end) to `out` ('+' → space, %XX → byte); the end of what it wrote, or
/// nullptr on a bad escape. Decoding never writes more bytes than it reads.
char* decode_component(const char* p, const char* end, char* out) {
  while (p != end) {
    const char c = *p;
    if (c == '%') {
      if (end - p < 3) return nullptr;
      const int high = kHexValue[static_cast<unsigned char>(p[1])];
      const int low = kHexValue[static_cast<unsigned char>(p[2])];
      if ((high | low) < 0) return nullptr;
      *out++ = static_cast<char>(high << 4 | low);
      p += 3;
    } else {
      *out++ = c == '+' ? ' ' : c;
      ++p;
    }
  }
  return out;
}

}  // namespace

Result<RequestParams> parse_form_body(std::string_view body) {
  const char* p = body.data();
  const char* const end = p + body.size();
  const size_t segments = static_cast<size_t>(std::count(p, end, '&')) + 1;
  ParamsBuilder builder(body.size(), segments);
  char* out = builder.buffer();
  while (p < end) {
    const char* segment_end = static_cast<const char*>(std::memchr(p, '&', end - p));
    if (segment_end == nullptr) segment_end = end;
    if (segment_end == p) {  // "a=1&&b=2": nothing between two separators
      ++p;
      continue;
    }
    const char* equals = static_cast<const char*>(std::memchr(p, '=', segment_end - p));
    if (equals == nullptr) equals = segment_end;

    char* const key_begin = out;
    out = decode_component(p, equals, out);
    if (out == nullptr) {
      return invalid_param(std::string_view(p, equals - p), "has a bad %-escape in its name");
    }
    const std::string_view key(key_begin, out - key_begin);
    if (key.empty()) return invalid_body("a parameter has an empty name");

    char* const value_begin = out;
    if (equals != segment_end) {
      out = decode_component(equals + 1, segment_end, out);
      if (out == nullptr) return invalid_param(key, "has a bad %-escape");
    }
    builder.add(key, std::string_view(value_begin, out - value_begin));
    p = segment_end == end ? end : segment_end + 1;
  }
  return std::move(builder).finish();
}

}  // namespace opp::gateway::request::detail
