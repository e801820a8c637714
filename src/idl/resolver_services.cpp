// Services: `extends` across includes, functions with their synthesized
// "<Service>_<fn>_args" / "_result" structs, and HTTP route annotations.
#include <set>

#include "resolver_internal.hpp"

namespace opp::idl {
namespace {

// `api.post = '/payment/unifypay'` → ("post", "/payment/unifypay", "unifypay").
void read_http_annotation(const Annotations& annotations, FunctionDescriptor& fn) {
  static const std::set<std::string, std::less<>> kVerbs = {"get", "post", "put", "delete",
                                                            "patch"};
  constexpr std::string_view kPrefix = "api.";
  for (const Annotation& a : annotations.items) {
    if (a.key.rfind(kPrefix, 0) != 0) continue;
    std::string verb = a.key.substr(kPrefix.size());
    if (!kVerbs.count(verb)) continue;
    fn.http_verb = verb;
    fn.http_path = a.value;
    std::string path = a.value;
    while (!path.empty() && path.back() == '/') path.pop_back();
    fn.route_segment = path.substr(path.rfind('/') + 1);
    return;
  }
}

}  // namespace

void Resolver::declare_service_bases(size_t file) {
  const ast::File& src = files_[file].ast;
  for (size_t i = 0; i < src.services.size(); ++i) {
    const ast::Service& s = src.services[i];
    if (s.extends.empty()) continue;
    auto names_type = [](const Symbols& symbols, const std::string& name) {
      return symbols.types.count(name) || symbols.typedefs.count(name);
    };
    ServiceDescriptor* base = nullptr;
    bool is_type = names_type(symbols_[file], s.extends);
    if (auto it = symbols_[file].services.find(s.extends); it != symbols_[file].services.end()) {
      base = it->second;
    } else if (std::optional<IncludedName> included = find_in_includes(file, s.extends)) {
      const Symbols& other = symbols_[included->file];
      if (auto it = other.services.find(included->local); it != other.services.end()) {
        base = it->second;
      }
      is_type = is_type || names_type(other, included->local);
    }
    if (!base) {
      error(file, s.extends_location,
            is_type
                ? "service '" + s.name + "' cannot extend '" + s.extends + "': it is not a service"
                : "service '" + s.name + "' extends unknown service '" + s.extends + "'");
      continue;
    }
    programs_[file]->services[i]->extends = base;
  }
}

void Resolver::fill_services(size_t file) {
  const ast::File& src = files_[file].ast;
  for (size_t i = 0; i < src.services.size(); ++i) {
    const ast::Service& s = src.services[i];
    ServiceDescriptor& d = *programs_[file]->services[i];
    // An `extends` chain that loops would make all_functions() endless.
    std::set<const ServiceDescriptor*> seen{&d};
    for (const ServiceDescriptor* b = d.extends; b; b = b->extends) {
      if (!seen.insert(b).second) {
        error(file, s.extends_location,
              "service '" + s.name + "' extends itself (through '" + s.extends + "')");
        d.extends = nullptr;
        break;
      }
    }
    std::set<std::string> names;
    for (const ast::Function& fn : s.functions) {
      if (!names.insert(fn.name).second) {
        error(file, fn.location,
              "function '" + fn.name + "' is already defined in service '" + s.name + "'");
        continue;
      }
      fill_function(file, fn, d);
    }
  }
}

void Resolver::fill_function(size_t file, const ast::Function& fn, ServiceDescriptor& service) {
  auto d = std::make_unique<FunctionDescriptor>();
  d->name = fn.name;
  d->service = &service;
  d->oneway = fn.oneway;
  d->return_type = resolve_type(file, fn.return_type);
  d->doc = fn.doc;
  d->annotations = fn.annotations;
  d->location = source_location(file, fn.location);
  read_http_annotation(fn.annotations, *d);
  const std::string owner = service.name + "." + fn.name;
  if (fn.oneway && d->return_type && d->return_type->kind != TypeKind::kVoid) {
    error(file, fn.return_type.location, "oneway function '" + owner + "' must return void");
  }
  if (fn.oneway && !fn.exceptions.empty()) {
    error(file, fn.exceptions.front().location,
          "oneway function '" + owner + "' cannot throw exceptions");
  }

  auto args = std::make_unique<StructDescriptor>();
  args->name = service.name + "_" + fn.name + "_args";
  args->program = service.program;
  args->location = d->location;
  fill_fields(file, fn.arguments, *args, "arguments of '" + owner + "'");

  auto result = std::make_unique<StructDescriptor>();
  result->name = service.name + "_" + fn.name + "_result";
  result->program = service.program;
  result->location = d->location;
  bool has_success = d->return_type && d->return_type->kind != TypeKind::kVoid;
  if (has_success) {
    FieldDescriptor success;
    success.id = 0;
    success.name = "success";
    success.json_key = "success";
    success.requiredness = Requiredness::kOptional;
    success.type = d->return_type;
    success.declared_type = fn.return_type.spelling();
    success.location = d->location;
    result->fields.push_back(std::move(success));
  }
  fill_fields(file, fn.exceptions, *result, "throws of '" + owner + "'");
  for (size_t i = has_success ? 1 : 0; i < result->fields.size(); ++i) {
    const FieldDescriptor& f = result->fields[i];
    bool is_exception = f.type && f.type->kind == TypeKind::kStruct &&
                        f.type->struct_type->kind == StructDescriptor::Kind::kException;
    if (f.type && !is_exception) {
      error(file, {f.location.line, f.location.column},
            "'" + owner + "' throws '" + f.declared_type + "', which is not an exception");
    }
    d->exceptions.push_back(&f);
  }
  d->args = args.get();
  d->result = result.get();
  schema_->synthesized_.push_back(std::move(args));
  schema_->synthesized_.push_back(std::move(result));
  service.functions.push_back(std::move(d));
}

}  // namespace opp::idl
