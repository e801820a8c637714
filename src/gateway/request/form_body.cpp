// application/x-www-form-urlencoded bodies (WHATWG URL "urlencoded parsing", but strict
// about escapes: a '%' not followed by two hex digits is an error, not a literal, because
// a merchant's signing library and the gateway must agree on every byte).
#include <array>
#include <bit>
#include <cstdint>
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

/// One high bit per byte of `word` that is '%' or '+'. Bytes above the lowest flagged one
/// may be flagged wrongly (a borrow carries on), so only the lowest is used.
inline uint64_t escape_bytes(uint64_t word) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL;
  constexpr uint64_t kHighs = 0x8080808080808080ULL;
  const uint64_t percent = word ^ (kOnes * '%');
  const uint64_t plus = word ^ (kOnes * '+');
  return ((percent - kOnes) & ~percent & kHighs) | ((plus - kOnes) & ~plus & kHighs);
}

/// Decodes one '%XX' or '+' at `p` to `out`; false on a bad escape.
inline bool decode_escape(const char*& p, const char* end, char*& out) {
  if (*p == '+') {
    *out++ = ' ';
    ++p;
    return true;
  }
  if (end - p < 3) return false;
  const int high = kHexValue[static_cast<unsigned char>(p[1])];
  const int low = kHexValue[static_cast<unsigned char>(p[2])];
  if ((high | low) < 0) return false;
  *out++ = static_cast<char>(high << 4 | low);
  p += 3;
  return true;
}

/// Decodes [p, end) to `out` ('+' → space, %XX → byte); the end of what it wrote, or
/// nullptr on a bad escape. Plain text is copied eight bytes at a time. Decoding never
/// writes more bytes than it reads, and `out` never runs ahead of `p`'s offset in the
/// body, so the eight-byte stores stay inside a buffer of the body's size.
char* decode_component(const char* p, const char* end, char* out) {
  while (end - p >= 8) {
    uint64_t word;
    std::memcpy(&word, p, sizeof word);
    std::memcpy(out, &word, sizeof word);
    const uint64_t escapes = escape_bytes(word);
    if (escapes == 0) {
      p += 8;
      out += 8;
      continue;
    }
    const size_t plain = static_cast<size_t>(std::countr_zero(escapes)) / 8;
    p += plain;
    out += plain;
    if (!decode_escape(p, end, out)) return nullptr;
  }
  while (p != end) {
    if (*p == '%' || *p == '+') {
      if (!decode_escape(p, end, out)) return nullptr;
    } else {
      *out++ = *p++;
    }
  }
  return out;
}

}  // namespace

Result<RequestParams> parse_form_body(std::string_view body) {
  const char* p = body.data();
  const char* const end = p + body.size();
  constexpr size_t kTypicalParams = 16;  // the envelope's seven and a few extra
  ParamsBuilder builder(body.size(), kTypicalParams);
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
