#pragma once
// The parts of the OpenAPI document that do not come from the IDL: the signed request
// envelope, the error responses of the code table, the response headers, and the
// gateway's GET endpoints (SPEC §3, §4).

#include <cstdint>
#include <string>

#include "routes/json.hpp"
#include "routes/merchant_api.hpp"

namespace opp::routes {

inline constexpr const char* kOpenApiSchemas = "#/components/schemas/";
/// The request_id of every example response.
inline constexpr const char* kExampleRequestId = "6f1c0a9e2b7d4c38-1";

/// `{"$ref": "#/components/schemas/<name>"}`.
Json openapi_ref(const std::string& name);

/// Response headers: X-Request-Id always, the X-Opp-* signature headers required when
/// `is_signed` is kYes, optional when kUnknown, absent when kNo.
Json openapi_response_headers(ErrorAnswer::Signed is_signed);

/// `opp.SignedRequest`: the envelope params, all strings, extra params allowed.
Json openapi_signed_request_schema();
/// `opp.ErrorResponse`: err_code, err_message, sub_code, sub_message, request_id.
Json openapi_error_response_schema();
/// A response object for one HTTP status: its codes and sub_codes, examples, headers.
Json openapi_error_response(const StatusAnswers& group);
/// "Error400": the component name of a status's response.
std::string openapi_error_response_name(uint16_t status);

/// The optional X-Request-Id request header, as an operation's `parameters`.
Json openapi_request_id_parameter();
/// Adds GET /healthz, /metrics, /gateway/routes, /gateway/openapi.json, /gateway/docs,
/// /gateway/_status and /gateway/platform-key to `paths`.
void openapi_gateway_paths(Json& paths);

}  // namespace opp::routes
