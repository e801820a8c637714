#include "gateway/request/envelope.hpp"

#include <limits>

#include "param_errors.hpp"

namespace opp::gateway::request {
namespace {

/// The value of a required param, or missing-param when it is absent or empty (an empty
/// value is not signed, SPEC §3.2, so it cannot stand for a required one).
Result<std::string_view> required(const RequestParams& params, std::string_view key) {
  auto value = params.find(key);
  if (!value || value->empty()) return detail::missing_param(key);
  return *value;
}

/// Decimal digits only, at most 19, and within int64 (19 nines exceed it).
bool parse_unix_seconds(std::string_view text, int64_t& out) {
  if (text.empty() || text.size() > kMaxTimestampDigits) return false;
  uint64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + static_cast<uint64_t>(c - '0');  // 19 digits fit in uint64
  }
  if (value > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) return false;
  out = static_cast<int64_t>(value);
  return true;
}

bool is_nonce(std::string_view text) {
  if (text.size() < kMinNonceLength || text.size() > kMaxNonceLength) return false;
  for (char c : text) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

Result<EnvelopeParams> check_envelope(const RequestParams& params) {
  EnvelopeParams envelope;

  auto merchant_id = required(params, "merchant_id");
  if (!merchant_id) return std::move(merchant_id).error();
  envelope.merchant_id = *merchant_id;

  auto method = required(params, "method");
  if (!method) return std::move(method).error();
  envelope.method = *method;

  auto biz_params = params.find("biz_params");
  envelope.biz_params = biz_params && !biz_params->empty() ? *biz_params : "{}";

  auto timestamp = required(params, "timestamp");
  if (!timestamp) return std::move(timestamp).error();
  if (!parse_unix_seconds(*timestamp, envelope.timestamp_s)) {
    return detail::invalid_param("timestamp", "must be Unix seconds: 1 to 19 decimal digits");
  }

  auto nonce = required(params, "nonce_str");
  if (!nonce) return std::move(nonce).error();
  if (!is_nonce(*nonce)) {
    return detail::invalid_param("nonce_str", "must be 8 to 64 characters of [A-Za-z0-9_-]");
  }
  envelope.nonce_str = *nonce;

  auto sign_type = required(params, "sign_type");
  if (!sign_type) return std::move(sign_type).error();
  envelope.sign_type = *sign_type;

  auto sign = required(params, "sign");
  if (!sign) return std::move(sign).error();
  envelope.sign = *sign;
  return envelope;
}

}  // namespace opp::gateway::request
