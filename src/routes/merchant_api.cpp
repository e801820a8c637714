#include "routes/merchant_api.hpp"

#include <map>
#include <string_view>

#include "opp/common/error.hpp"

namespace opp::routes {
namespace {

Json string_schema(std::initializer_list<std::pair<const char*, Json>> extra) {
  Json s = Json::object();
  s.add("type", "string");
  for (const auto& [key, value] : extra) s.add(key, value);
  return s;
}

struct SubCodeText {
  const char* when;
  ErrorAnswer::Signed is_signed;
};

// What causes each sub_code (SPEC §3.3), and whether the answer comes after the request
// passed authentication (then it is signed). A sub_code added to the table later is still
// listed, without a text.
const std::map<std::string_view, SubCodeText>& sub_code_texts() {
  using S = ErrorAnswer::Signed;
  static const std::map<std::string_view, SubCodeText> texts{
      {"missing-param", {"a required param is absent or empty", S::kNo}},
      {"invalid-param", {"a param is malformed (timestamp, nonce_str, form encoding)", S::kNo}},
      {"duplicate-param", {"a param is given twice", S::kNo}},
      {"unsupported-content-type",
       {"the body is neither application/x-www-form-urlencoded nor application/json (UTF-8)",
        S::kNo}},
      {"body-too-large", {"the body exceeds limits.max_body_bytes", S::kNo}},
      {"header-too-large",
       {"the request head exceeds limits.max_header_bytes (the connection is closed)", S::kNo}},
      {"malformed-http", {"the HTTP request cannot be parsed", S::kNo}},
      {"http-on-tls-port",
       {"plain HTTP sent to the TLS listener (answered unencrypted; the connection is closed)",
        S::kNo}},
      {"invalid-biz-params",
       {"biz_params is not JSON, or a value does not fit the IDL (type, range, missing "
        "required field, union arity); sub_message names the JSON path",
        S::kYes}},
      {"invalid-signature", {"sign does not verify", S::kNo}},
      {"unknown-merchant", {"merchant_id is not registered", S::kNo}},
      {"merchant-disabled", {"the merchant is disabled", S::kNo}},
      {"unsupported-sign-type", {"sign_type is not one of the accepted values", S::kNo}},
      {"sign-type-mismatch", {"sign_type does not match the merchant's key", S::kNo}},
      {"timestamp-expired", {"timestamp is outside the accepted window", S::kNo}},
      {"nonce-replayed", {"nonce_str was already used inside the window", S::kNo}},
      {"nonce-quota-exceeded", {"the merchant has too many live nonces", S::kNo}},
      {"merchant-mismatch",
       {"biz_params names another merchant_id than the authenticated one", S::kYes}},
      {"ip-not-allowed",
       {"the client address is outside the merchant's allowlist (ip-allowlist plugin)", S::kYes}},
      {"unknown-service", {"no service is named {svc}", S::kNo}},
      {"unknown-method", {"the service has no such method", S::kYes}},
      {"no-upstream", {"no upstream is configured for the service, or none is healthy", S::kYes}},
      {"upstream-unavailable", {"the backend is unreachable", S::kYes}},
      {"upstream-reset", {"the backend connection was reset during the call", S::kYes}},
      {"upstream-saturated", {"the connection pool and its queue are full", S::kYes}},
      {"upstream-timeout", {"the backend did not answer in time", S::kYes}},
      {"nonce-store-unavailable",
       {"the shared nonce store cannot be reached (fail closed)", S::kNo}},
      {"upstream-exception",
       {"the backend raised TApplicationException or an undeclared exception", S::kYes}},
      {"bad-upstream-reply", {"the backend's reply does not decode against the IDL", S::kYes}},
      {"rate-limited",
       {"a rate limit is exceeded (rate-limit plugin); Retry-After says when to retry", S::kYes}},
  };
  return texts;
}

// Answers of other routes than POST /gateway/{svc}.
bool applies_to_merchant_route(std::string_view sub_code) {
  return sub_code != "method-not-allowed" && sub_code != "unknown-route";
}

const char* reason_phrase(uint16_t status) {
  switch (status) {
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 413:
      return "Content Too Large";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      return "Error";
  }
}

}  // namespace

const std::vector<std::string>& sign_types() {
  static const std::vector<std::string> types{"HMAC-SHA256", "HMAC-SM3", "RSA2"};
  return types;
}

const std::vector<EnvelopeParam>& envelope_params() {
  static const std::vector<EnvelopeParam> params = [] {
    Json sign_type_values = Json::strings(sign_types());
    return std::vector<EnvelopeParam>{
        {"merchant_id", true, "The calling merchant.", string_schema({{"minLength", 1}})},
        {"method", true,
         "The method: the last path segment of the function's HTTP annotation (`unifypay` for "
         "`api.post = '/payment/unifypay'`) or the Thrift function name; case-sensitive; a "
         "route segment wins over a function name.",
         string_schema({{"minLength", 1}})},
        {"biz_params", false,
         "The arguments as JSON text, signed exactly as sent. A function whose only argument "
         "is a struct takes that struct; any other function an object keyed by argument name; "
         "a function without arguments `{}`, an empty value, or nothing.",
         string_schema({{"contentMediaType", "application/json"}})},
        {"timestamp", true,
         "Unix seconds (1 to 19 digits); must be within auth.timestamp_window_s (default 300 s) "
         "of the gateway's clock.",
         string_schema({{"pattern", "^[0-9]{1,19}$"}})},
        {"nonce_str", true,
         "8 to 64 characters of [A-Za-z0-9_-], never reused by the merchant inside the "
         "timestamp window.",
         string_schema({{"pattern", "^[A-Za-z0-9_-]{8,64}$"}})},
        {"sign_type", true, "How `sign` is made; must match the merchant's key.",
         string_schema({{"enum", sign_type_values}})},
        {"sign", true,
         "Signature of the canonical string: lowercase or uppercase hex of HMAC-SHA256 / "
         "HMAC-SM3 with the merchant secret, or base64 of RSASSA-PKCS1-v1_5 with SHA-256 "
         "(RSA2) with the merchant's private key.",
         string_schema({{"minLength", 1}})},
    };
  }();
  return params;
}

const std::vector<ResponseHeader>& response_headers() {
  static const std::vector<ResponseHeader> headers{
      {"X-Request-Id", "Identifies the request in the gateway's logs.", true},
      {"X-Opp-Timestamp", "Unix seconds at which the response was signed.", false},
      {"X-Opp-Nonce", "The nonce of the response signature.", false},
      {"X-Opp-Sign-Type", "The request's sign_type: how X-Opp-Signature is made.", false},
      {"X-Opp-Signature",
       "Signature over X-Opp-Timestamp + \"\\n\" + X-Opp-Nonce + \"\\n\" + body + \"\\n\" (the "
       "exact body bytes): hex HMAC with the merchant secret for the HMAC sign types; for RSA2 "
       "base64 RSASSA-PKCS1-v1_5/SHA-256 with the platform key, whose public key is served at "
       "GET /gateway/platform-key.",
       false},
  };
  return headers;
}

const std::vector<StatusAnswers>& error_statuses() {
  static const std::vector<StatusAnswers> statuses = [] {
    std::map<uint16_t, StatusAnswers> by_status;
    for (const SubCodeInfo& row : kSubCodeTable) {
      const int32_t code = static_cast<int32_t>(row.code);
      if (code >= kFirstBusinessCode || !applies_to_merchant_route(row.sub_code)) continue;
      ErrorAnswer answer;
      answer.err_code = code;
      answer.err_message = std::string(error_name(row.code));
      answer.sub_code = std::string(row.sub_code);
      if (auto it = sub_code_texts().find(row.sub_code); it != sub_code_texts().end()) {
        answer.when = it->second.when;
        answer.is_signed = it->second.is_signed;
      }
      StatusAnswers& group = by_status[row.http_status];
      group.status = row.http_status;
      group.reason = reason_phrase(row.http_status);
      group.answers.push_back(std::move(answer));
    }
    std::vector<StatusAnswers> out;
    for (auto& [status, group] : by_status) {
      bool all = true, none = true;
      for (const ErrorAnswer& a : group.answers) {
        all = all && a.is_signed == ErrorAnswer::Signed::kYes;
        none = none && a.is_signed == ErrorAnswer::Signed::kNo;
      }
      group.is_signed = all    ? ErrorAnswer::Signed::kYes
                        : none ? ErrorAnswer::Signed::kNo
                               : ErrorAnswer::Signed::kUnknown;
      out.push_back(std::move(group));
    }
    return out;
  }();
  return statuses;
}

const char* canonical_string_rule() {
  return "The canonical string is every received param except `sign` and except params with "
         "an empty value, sorted by key (byte order), written as `key=value` and joined with "
         "`&`. Values are the decoded raw UTF-8 text: no URL encoding, and `biz_params` exactly "
         "as sent. Extra params are allowed and are signed too.";
}

const char* response_signature_rule() {
  return "Responses to requests that passed authentication are signed, error responses "
         "included: X-Opp-Signature covers X-Opp-Timestamp + \"\\n\" + X-Opp-Nonce + \"\\n\" + "
         "body + \"\\n\" over the exact body bytes, with the merchant secret (HMAC sign types) "
         "or the platform key (RSA2; public key at GET /gateway/platform-key).";
}

const std::vector<std::string>& mapping_notes() {
  static const std::vector<std::string> notes{
      "biz_params schemas describe what the gateway accepts; data schemas what it writes.",
      "Integers (i8, i16, i32, i64) are read from a JSON integer written without fraction or "
      "exponent, or from a string of decimal digits with an optional leading '-' (leading "
      "zeros allowed), range-checked for the field's type; never through a double.",
      "In data, integers are JSON integers, except fields annotated api.js_conv, which are "
      "decimal strings (their list elements and map values too).",
      "Enums are read from a declared member's integer value, its name, or its value as "
      "decimal text; data holds the integer.",
      "binary is base64: read in the standard or the URL-safe alphabet, padding optional; "
      "written in the standard alphabet, padded.",
      "Map keys are JSON object keys: integer keys as decimal text, enum keys by name or "
      "value (written as the value), bool keys as \"true\"/\"false\", double keys as number "
      "text; maps with struct or container keys cannot be written in JSON.",
      "Object keys are the Thrift field names, or the name in go.tag='json:\"x\"' / api.key. "
      "Unknown keys are ignored; null means absent.",
      "A missing required field is an error naming its path; a missing field of default "
      "requiredness takes its IDL default (`default` in the schemas) when one is declared; "
      "an absent optional field is not sent, even when it has a default.",
      "A union takes exactly one field.",
      "In data, fields absent on the wire are omitted.",
      "Where the schemas differ from the gateway: they do not show that null is accepted "
      "(as absent) for every field; sets are uniqueItems, while the gateway passes duplicates "
      "on; a union's unknown keys count against its maxProperties; and JSON Schema's integer "
      "admits 1.0, which the gateway rejects (write integers without fraction or exponent).",
  };
  return notes;
}

}  // namespace opp::routes
