#pragma once
// The envelope params every merchant request carries (SPEC §3.1), checked for presence
// and form before authentication. Values are views into the RequestParams they came
// from, which must outlive them.

#include <cstdint>
#include <string_view>

#include "gateway/request/request_params.hpp"
#include "opp/common/result.hpp"

namespace opp::gateway::request {

inline constexpr size_t kMinNonceLength = 8;
inline constexpr size_t kMaxNonceLength = 64;
inline constexpr size_t kMaxTimestampDigits = 19;

struct EnvelopeParams {
  std::string_view merchant_id;
  std::string_view method;
  std::string_view biz_params;  ///< as sent; "{}" when absent or empty
  int64_t timestamp_s = 0;      ///< Unix seconds
  std::string_view nonce_str;
  std::string_view sign_type;  ///< as sent; its value is judged by the authenticator
  std::string_view sign;
};

/// Checks the envelope params in the order of SPEC §3.1's table: `merchant_id`,
/// `method`, `timestamp` (1–19 decimal digits, no sign, within int64), `nonce_str`
/// (8–64 of [A-Za-z0-9_-]), `sign_type`, `sign`; `biz_params` is optional.
/// Errors (10001, naming the param): `missing-param` (absent or empty), `invalid-param`
/// (malformed).
Result<EnvelopeParams> check_envelope(const RequestParams& params);

}  // namespace opp::gateway::request
