#pragma once
// Hand-tuned JSON output primitives for the Thrift→JSON direction: escaping with UTF-8
// validation (8 bytes at a time on plain ASCII), exact integers, shortest doubles.

#include <charconv>
#include <cstdint>
#include <cstring>

#include "buffer.hpp"
#include "scalars.hpp"

namespace opp::codec {

namespace json_detail {

inline bool has_special(uint64_t v) {
  constexpr uint64_t kOnes = 0x0101010101010101ull, kHigh = 0x8080808080808080ull;
  auto has_zero = [](uint64_t x) { return (x - kOnes) & ~x & kHigh; };
  uint64_t control = (v - 0x2020202020202020ull) & ~v & kHigh;  // bytes < 0x20
  return ((v & kHigh) | control | has_zero(v ^ 0x2222222222222222ull) |
          has_zero(v ^ 0x5C5C5C5C5C5C5C5Cull)) != 0;
}

/// Length of the valid UTF-8 sequence starting at s[0] (a byte >= 0x80), or 0.
inline size_t utf8_sequence(const unsigned char* s, size_t avail) {
  unsigned char c = s[0];
  auto cont = [&](size_t i) { return i < avail && (s[i] & 0xC0) == 0x80; };
  if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (avail < 3 || !cont(1) || !cont(2)) return 0;
    if (c == 0xE0 && s[1] < 0xA0) return 0;  // overlong
    if (c == 0xED && s[1] > 0x9F) return 0;  // surrogate
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (avail < 4 || !cont(1) || !cont(2) || !cont(3)) return 0;
    if (c == 0xF0 && s[1] < 0x90) return 0;  // overlong
    if (c == 0xF4 && s[1] > 0x8F) return 0;  // above U+10FFFF
    return 4;
  }
  return 0;
}

}  // namespace json_detail

/// Writes `"…"`; false when the text is not valid UTF-8.
inline bool write_json_string(Buffer& b, const char* text, size_t n) {
  static constexpr char kHex[] = "0123456789abcdef";
  const unsigned char* s = reinterpret_cast<const unsigned char*>(text);
  char* const begin = b.ensure(n * 6 + 2);
  char* o = begin;
  *o++ = '"';
  size_t i = 0;
  while (i < n) {
    if (i + 8 <= n) {
      uint64_t v;
      std::memcpy(&v, s + i, 8);
      if (!json_detail::has_special(v)) {
        std::memcpy(o, s + i, 8);
        o += 8, i += 8;
        continue;
      }
    }
    unsigned char c = s[i];
    if (c >= 0x80) {
      size_t len = json_detail::utf8_sequence(s + i, n - i);
      if (len == 0) return false;
      std::memcpy(o, s + i, len);
      o += len, i += len;
      continue;
    }
    ++i;
    if (c >= 0x20 && c != '"' && c != '\\') {
      *o++ = static_cast<char>(c);
      continue;
    }
    *o++ = '\\';
    switch (c) {
      case '"':
        *o++ = '"';
        break;
      case '\\':
        *o++ = '\\';
        break;
      case '\b':
        *o++ = 'b';
        break;
      case '\f':
        *o++ = 'f';
        break;
      case '\n':
        *o++ = 'n';
        break;
      case '\r':
        *o++ = 'r';
        break;
      case '\t':
        *o++ = 't';
        break;
      default:
        *o++ = 'u', *o++ = '0', *o++ = '0';
        *o++ = kHex[c >> 4], *o++ = kHex[c & 15];
    }
  }
  *o++ = '"';
  b.advance(static_cast<size_t>(o - begin));
  return true;
}

/// An integer, optionally quoted (api.js_conv and map keys).
inline void write_json_int(Buffer& b, int64_t v, bool quoted) {
  char* o = b.ensure(24);
  char* p = o;
  if (quoted) *p++ = '"';
  p = std::to_chars(p, p + 21, v).ptr;
  if (quoted) *p++ = '"';
  b.advance(static_cast<size_t>(p - o));
}

/// A finite double, optionally quoted (map keys).
inline void write_json_double(Buffer& b, double v, bool quoted) {
  char* o = b.ensure(40);
  char* p = o;
  if (quoted) *p++ = '"';
  p = format_double(p, v);
  if (quoted) *p++ = '"';
  b.advance(static_cast<size_t>(p - o));
}

inline void write_json_base64(Buffer& b, const char* data, size_t n) {
  char* o = b.ensure(base64_encoded_size(n) + 2);
  o[0] = '"';
  size_t len = base64_encode(reinterpret_cast<const unsigned char*>(data), n, o + 1);
  o[len + 1] = '"';
  b.advance(len + 2);
}

inline void write_json_uuid(Buffer& b, const char* bytes16) {
  char* o = b.ensure(38);
  o[0] = '"';
  format_uuid(reinterpret_cast<const unsigned char*>(bytes16), o + 1);
  o[37] = '"';
  b.advance(38);
}

}  // namespace opp::codec
