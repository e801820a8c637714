#include "opp/crypto/response_signature.hpp"

#include <chrono>

#include "opp/crypto/random.hpp"

namespace opp::crypto {

std::string response_signing_string(std::string_view timestamp, std::string_view nonce,
                                    std::string_view body) {
  std::string out;
  out.reserve(timestamp.size() + nonce.size() + body.size() + 3);
  out.append(timestamp).push_back('\n');
  out.append(nonce).push_back('\n');
  out.append(body).push_back('\n');
  return out;
}

namespace {

/// The headers for `body`, signed with `key` (a SigningKey or an HmacSecret).
template <class Key>
Result<ResponseSignature> signed_headers(SignType type, const Key& key, std::string_view body,
                                         int64_t timestamp_s, std::string nonce) {
  ResponseSignature headers;
  headers.timestamp = std::to_string(timestamp_s);
  headers.nonce = std::move(nonce);
  headers.sign_type = std::string(sign_type_name(type));
  auto signature = sign(type, key, response_signing_string(headers.timestamp, headers.nonce, body));
  if (!signature) return std::move(signature).error();
  headers.signature = std::move(*signature);
  return headers;
}

}  // namespace

Result<ResponseSignature> sign_response(SignType type, const SigningKey& key, std::string_view body,
                                        int64_t timestamp_s, std::string nonce) {
  return signed_headers(type, key, body, timestamp_s, std::move(nonce));
}

Result<ResponseSignature> sign_response(SignType type, const HmacSecret& secret,
                                        std::string_view body, int64_t timestamp_s,
                                        std::string nonce) {
  return signed_headers(type, secret, body, timestamp_s, std::move(nonce));
}

Result<ResponseSignature> sign_response(SignType type, const SigningKey& key,
                                        std::string_view body) {
  auto nonce = generate_nonce();
  if (!nonce) return std::move(nonce).error();
  const int64_t now_s = std::chrono::duration_cast<std::chrono::seconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
  return sign_response(type, key, body, now_s, std::move(*nonce));
}

Result<void> verify_response(const VerifyKey& key, const ResponseSignature& headers,
                             std::string_view body) {
  auto type = parse_sign_type(headers.sign_type);
  if (!type) return std::move(type).error();
  return verify(*type, key, response_signing_string(headers.timestamp, headers.nonce, body),
                headers.signature);
}

}  // namespace opp::crypto
