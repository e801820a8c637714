#pragma once
// Example values for the listings: a biz_params and a data value per method built from
// the descriptors (placeholders that fit the schemas), and an example signed request with
// its canonical string (SPEC §3.2). Fixed placeholder values keep the output deterministic.

#include <string>
#include <utility>
#include <vector>

#include "routes/json.hpp"
#include "routes/model.hpp"
#include "routes/schema.hpp"

namespace opp::routes {

/// Placeholder envelope values used by every example.
inline constexpr const char* kExampleMerchant = "M100001";
inline constexpr const char* kExampleTimestamp = "1767225600";  // 2026-01-01T00:00:00Z
inline constexpr const char* kExampleNonce = "n8f3k2q9x7w1";
inline constexpr const char* kExampleSignType = "HMAC-SHA256";
inline constexpr const char* kExampleSign = "HEX_HMAC_SHA256_OF_CANONICAL_STRING";

/// An example value of `type` in `direction` (what a merchant would send / receive).
Json example_value(const idl::TypeDescriptor& type, Direction direction, bool js_conv = false);

/// Example biz_params of a method (the bound merchant_id left out: the gateway fills it).
Json example_biz_params(const MethodInfo& method);

/// Example `data` of a method's success ({} for void and oneway).
Json example_data(const MethodInfo& method);

/// An example signed request of a method.
struct SignedExample {
  std::vector<std::pair<std::string, std::string>> params;  ///< in sending order
  std::string canonical;                                    ///< the canonical string to sign
  std::string form_body;     ///< application/x-www-form-urlencoded body
  std::string json_body;     ///< application/json body
  std::string sign_command;  ///< a shell line computing `sign` with openssl
};
SignedExample signed_example(const MethodInfo& method);

}  // namespace opp::routes
