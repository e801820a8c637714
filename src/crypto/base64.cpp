#include "opp/crypto/base64.hpp"

#include <array>

#include "crypto_error.hpp"

namespace opp::crypto {
namespace {

constexpr std::string_view kStandard =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::string_view kUrlSafe =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string_view symbols(Base64Alphabet alphabet) {
  return alphabet == Base64Alphabet::kStandard ? kStandard : kUrlSafe;
}

/// Symbol -> 6-bit value, -1 for characters outside the alphabet.
std::array<int8_t, 256> reverse_table(std::string_view alphabet) {
  std::array<int8_t, 256> table;
  table.fill(-1);
  for (size_t i = 0; i < alphabet.size(); ++i) {
    table[static_cast<unsigned char>(alphabet[i])] = static_cast<int8_t>(i);
  }
  return table;
}

Error invalid(const char* why) {
  return detail::bad_input("invalid-base64", std::string("base64 text ") + why);
}

}  // namespace

std::string base64_encode(std::string_view data, Base64Alphabet alphabet) {
  const std::string_view table = symbols(alphabet);
  const bool pad = alphabet == Base64Alphabet::kStandard;
  std::string out;
  out.reserve((data.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= data.size(); i += 3) {
    uint32_t group = static_cast<unsigned char>(data[i]) << 16 |
                     static_cast<unsigned char>(data[i + 1]) << 8 |
                     static_cast<unsigned char>(data[i + 2]);
    out.push_back(table[(group >> 18) & 0x3f]);
    out.push_back(table[(group >> 12) & 0x3f]);
    out.push_back(table[(group >> 6) & 0x3f]);
    out.push_back(table[group & 0x3f]);
  }
  const size_t rest = data.size() - i;
  if (rest > 0) {
    uint32_t group = static_cast<unsigned char>(data[i]) << 16;
    if (rest == 2) group |= static_cast<unsigned char>(data[i + 1]) << 8;
    out.push_back(table[(group >> 18) & 0x3f]);
    out.push_back(table[(group >> 12) & 0x3f]);
    if (rest == 2) out.push_back(table[(group >> 6) & 0x3f]);
    if (pad) out.append(rest == 1 ? "==" : "=");
  }
  return out;
}

Result<std::string> base64_decode(std::string_view text, Base64Alphabet alphabet) {
  static const std::array<int8_t, 256> kStandardReverse = reverse_table(kStandard);
  static const std::array<int8_t, 256> kUrlSafeReverse = reverse_table(kUrlSafe);
  const auto& reverse = alphabet == Base64Alphabet::kStandard ? kStandardReverse : kUrlSafeReverse;

  // Padding is optional, but when present it must make the length a multiple of 4.
  size_t padding = 0;
  while (padding < 2 && padding < text.size() && text[text.size() - 1 - padding] == '=') {
    ++padding;
  }
  const std::string_view symbols_only = text.substr(0, text.size() - padding);
  if (padding > 0 && text.size() % 4 != 0) return invalid("has misplaced '=' padding");
  if (symbols_only.size() % 4 == 1) return invalid("has an impossible length");

  std::string out;
  out.reserve(symbols_only.size() * 3 / 4);
  uint32_t buffer = 0;
  int bits = 0;
  for (char c : symbols_only) {
    int value = reverse[static_cast<unsigned char>(c)];
    if (value < 0) return invalid("has a character outside the alphabet");
    buffer = (buffer << 6) | static_cast<uint32_t>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> bits) & 0xff));
    }
  }
  // Leftover bits must be zero, so every byte string has exactly one encoding.
  if ((buffer & ((1u << bits) - 1)) != 0) return invalid("has non-zero trailing bits");
  return out;
}

}  // namespace opp::crypto
