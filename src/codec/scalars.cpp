#include "scalars.hpp"

#include <charconv>
#include <cmath>
#include <cstring>
#include <system_error>

namespace opp::codec {

IntParse parse_decimal_i64(const char* p, size_t len, int64_t& out) {
  const char* end = p + len;
  bool negative = false;
  if (p != end && *p == '-') negative = true, ++p;
  if (p == end) return IntParse::kSyntax;
  if (end - p <= 19) {
    // Up to 19 digits fit in uint64: accumulate without per-digit checks, compare once.
    uint64_t v = 0;
    for (; p != end; ++p) {
      unsigned d = static_cast<unsigned char>(*p) - '0';
      if (d > 9) return IntParse::kSyntax;
      v = v * 10 + d;
    }
    uint64_t limit = negative ? uint64_t{1} << 63 : (uint64_t{1} << 63) - 1;
    if (v > limit) return IntParse::kRange;
    out = negative ? static_cast<int64_t>(0 - v) : static_cast<int64_t>(v);
    return IntParse::kOk;
  }
  // Magnitude as unsigned so INT64_MIN parses without overflow.
  uint64_t limit = negative ? uint64_t{1} << 63 : (uint64_t{1} << 63) - 1;
  uint64_t v = 0;
  bool range = false;
  for (; p != end; ++p) {
    unsigned d = static_cast<unsigned char>(*p) - '0';
    if (d > 9) return IntParse::kSyntax;
    if (!range && (v > (limit - d) / 10)) range = true;
    v = v * 10 + d;
  }
  if (range) return IntParse::kRange;
  out = negative ? static_cast<int64_t>(0 - v) : static_cast<int64_t>(v);
  return IntParse::kOk;
}

bool parse_double(const char* p, size_t len, double& out) {
  auto [end, ec] = std::from_chars(p, p + len, out);
  return ec == std::errc() && end == p + len && std::isfinite(out);
}

char* format_double(char* out, double v) {
  char* end = std::to_chars(out, out + 32, v).ptr;
  // Keep a JSON reader's notion of "floating point": 3 → 3.0.
  bool integral = true;
  for (char* c = out; c != end; ++c) {
    if (*c == '.' || *c == 'e') {
      integral = false;
      break;
    }
  }
  if (integral) *end++ = '.', *end++ = '0';
  return end;
}

namespace {

struct Base64Table {
  signed char v[256];
  constexpr Base64Table() : v() {
    for (int i = 0; i < 256; ++i) v[i] = -1;
    const char* std_alpha = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (int i = 0; i < 64; ++i)
      v[static_cast<unsigned char>(std_alpha[i])] = static_cast<signed char>(i);
    v[static_cast<unsigned char>('-')] = 62;
    v[static_cast<unsigned char>('_')] = 63;
  }
};
constexpr Base64Table kDecode;
constexpr char kEncode[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

size_t strip_padding(const char* p, size_t len) {
  if (len % 4 == 0 && len >= 2) {
    if (p[len - 1] == '=') --len;
    if (p[len - 1] == '=') --len;
  }
  return len;
}

}  // namespace

int64_t base64_decoded_size(const char* p, size_t len) {
  len = strip_padding(p, len);
  if (len % 4 == 1) return -1;
  return static_cast<int64_t>(len / 4 * 3 + (len % 4 == 0 ? 0 : len % 4 - 1));
}

bool base64_decode(const char* p, size_t len, unsigned char* out) {
  len = strip_padding(p, len);
  const unsigned char* in = reinterpret_cast<const unsigned char*>(p);
  size_t full = len / 4 * 4;
  for (size_t i = 0; i < full; i += 4) {
    int a = kDecode.v[in[i]], b = kDecode.v[in[i + 1]], c = kDecode.v[in[i + 2]],
        d = kDecode.v[in[i + 3]];
    if ((a | b | c | d) < 0) return false;
    uint32_t n = (uint32_t(a) << 18) | (uint32_t(b) << 12) | (uint32_t(c) << 6) | uint32_t(d);
    *out++ = static_cast<unsigned char>(n >> 16);
    *out++ = static_cast<unsigned char>(n >> 8);
    *out++ = static_cast<unsigned char>(n);
  }
  size_t rest = len - full;
  if (rest == 0) return true;
  int a = kDecode.v[in[full]], b = kDecode.v[in[full + 1]];
  int c = rest == 3 ? kDecode.v[in[full + 2]] : 0;
  if ((a | b | c) < 0) return false;
  uint32_t n = (uint32_t(a) << 18) | (uint32_t(b) << 12) | (uint32_t(c) << 6);
  *out++ = static_cast<unsigned char>(n >> 16);
  if (rest == 3) *out++ = static_cast<unsigned char>(n >> 8);
  return true;
}

size_t base64_encode(const unsigned char* p, size_t len, char* out) {
  char* o = out;
  size_t i = 0;
  for (; i + 3 <= len; i += 3) {
    uint32_t n = (uint32_t(p[i]) << 16) | (uint32_t(p[i + 1]) << 8) | p[i + 2];
    o[0] = kEncode[n >> 18];
    o[1] = kEncode[(n >> 12) & 63];
    o[2] = kEncode[(n >> 6) & 63];
    o[3] = kEncode[n & 63];
    o += 4;
  }
  if (i < len) {
    uint32_t n = uint32_t(p[i]) << 16;
    if (i + 1 < len) n |= uint32_t(p[i + 1]) << 8;
    o[0] = kEncode[n >> 18];
    o[1] = kEncode[(n >> 12) & 63];
    o[2] = i + 1 < len ? kEncode[(n >> 6) & 63] : '=';
    o[3] = '=';
    o += 4;
  }
  return static_cast<size_t>(o - out);
}

namespace {
int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
}  // namespace

bool parse_uuid(const char* p, size_t len, unsigned char out[16]) {
  if (len != 36) return false;
  int byte = 0;
  for (size_t i = 0; i < 36;) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (p[i] != '-') return false;
      ++i;
      continue;
    }
    int hi = hex_value(p[i]), lo = hex_value(p[i + 1]);
    if (hi < 0 || lo < 0) return false;
    out[byte++] = static_cast<unsigned char>(hi << 4 | lo);
    i += 2;
  }
  return true;
}

void format_uuid(const unsigned char in[16], char out[36]) {
  static constexpr char kHex[] = "0123456789abcdef";
  int o = 0;
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out[o++] = '-';
    out[o++] = kHex[in[i] >> 4];
    out[o++] = kHex[in[i] & 15];
  }
}

}  // namespace opp::codec
