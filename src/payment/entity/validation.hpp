#pragma once
// Shape rules for what merchants send: amounts, merchant numbers, dates (SPEC §8).

#include <cstdint>
#include <optional>
#include <string_view>

namespace opp::payment {

inline constexpr int64_t kMinAmount = 1;
inline constexpr int64_t kMaxAmount = 10'000'000'000;  // 10^10 fen
inline constexpr size_t kMaxOutNoLength = 32;
inline constexpr int32_t kDefaultOrderExpirationMinutes = 120;
inline constexpr int32_t kMaxOrderExpirationMinutes = 43'200;  // 30 days

/// 1 <= amount <= 10^10.
bool is_valid_amount(int64_t amount);

/// out_order_no / out_refund_no: 1-32 chars of [A-Za-z0-9_-].
bool is_valid_out_no(std::string_view value);

/// A merchant id: 1-64 printable ASCII chars without spaces.
bool is_valid_merchant_id(std::string_view value);

/// An http:// or https:// URL without spaces or control characters (empty is allowed).
bool is_valid_notify_url(std::string_view value);

/// Well-formed UTF-8 (no overlong forms, surrogates or code points above U+10FFFF): what
/// the gateway's JSON side can carry back to merchants.
bool is_valid_utf8(std::string_view text);

/// The UTC day "YYYY-MM-DD" as [start, end) in Unix milliseconds; nullopt if malformed.
struct DayRange {
  int64_t begin_ms = 0;
  int64_t end_ms = 0;
};
std::optional<DayRange> parse_bill_date(std::string_view text);

}  // namespace opp::payment
