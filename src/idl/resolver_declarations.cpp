// First pass: one descriptor per declaration, registered under its name so later passes
// can look it up; second definitions of a name are reported and left unregistered.
#include <algorithm>
#include <set>
#include <tuple>

#include "resolver_internal.hpp"

namespace opp::idl {

void Resolver::declare(size_t file) {
  const ast::File& src = files_[file].ast;
  Program& program = *programs_[file];
  Symbols& symbols = symbols_[file];
  // True for the first definition of `name` among `seen`; reports any later one.
  auto first_definition = [&](std::unordered_map<std::string, ast::Location>& seen,
                              const char* what, const std::string& name, const ast::Location& at) {
    auto [it, fresh] = seen.emplace(name, at);
    if (!fresh) {
      error(file, at,
            std::string(what) + " '" + name + "' is already defined at line " +
                std::to_string(it->second.line));
    }
    return fresh;
  };

  // Typedefs, enums and structs share one namespace; the first in source order wins.
  std::vector<std::pair<ast::Location, const std::string*>> declared;
  for (const ast::Typedef& t : src.typedefs) declared.emplace_back(t.location, &t.name);
  for (const ast::Enum& e : src.enums) declared.emplace_back(e.location, &e.name);
  for (const ast::Struct& s : src.structs) declared.emplace_back(s.location, &s.name);
  std::stable_sort(declared.begin(), declared.end(), [](const auto& a, const auto& b) {
    return std::tie(a.first.line, a.first.column) < std::tie(b.first.line, b.first.column);
  });
  std::unordered_map<std::string, ast::Location> type_names;
  for (const auto& [at, name] : declared) first_definition(type_names, "type", *name, at);
  auto owns_type_name = [&](const std::string& name, const ast::Location& at) {
    const ast::Location& first = type_names.at(name);
    return first.line == at.line && first.column == at.column;
  };
  // The TypeDescriptor through which fields, typedefs and constants refer to an enum or
  // struct; a duplicate keeps its descriptor (for listings) but gets none.
  auto add_named_type = [&](const std::string& name, TypeKind kind,
                            WireType wire) -> TypeDescriptor& {
    auto type = std::make_unique<TypeDescriptor>();
    type->kind = kind;
    type->wire = wire;
    type->name = qualified_name(&program, name);
    TypeDescriptor& added = *type;
    symbols.types[name] = &added;
    schema_->types_.push_back(std::move(type));
    return added;
  };

  for (const ast::Typedef& t : src.typedefs) {
    if (!owns_type_name(t.name, t.location)) continue;
    auto d = std::make_unique<TypedefDescriptor>();
    d->name = t.name;
    d->declared_type = t.type.spelling();
    d->doc = t.doc;
    d->annotations = t.annotations;
    d->location = source_location(file, t.location);
    symbols.typedefs[t.name] = TypedefEntry{d.get(), &t, State::kPending};
    program.typedefs.push_back(std::move(d));
  }
  // What an enum, struct or service descriptor takes over from its definition as written.
  auto describe = [&](auto descriptor, const auto& definition) {
    descriptor->name = definition.name;
    descriptor->program = &program;
    descriptor->doc = definition.doc;
    descriptor->annotations = definition.annotations;
    descriptor->location = source_location(file, definition.location);
    return descriptor;
  };
  for (const ast::Enum& e : src.enums) {
    auto d = describe(std::make_unique<EnumDescriptor>(), e);
    if (owns_type_name(e.name, e.location)) {
      add_named_type(e.name, TypeKind::kEnum, WireType::kI32).enum_type = d.get();
    }
    program.enums.push_back(std::move(d));
  }
  for (const ast::Struct& s : src.structs) {
    auto d = describe(std::make_unique<StructDescriptor>(), s);
    d->kind = s.kind;
    if (owns_type_name(s.name, s.location)) {
      add_named_type(s.name, TypeKind::kStruct, WireType::kStruct).struct_type = d.get();
    }
    program.structs.push_back(std::move(d));
  }

  std::unordered_map<std::string, ast::Location> service_names;
  for (const ast::Service& s : src.services) {
    auto d = describe(std::make_unique<ServiceDescriptor>(), s);
    if (first_definition(service_names, "service", s.name, s.location)) {
      symbols.services[s.name] = d.get();
    }
    program.services.push_back(std::move(d));
  }

  std::unordered_map<std::string, ast::Location> const_names;
  for (size_t i = 0; i < src.consts.size(); ++i) {
    const ast::Const& c = src.consts[i];
    auto d = std::make_unique<ConstDescriptor>();
    d->name = c.name;
    d->declared_type = c.type.spelling();
    d->doc = c.doc;
    d->location = source_location(file, c.location);
    if (first_definition(const_names, "constant", c.name, c.location)) symbols.consts[c.name] = i;
    program.consts.push_back(std::move(d));
  }
  symbols.const_state.assign(src.consts.size(), State::kPending);
}

void Resolver::fill_enums(size_t file) {
  const ast::File& src = files_[file].ast;
  for (size_t i = 0; i < src.enums.size(); ++i) {
    const ast::Enum& e = src.enums[i];
    EnumDescriptor& d = *programs_[file]->enums[i];
    std::set<std::string> names;
    for (const ast::EnumValue& v : e.values) {
      if (!names.insert(v.name).second) {
        error(file, v.location,
              "enum value '" + v.name + "' is already defined in enum '" + e.name + "'");
        continue;
      }
      d.values.push_back(EnumValue{v.name, static_cast<int32_t>(v.value), v.doc, v.annotations});
    }
    d.build_lookup_tables();
  }
}

}  // namespace opp::idl
