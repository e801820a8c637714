#pragma once
// Which body format a Content-Type header names (SPEC §3.1).

#include <string_view>

#include "opp/common/result.hpp"

namespace opp::gateway::request {

enum class BodyFormat { kForm, kJson };

/// `application/x-www-form-urlencoded` or `application/json`, compared case-insensitively
/// (RFC 9110 §8.3.1), with optional whitespace and parameters. A `charset` parameter must
/// be UTF-8 (or its subset US-ASCII), quoted or not; other parameters are ignored.
/// Errors: 10001 `unsupported-content-type` (missing, another type, another charset).
Result<BodyFormat> body_format(std::string_view content_type);

}  // namespace opp::gateway::request
