#pragma once
// Payment channels and how a payer's barcode selects one (SPEC §8 sandbox barcode rule).

#include <optional>
#include <string>
#include <string_view>

namespace opp::payment {

inline constexpr std::string_view kWxPay = "wxpay";
inline constexpr std::string_view kAliPay = "alipay";
inline constexpr std::string_view kUnionPay = "unionpay";

/// wxpay, alipay or unionpay.
bool is_known_pay_way(std::string_view pay_way);

/// auth_code is 16-24 digits; prefix 10-15 -> wxpay, 25-30 -> alipay, 62 -> unionpay.
/// nullopt for anything else.
std::optional<std::string> pay_way_for_auth_code(std::string_view auth_code);

}  // namespace opp::payment
