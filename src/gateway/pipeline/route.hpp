#pragma once
// Resolving the `{svc}` of the path and the `method` param against the catalog snapshot
// a request started on (SPEC §3.1, codes 10003 and 10004).

#include <string_view>

#include "opp/catalog/snapshot.hpp"
#include "opp/common/result.hpp"

namespace opp::gateway::pipeline {

/// The `{svc}` segment of "/gateway/{svc}", or "" when the path is not of that form.
std::string_view service_segment(std::string_view path);

/// The service, or 10003 `unknown-service`.
Result<const catalog::ServiceEntry*> resolve_service(const catalog::Snapshot* snapshot,
                                                     std::string_view svc);

/// The function `method` names (a route segment wins over a function name), or 10004
/// `unknown-method`.
Result<const idl::FunctionDescriptor*> resolve_method(const catalog::ServiceEntry& service,
                                                      std::string_view method);

}  // namespace opp::gateway::pipeline
