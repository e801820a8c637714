#include "gateway/pipeline/route.hpp"

#include "gateway/request/param_errors.hpp"

namespace opp::gateway::pipeline {

std::string_view service_segment(std::string_view path) {
  constexpr std::string_view kPrefix = "/gateway/";
  if (path.substr(0, kPrefix.size()) != kPrefix) return {};
  std::string_view svc = path.substr(kPrefix.size());
  if (svc.find('/') != std::string_view::npos) return {};
  return svc;
}

Result<const catalog::ServiceEntry*> resolve_service(const catalog::Snapshot* snapshot,
                                                     std::string_view svc) {
  if (const catalog::ServiceEntry* entry = snapshot ? snapshot->find_service(svc) : nullptr)
    return entry;
  return Error{ErrorCode::kServerNotFound, "unknown-service",
               "unknown service " + request::detail::display_key(svc), ""};
}

Result<const idl::FunctionDescriptor*> resolve_method(const catalog::ServiceEntry& service,
                                                      std::string_view method) {
  if (const idl::FunctionDescriptor* fn = service.find_method(method)) return fn;
  return Error{
      ErrorCode::kServerMethodNotFound, "unknown-method",
      "service " + service.name() + " has no method " + request::detail::display_key(method), ""};
}

}  // namespace opp::gateway::pipeline
