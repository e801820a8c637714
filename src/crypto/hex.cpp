#include "opp/crypto/hex.hpp"

#include <array>
#include <cstdint>

#include "crypto_error.hpp"

namespace opp::crypto {
namespace {

/// Character -> nibble, -1 outside [0-9A-Fa-f]: one load per character, no branches
/// (signatures are decoded on every merchant request).
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

}  // namespace

std::string hex_encode(std::string_view data) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(data.size() * 2);
  for (unsigned char byte : data) {
    out.push_back(kDigits[byte >> 4]);
    out.push_back(kDigits[byte & 0x0f]);
  }
  return out;
}

Result<std::string> hex_decode(std::string_view text) {
  if (text.size() % 2 != 0) {
    return detail::bad_input("invalid-hex", "hex text has an odd number of characters");
  }
  std::string out(text.size() / 2, '\0');
  int invalid = 0;
  for (size_t i = 0; i < out.size(); ++i) {
    const int high = kHexValue[static_cast<unsigned char>(text[2 * i])];
    const int low = kHexValue[static_cast<unsigned char>(text[2 * i + 1])];
    invalid |= high | low;  // negative once any character was not hex
    out[i] = static_cast<char>(((high & 0x0f) << 4) | (low & 0x0f));
  }
  if (invalid < 0) {
    return detail::bad_input("invalid-hex", "hex text has a character outside [0-9A-Fa-f]");
  }
  return out;
}

}  // namespace opp::crypto
