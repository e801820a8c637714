#include "payment/entity/validation.hpp"

#include <ctime>

namespace opp::payment {
namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

bool is_out_no_char(char c) {
  return is_digit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c == '-';
}

int parse_digits(std::string_view text) {
  int value = 0;
  for (char c : text) value = value * 10 + (c - '0');
  return value;
}

}  // namespace

bool is_valid_amount(int64_t amount) {
  return amount >= kMinAmount && amount <= kMaxAmount;
}

bool is_valid_out_no(std::string_view value) {
  if (value.empty() || value.size() > kMaxOutNoLength) return false;
  for (char c : value) {
    if (!is_out_no_char(c)) return false;
  }
  return true;
}

bool is_valid_merchant_id(std::string_view value) {
  if (value.empty() || value.size() > 64) return false;
  for (char c : value) {
    if (c <= ' ' || c > '~') return false;
  }
  return true;
}

bool is_valid_notify_url(std::string_view value) {
  if (value.empty()) return true;
  if (value.size() > 1024) return false;
  const bool http = value.starts_with("http://") && value.size() > 7;
  const bool https = value.starts_with("https://") && value.size() > 8;
  if (!http && !https) return false;
  for (char c : value) {
    if (c <= ' ' || c > '~') return false;
  }
  return true;
}

bool is_valid_utf8(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    if (lead < 0x80) {
      ++i;
      continue;
    }
    // Sequence length and the allowed range of the second byte (RFC 3629 table).
    size_t length = 0;
    unsigned char low = 0x80, high = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3;
      if (lead == 0xE0) low = 0xA0;   // overlong
      if (lead == 0xED) high = 0x9F;  // surrogates
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4;
      if (lead == 0xF0) low = 0x90;   // overlong
      if (lead == 0xF4) high = 0x8F;  // above U+10FFFF
    } else {
      return false;
    }
    if (i + length > text.size()) return false;
    for (size_t k = 1; k < length; ++k) {
      const auto byte = static_cast<unsigned char>(text[i + k]);
      const unsigned char min = k == 1 ? low : 0x80, max = k == 1 ? high : 0xBF;
      if (byte < min || byte > max) return false;
    }
    i += length;
  }
  return true;
}

std::optional<DayRange> parse_bill_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (!is_digit(text[i])) return std::nullopt;
  }
  std::tm day{};
  day.tm_year = parse_digits(text.substr(0, 4)) - 1900;
  day.tm_mon = parse_digits(text.substr(5, 2)) - 1;
  day.tm_mday = parse_digits(text.substr(8, 2));
  const int year = day.tm_year, month = day.tm_mon, mday = day.tm_mday;
  const time_t begin = timegm(&day);
  // timegm normalises 2026-02-30 to March 2nd: a changed field means the date was invalid.
  if (day.tm_year != year || day.tm_mon != month || day.tm_mday != mday || year < 70) {
    return std::nullopt;
  }
  const int64_t begin_ms = static_cast<int64_t>(begin) * 1000;
  return DayRange{begin_ms, begin_ms + 86'400'000};
}

}  // namespace opp::payment
