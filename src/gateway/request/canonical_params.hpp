#pragma once
// The canonical string of a request (SPEC §3.2) over its decoded params.

#include <string>

#include "gateway/request/request_params.hpp"

namespace opp::gateway::request {

/// crypto::canonical_string over every received param: `sign` and empty values left out,
/// sorted by key in byte order, `key=value` joined with '&', values raw.
std::string canonical_string(const RequestParams& params);

}  // namespace opp::gateway::request
