// Resolver driver, declarations, type lookup and struct fields. Constants live in
// resolver_values.cpp, services in resolver_services.cpp.
#include <algorithm>
#include <set>
#include <tuple>

#include "resolver_internal.hpp"

namespace opp::idl {
namespace {

WireType wire_of(TypeKind kind) {
  switch (kind) {
    case TypeKind::kVoid:
      return WireType::kVoid;
    case TypeKind::kBool:
      return WireType::kBool;
    case TypeKind::kI8:
      return WireType::kByte;
    case TypeKind::kI16:
      return WireType::kI16;
    case TypeKind::kI32:
      return WireType::kI32;
    case TypeKind::kI64:
      return WireType::kI64;
    case TypeKind::kDouble:
      return WireType::kDouble;
    case TypeKind::kString:
      return WireType::kString;
    case TypeKind::kBinary:
      return WireType::kString;
    case TypeKind::kUuid:
      return WireType::kUuid;
    case TypeKind::kEnum:
      return WireType::kI32;
    case TypeKind::kList:
      return WireType::kList;
    case TypeKind::kSet:
      return WireType::kSet;
    case TypeKind::kMap:
      return WireType::kMap;
    case TypeKind::kStruct:
      return WireType::kStruct;
  }
  return WireType::kVoid;
}

std::optional<TypeKind> base_kind(const std::string& keyword) {
  static const std::map<std::string, TypeKind, std::less<>> kinds = {
      {"void", TypeKind::kVoid},     {"bool", TypeKind::kBool},     {"byte", TypeKind::kI8},
      {"i8", TypeKind::kI8},         {"i16", TypeKind::kI16},       {"i32", TypeKind::kI32},
      {"i64", TypeKind::kI64},       {"double", TypeKind::kDouble}, {"string", TypeKind::kString},
      {"binary", TypeKind::kBinary}, {"uuid", TypeKind::kUuid}};
  auto it = kinds.find(keyword);
  if (it == kinds.end()) return std::nullopt;
  return it->second;
}

// `go.tag = 'json:"x,omitempty"'` → x; `api.key = "x"` → x; else the field name.
std::string json_key_of(const std::string& name, const Annotations& annotations) {
  if (const std::string* tag = annotations.find("go.tag")) {
    size_t start = tag->find("json:\"");
    if (start != std::string::npos) {
      start += 6;
      size_t end = tag->find('"', start);
      std::string key = tag->substr(start, end == std::string::npos ? end : end - start);
      key = key.substr(0, key.find(','));
      if (!key.empty()) return key;
    }
  }
  if (const std::string* key = annotations.find("api.key"); key && !key->empty()) return *key;
  return name;
}

}  // namespace

std::string type_spelling(const TypeDescriptor& type) {
  return type.name;
}

Resolver::Resolver(std::vector<ParsedFile>& files, std::vector<IdlError>& errors)
    : files_(files), errors_(errors) {}

void Resolver::error(size_t file, const ast::Location& at, std::string message) {
  errors_.push_back(
      IdlError{SourceLocation{files_[file].display_path, at.line, at.column}, std::move(message)});
}

std::string Resolver::qualified_name(const Program* program, const std::string& name) const {
  return program == schema_->root_ ? name : program->name + "." + name;
}

std::shared_ptr<Schema> Resolver::run() {
  schema_ = std::make_shared<Schema>();
  size_t error_count_before = errors_.size();
  for (ParsedFile& file : files_) {
    auto program = std::make_unique<Program>();
    program->path = file.path;
    program->name = file.name;
    program->doc = file.ast.doc;
    program->namespaces = file.ast.namespaces;
    programs_.push_back(program.get());
    schema_->programs_.push_back(std::move(program));
  }
  schema_->root_ = programs_.front();
  for (size_t i = 0; i < files_.size(); ++i) {
    for (size_t included : files_[i].includes)
      programs_[i]->includes.push_back(programs_[included]);
  }
  symbols_.resize(files_.size());
  for (size_t i = 0; i < files_.size(); ++i) declare(i);
  for (size_t i = 0; i < files_.size(); ++i) fill_enums(i);
  for (size_t i = 0; i < files_.size(); ++i) {
    for (const ast::Typedef& t : files_[i].ast.typedefs) {
      if (symbols_[i].typedefs.count(t.name)) resolve_typedef(i, t.name);  // skips duplicates
    }
  }
  for (size_t i = 0; i < files_.size(); ++i) declare_service_bases(i);
  for (size_t i = 0; i < files_.size(); ++i) fill_struct_types(i);
  for (size_t i = 0; i < files_.size(); ++i) fill_services(i);
  for (size_t i = 0; i < files_.size(); ++i) resolve_consts(i);
  fill_defaults();
  if (errors_.size() != error_count_before) return nullptr;
  for (const auto& program : schema_->programs_) {
    for (const auto& s : program->structs) s->build_lookup_tables();
  }
  for (const auto& s : schema_->synthesized_) s->build_lookup_tables();
  return schema_;
}

void Resolver::declare(size_t file) {
  const ast::File& src = files_[file].ast;
  Program& program = *programs_[file];
  Symbols& symbols = symbols_[file];
  const std::string& path = files_[file].display_path;
  // Typedefs, enums and structs share one namespace; the first in source order wins.
  std::vector<std::pair<ast::Location, const std::string*>> declared;
  for (const ast::Typedef& t : src.typedefs) declared.emplace_back(t.location, &t.name);
  for (const ast::Enum& e : src.enums) declared.emplace_back(e.location, &e.name);
  for (const ast::Struct& s : src.structs) declared.emplace_back(s.location, &s.name);
  std::stable_sort(declared.begin(), declared.end(), [](const auto& a, const auto& b) {
    return std::tie(a.first.line, a.first.column) < std::tie(b.first.line, b.first.column);
  });
  std::unordered_map<std::string, ast::Location> type_names;
  for (const auto& [at, name] : declared) {
    auto [it, fresh] = type_names.emplace(*name, at);
    if (!fresh) {
      error(file, at,
            "type '" + *name + "' is already defined at line " + std::to_string(it->second.line));
    }
  }
  auto claim_type_name = [&](const std::string& name, const ast::Location& at) {
    const ast::Location& first = type_names.at(name);
    return first.line == at.line && first.column == at.column;
  };
  for (const ast::Typedef& t : src.typedefs) {
    if (!claim_type_name(t.name, t.location)) continue;
    auto d = std::make_unique<TypedefDescriptor>();
    d->name = t.name;
    d->declared_type = t.type.spelling();
    d->doc = t.doc;
    d->annotations = t.annotations;
    d->location = SourceLocation{path, t.location.line, t.location.column};
    symbols.typedefs[t.name] = d.get();
    symbols.typedef_asts[t.name] = &t;
    symbols.typedef_state[t.name] = State::kPending;
    program.typedefs.push_back(std::move(d));
  }
  for (const ast::Enum& e : src.enums) {
    auto d = std::make_unique<EnumDescriptor>();
    d->name = e.name;
    d->program = &program;
    d->doc = e.doc;
    d->annotations = e.annotations;
    d->location = SourceLocation{path, e.location.line, e.location.column};
    if (claim_type_name(e.name, e.location)) {
      auto type = std::make_unique<TypeDescriptor>();
      type->kind = TypeKind::kEnum;
      type->wire = WireType::kI32;
      type->name = qualified_name(&program, e.name);
      type->enum_type = d.get();
      symbols.types[e.name] = type.get();
      schema_->types_.push_back(std::move(type));
    }
    program.enums.push_back(std::move(d));
  }
  for (const ast::Struct& s : src.structs) {
    auto d = std::make_unique<StructDescriptor>();
    d->kind = s.kind;
    d->name = s.name;
    d->program = &program;
    d->doc = s.doc;
    d->annotations = s.annotations;
    d->location = SourceLocation{path, s.location.line, s.location.column};
    if (claim_type_name(s.name, s.location)) {
      auto type = std::make_unique<TypeDescriptor>();
      type->kind = TypeKind::kStruct;
      type->wire = WireType::kStruct;
      type->name = qualified_name(&program, s.name);
      type->struct_type = d.get();
      symbols.types[s.name] = type.get();
      schema_->types_.push_back(std::move(type));
    }
    program.structs.push_back(std::move(d));
  }
  std::unordered_map<std::string, ast::Location> service_names;
  for (const ast::Service& s : src.services) {
    auto d = std::make_unique<ServiceDescriptor>();
    d->name = s.name;
    d->program = &program;
    d->doc = s.doc;
    d->annotations = s.annotations;
    d->location = SourceLocation{path, s.location.line, s.location.column};
    auto [it, fresh] = service_names.emplace(s.name, s.location);
    if (fresh) {
      symbols.services[s.name] = d.get();
    } else {
      error(
          file, s.location,
          "service '" + s.name + "' is already defined at line " + std::to_string(it->second.line));
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
    d->location = SourceLocation{path, c.location.line, c.location.column};
    auto [it, fresh] = const_names.emplace(c.name, c.location);
    if (fresh) {
      symbols.consts[c.name] = i;
    } else {
      error(file, c.location,
            "constant '" + c.name + "' is already defined at line " +
                std::to_string(it->second.line));
    }
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

const TypeDescriptor* Resolver::base_type(const std::string& keyword,
                                          const Annotations& annotations) {
  TypeKind kind = *base_kind(keyword);
  auto make = [&] {
    auto type = std::make_unique<TypeDescriptor>();
    type->kind = kind;
    type->wire = wire_of(kind);
    type->name = keyword == "byte" ? "i8" : keyword;
    type->annotations = annotations;
    const TypeDescriptor* raw = type.get();
    schema_->types_.push_back(std::move(type));
    return raw;
  };
  if (!annotations.empty()) return make();
  auto& cached = base_types_[keyword == "byte" ? "i8" : keyword];
  if (!cached) cached = make();
  return cached;
}

const TypeDescriptor* Resolver::resolve_type(size_t file, const ast::Type& type) {
  switch (type.kind) {
    case ast::Type::Kind::kBase:
      return base_type(type.name, type.annotations);
    case ast::Type::Kind::kNamed:
      return resolve_named(file, type.name, type.location);
    case ast::Type::Kind::kList:
    case ast::Type::Kind::kSet:
    case ast::Type::Kind::kMap: {
      const TypeDescriptor* key = nullptr;
      if (type.kind == ast::Type::Kind::kMap) {
        key = resolve_type(file, *type.key);
        if (!key) return nullptr;
      }
      const TypeDescriptor* element = resolve_type(file, *type.element);
      if (!element) return nullptr;
      auto out = std::make_unique<TypeDescriptor>();
      out->kind = type.kind == ast::Type::Kind::kList  ? TypeKind::kList
                  : type.kind == ast::Type::Kind::kSet ? TypeKind::kSet
                                                       : TypeKind::kMap;
      out->wire = wire_of(out->kind);
      out->key = key;
      out->element = element;
      out->annotations = type.annotations;
      out->name = out->kind == TypeKind::kMap
                      ? "map<" + key->name + "," + element->name + ">"
                      : (out->kind == TypeKind::kList ? "list<" : "set<") + element->name + ">";
      const TypeDescriptor* raw = out.get();
      schema_->types_.push_back(std::move(out));
      return raw;
    }
  }
  return nullptr;
}

bool Resolver::find_in_includes(size_t file, const std::string& qualified, size_t& target,
                                std::string& rest) const {
  for (size_t included : files_[file].includes) {
    const std::string& prefix = files_[included].name;
    if (qualified.size() > prefix.size() + 1 && qualified.compare(0, prefix.size(), prefix) == 0 &&
        qualified[prefix.size()] == '.') {
      target = included;
      rest = qualified.substr(prefix.size() + 1);
      return true;
    }
  }
  return false;
}

const TypeDescriptor* Resolver::resolve_named(size_t file, const std::string& name,
                                              const ast::Location& at) {
  const Symbols& symbols = symbols_[file];
  if (auto it = symbols.types.find(name); it != symbols.types.end()) return it->second;
  if (symbols.typedefs.count(name)) return resolve_typedef(file, name);
  size_t target = 0;
  std::string rest;
  if (find_in_includes(file, name, target, rest)) {
    const Symbols& other = symbols_[target];
    if (auto it = other.types.find(rest); it != other.types.end()) return it->second;
    if (other.typedefs.count(rest)) return resolve_typedef(target, rest);
  }
  if (symbols.services.count(name)) {
    error(file, at, "'" + name + "' is a service, not a type");
  } else {
    error(file, at, "unknown type '" + name + "'");
  }
  return nullptr;
}

const TypeDescriptor* Resolver::resolve_typedef(size_t file, const std::string& name) {
  Symbols& symbols = symbols_[file];
  TypedefDescriptor* d = symbols.typedefs.at(name);
  State& state = symbols.typedef_state[name];
  switch (state) {
    case State::kDone:
      return d->type;
    case State::kFailed:
      return nullptr;
    case State::kInProgress: {
      const ast::Typedef* t = symbols.typedef_asts.at(name);
      error(file, t->location, "typedef '" + name + "' refers to itself");
      state = State::kFailed;
      return nullptr;
    }
    case State::kPending:
      break;
  }
  const ast::Typedef* t = symbols.typedef_asts.at(name);
  if (!enter_chain(file, t->location, "typedef '" + name + "'")) {
    state = State::kFailed;
    return nullptr;
  }
  state = State::kInProgress;
  const TypeDescriptor* type = resolve_type(file, t->type);
  --chain_depth_;
  State& after = symbols.typedef_state[name];  // may have been set to kFailed by a cycle
  if (after == State::kFailed || !type) {
    after = State::kFailed;
    return nullptr;
  }
  d->type = type;
  after = State::kDone;
  return type;
}

bool Resolver::enter_chain(size_t file, const ast::Location& at, const std::string& what) {
  if (chain_depth_ >= kMaxChain) {
    error(
        file, at,
        what + " is defined through more than " + std::to_string(kMaxChain) + " other definitions");
    return false;
  }
  ++chain_depth_;
  return true;
}

void Resolver::fill_struct_types(size_t file) {
  const ast::File& src = files_[file].ast;
  for (size_t i = 0; i < src.structs.size(); ++i) {
    const ast::Struct& s = src.structs[i];
    StructDescriptor& d = *programs_[file]->structs[i];
    const char* word = s.kind == StructDescriptor::Kind::kStruct  ? "struct"
                       : s.kind == StructDescriptor::Kind::kUnion ? "union"
                                                                  : "exception";
    fill_fields(file, s.fields, d, std::string(word) + " '" + s.name + "'");
    if (s.kind != StructDescriptor::Kind::kUnion) continue;
    // As in Thrift: every member of a union is optional, and at most one has a default.
    const ast::Field* with_default = nullptr;
    for (FieldDescriptor& f : d.fields) f.requiredness = Requiredness::kOptional;
    for (const ast::Field& f : s.fields) {
      if (!f.default_value) continue;
      if (with_default) {
        error(file, f.default_value->location,
              "union '" + s.name + "' can have only one field with a default value ('" +
                  with_default->name + "' already has one)");
      }
      with_default = &f;
    }
  }
}

void Resolver::fill_fields(size_t file, const std::vector<ast::Field>& fields,
                           StructDescriptor& out, const std::string& owner) {
  std::unordered_map<int64_t, std::string> ids;
  std::set<std::string> names;
  std::vector<const ast::Field*> sources;  // parallel to out.fields[base..]
  const size_t base = out.fields.size();
  out.fields.reserve(base + fields.size());
  for (const ast::Field& f : fields) {
    auto [id_it, fresh_id] = ids.emplace(f.id, f.name);
    if (!fresh_id) {
      error(file, f.id_location,
            "field id " + std::to_string(f.id) + " of '" + f.name + "' is already used by '" +
                id_it->second + "' in " + owner);
      continue;
    }
    if (!names.insert(f.name).second) {
      error(file, f.name_location, "field name '" + f.name + "' is already used in " + owner);
      continue;
    }
    FieldDescriptor d;
    d.id = static_cast<int16_t>(f.id);
    d.name = f.name;
    d.json_key = json_key_of(f.name, f.annotations);
    d.requiredness = f.requiredness;
    d.type = resolve_type(file, f.type);
    d.declared_type = f.type.spelling();
    if (const std::string* conv = f.annotations.find("api.js_conv")) d.js_conv = *conv != "false";
    d.doc = f.doc;
    d.annotations = f.annotations;
    d.location =
        SourceLocation{files_[file].display_path, f.name_location.line, f.name_location.column};
    out.fields.push_back(std::move(d));
    sources.push_back(&f);
  }
  // Defaults are evaluated once every constant is known; `out.fields` no longer moves.
  for (size_t i = 0; i < sources.size(); ++i) {
    if (sources[i]->default_value) {
      pending_defaults_.push_back(PendingDefault{file, sources[i], &out.fields[base + i], owner});
    }
  }
}

void Resolver::fill_defaults() {
  for (const PendingDefault& p : pending_defaults_) {
    if (!p.target->type) continue;
    p.target->default_value = convert(p.file, *p.field->default_value, p.target->type,
                                      "default of field '" + p.field->name + "' in " + p.owner);
  }
}

std::shared_ptr<Schema> resolve_schema(std::vector<ParsedFile>& files,
                                       std::vector<IdlError>& errors) {
  Resolver resolver(files, errors);
  return resolver.run();
}

}  // namespace opp::idl
