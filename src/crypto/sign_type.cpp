#include "opp/crypto/sign_type.hpp"

#include <array>

#include "crypto_error.hpp"
#include "opp/common/enum_table.hpp"

namespace opp::crypto {

namespace {

constexpr std::array<EnumName<SignType>, 3> kSignTypeNames{{
    {SignType::kHmacSha256, "HMAC-SHA256"},
    {SignType::kHmacSm3, "HMAC-SM3"},
    {SignType::kRsa2, "RSA2"},
}};

}  // namespace

std::string_view sign_type_name(SignType type) noexcept {
  return name_of(kSignTypeNames, type);
}

Result<SignType> parse_sign_type(std::string_view name) {
  if (std::optional<SignType> type = value_of(kSignTypeNames, name)) return *type;
  return detail::unauthorized("unsupported-sign-type",
                              "sign_type must be HMAC-SHA256, HMAC-SM3 or RSA2");
}

}  // namespace opp::crypto
