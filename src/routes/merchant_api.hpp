#pragma once
// The parts of the merchant API that do not come from the IDL (SPEC §3): the signed
// envelope params, the response envelope, its signature headers, and the error codes with
// their HTTP statuses (taken from opp/common/error.hpp's tables, so the listings follow
// them). Shared by the OpenAPI, HTML and Markdown renderers.

#include <cstdint>
#include <string>
#include <vector>

#include "routes/json.hpp"

namespace opp::routes {

/// One param of the signed request envelope (SPEC §3.1).
struct EnvelopeParam {
  std::string name;
  bool required = true;
  std::string description;
  Json schema;  ///< JSON Schema of its (string) value
};

/// merchant_id, method, biz_params, timestamp, nonce_str, sign_type, sign, in SPEC order.
/// `method` and `biz_params` describe themselves generically; the OpenAPI document
/// narrows them per method.
const std::vector<EnvelopeParam>& envelope_params();

/// The accepted sign_type values.
const std::vector<std::string>& sign_types();

/// One response header of the merchant API.
struct ResponseHeader {
  std::string name;
  std::string description;
  bool always = false;  ///< on every response (else: on signed responses only)
};
const std::vector<ResponseHeader>& response_headers();

/// An error answer of `POST /gateway/{svc}` (SPEC §3.3) other than a declared exception.
struct ErrorAnswer {
  int32_t err_code = 0;
  std::string err_message;  ///< "BadRequest", ...
  std::string sub_code;
  std::string when;  ///< what causes it; "" when the table has a sub_code we do not know
  /// Whether the answer is signed (X-Opp-* headers): it comes after authentication.
  enum class Signed : uint8_t { kNo, kYes, kUnknown } is_signed = Signed::kUnknown;
};

/// The error answers grouped by HTTP status, statuses ascending, in table order within.
struct StatusAnswers {
  uint16_t status = 0;
  std::string reason;  ///< "Bad Request", ...
  std::vector<ErrorAnswer> answers;
  /// Signed when every answer is, unsigned when none is, else kUnknown (sometimes).
  ErrorAnswer::Signed is_signed = ErrorAnswer::Signed::kUnknown;
};
const std::vector<StatusAnswers>& error_statuses();

/// The canonical string rule of SPEC §3.2 in one paragraph.
const char* canonical_string_rule();
/// The response signature rule of SPEC §3.3 in one paragraph.
const char* response_signature_rule();
/// How biz_params text maps to Thrift (SPEC §5), as notes for readers of the schemas.
const std::vector<std::string>& mapping_notes();

}  // namespace opp::routes
