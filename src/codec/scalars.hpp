#pragma once
// Scalar conversions shared by both directions: exact decimal integers (never through
// double), doubles, base64 and UUID text.

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace opp::codec {

enum class IntParse : uint8_t { kOk, kSyntax, kRange };

/// Parses `-?[0-9]+` exactly into int64.
IntParse parse_decimal_i64(const char* p, size_t len, int64_t& out);

/// True when [min, max] of the integer kind holds v. kind: 8, 16, 32 or 64 bits.
inline bool int_fits(int64_t v, int bits) {
  switch (bits) {
    case 8:
      return v >= INT8_MIN && v <= INT8_MAX;
    case 16:
      return v >= INT16_MIN && v <= INT16_MAX;
    case 32:
      return v >= INT32_MIN && v <= INT32_MAX;
    default:
      return true;
  }
}

/// Parses a JSON number (grammar already checked) into a double; false on overflow.
bool parse_double(const char* p, size_t len, double& out);

/// Writes the shortest round-trip form of a finite double; returns the end.
char* format_double(char* out, double v);

/// Exact length of the base64 text's decoded bytes, or -1 when the length is invalid.
/// Accepts standard and URL-safe alphabets, with or without padding.
int64_t base64_decoded_size(const char* p, size_t len);
/// Decodes into `out` (room for base64_decoded_size bytes); false on a bad character.
bool base64_decode(const char* p, size_t len, unsigned char* out);
/// Standard alphabet, padded; returns bytes written (4 * ceil(len / 3)).
size_t base64_encode(const unsigned char* p, size_t len, char* out);
inline size_t base64_encoded_size(size_t len) {
  return (len + 2) / 3 * 4;
}

/// Canonical 8-4-4-4-12 hex text (either case) → 16 bytes.
bool parse_uuid(const char* p, size_t len, unsigned char out[16]);
/// 16 bytes → 36 lower-case characters.
void format_uuid(const unsigned char in[16], char out[36]);

}  // namespace opp::codec
