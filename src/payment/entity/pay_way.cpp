#include "payment/entity/pay_way.hpp"

namespace opp::payment {

bool is_known_pay_way(std::string_view pay_way) {
  return pay_way == kWxPay || pay_way == kAliPay || pay_way == kUnionPay;
}

std::optional<std::string> pay_way_for_auth_code(std::string_view auth_code) {
  if (auth_code.size() < 16 || auth_code.size() > 24) return std::nullopt;
  for (char c : auth_code) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  const int prefix = (auth_code[0] - '0') * 10 + (auth_code[1] - '0');
  if (prefix >= 10 && prefix <= 15) return std::string(kWxPay);
  if (prefix >= 25 && prefix <= 30) return std::string(kAliPay);
  if (prefix == 62) return std::string(kUnionPay);
  return std::nullopt;
}

}  // namespace opp::payment
