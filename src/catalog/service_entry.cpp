// Method lookup of a service entry and service lookup of a snapshot.
#include "opp/catalog/snapshot.hpp"

namespace opp::catalog {

ServiceEntry::ServiceEntry(std::string name, std::string file,
                           std::shared_ptr<const idl::Schema> schema,
                           std::shared_ptr<const codec::Codec> codec,
                           const idl::ServiceDescriptor& service)
    : name_(std::move(name)),
      file_(std::move(file)),
      schema_(std::move(schema)),
      codec_(std::move(codec)),
      service_(&service),
      functions_(service.all_functions()) {
  for (const idl::FunctionDescriptor* fn : functions_) {
    if (!fn->route_segment.empty()) by_route_.emplace(fn->route_segment, fn);
    by_name_.emplace(fn->name, fn);
  }
}

const idl::FunctionDescriptor* ServiceEntry::find_method(std::string_view method) const {
  if (auto it = by_route_.find(method); it != by_route_.end()) return it->second;
  if (auto it = by_name_.find(method); it != by_name_.end()) return it->second;
  return nullptr;
}

const ServiceEntry* Snapshot::find_service(std::string_view name) const {
  auto it = services.find(name);
  return it == services.end() ? nullptr : it->second.get();
}

}  // namespace opp::catalog
