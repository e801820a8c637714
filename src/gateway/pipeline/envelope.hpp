#pragma once
// The response body of the merchant API (SPEC §3.3): always a JSON object with err_code,
// err_message, request_id and, on success or for a declared exception, data.

#include <string>
#include <string_view>

#include "opp/common/error.hpp"

namespace opp::gateway::pipeline {

/// {"err_code":0,"err_message":"ok","request_id":…,"data":<data_json>}
std::string success_body(std::string_view request_id, std::string_view data_json);

/// {"err_code":…,"err_message":<the code's name>,"sub_code":…,"sub_message":…,
///  "request_id":…}
std::string error_body(const Error& error, std::string_view request_id);

/// A backend's declared exception (SPEC §3.3 "≥ 20000"): err_code and err_message as the
/// codec read them from the exception, sub_code from the table when the code has one,
/// data = the exception as JSON.
std::string business_error_body(ErrorCode code, std::string_view message,
                                std::string_view request_id, std::string_view exception_json);

}  // namespace opp::gateway::pipeline
