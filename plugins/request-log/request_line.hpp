#pragma once
// One line of the request log: a merchant call's response as JSON, read through the host
// table. Never the `sign` param, never an unredacted listed field, never biz_params that
// cannot be parsed (it could be anything, a secret pasted in by mistake included).

#include <string_view>

#include "opp/plugin.h"
#include "request-log/redacted_json.hpp"

namespace opp::plugins::request_log {

/// biz_params longer than this is not parsed on the request's thread nor logged.
inline constexpr size_t kMaxLoggedBizParams = 32 * 1024;
/// Every other logged string is cut to this many bytes (at a UTF-8 boundary).
inline constexpr size_t kMaxLoggedString = 256;

/// Whether `r` is a merchant-API call (POST /gateway/{svc}): the requests the log covers.
bool is_merchant_call(const opp_host* host, const opp_request* r);

/// The log line of `r`'s response, ending in '\n'. The view is valid until the next call
/// on the same thread (the buffer is reused, so a warm thread allocates nothing).
///   {"time":"2024-05-01T12:34:56.789Z","request_id":"…","client":"127.0.0.1",
///    "merchant":"M1","svc":"payment","method":"QueryOrder","status":200,"err_code":0,
///    "elapsed_us":1234,"params":{"merchant_id":"M1",…,"biz_params":{…}}}
std::string_view format_request_line(const opp_host* host, const opp_request* r,
                                     const RedactFields& redact_fields);

}  // namespace opp::plugins::request_log
