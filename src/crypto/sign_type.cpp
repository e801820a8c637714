#include "opp/crypto/sign_type.hpp"

#include "crypto_error.hpp"

namespace opp::crypto {

std::string_view sign_type_name(SignType type) noexcept {
  switch (type) {
    case SignType::kHmacSha256:
      return "HMAC-SHA256";
    case SignType::kHmacSm3:
      return "HMAC-SM3";
    case SignType::kRsa2:
      return "RSA2";
  }
  return "";
}

Result<SignType> parse_sign_type(std::string_view name) {
  for (SignType type : {SignType::kHmacSha256, SignType::kHmacSm3, SignType::kRsa2}) {
    if (name == sign_type_name(type)) return type;
  }
  return detail::unauthorized("unsupported-sign-type",
                              "sign_type must be HMAC-SHA256, HMAC-SM3 or RSA2");
}

}  // namespace opp::crypto
