// Type references: base types (interned), containers, and names, which may be local,
// "prog.Name" from a direct include, or typedefs followed to the end of their chain.
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

TypeKind container_kind(ast::Type::Kind kind) {
  switch (kind) {
    case ast::Type::Kind::kList:
      return TypeKind::kList;
    case ast::Type::Kind::kSet:
      return TypeKind::kSet;
    default:
      return TypeKind::kMap;
  }
}

}  // namespace

void Resolver::resolve_typedefs(size_t file) {
  for (const ast::Typedef& t : files_[file].ast.typedefs) {
    // A duplicate name was reported by declare() and has no entry.
    if (symbols_[file].typedefs.count(t.name)) resolve_typedef(file, t.name);
  }
}

const TypeDescriptor* Resolver::base_type(const std::string& keyword,
                                          const Annotations& annotations) {
  TypeKind kind = ast::base_type_kind(keyword).value();  // the parser admits no other word
  const std::string canonical = keyword == "byte" ? "i8" : keyword;
  auto make = [&] {
    auto type = std::make_unique<TypeDescriptor>();
    type->kind = kind;
    type->wire = wire_of(kind);
    type->name = canonical;
    type->annotations = annotations;
    const TypeDescriptor* raw = type.get();
    schema_->types_.push_back(std::move(type));
    return raw;
  };
  // Annotations belong to one use of the type, so only a bare base type is shared.
  if (!annotations.empty()) return make();
  const TypeDescriptor*& cached = base_types_[canonical];
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
    case ast::Type::Kind::kMap:
      break;
  }
  const TypeDescriptor* key = nullptr;
  if (type.kind == ast::Type::Kind::kMap) {
    key = resolve_type(file, *type.key);
    if (!key) return nullptr;
  }
  const TypeDescriptor* element = resolve_type(file, *type.element);
  if (!element) return nullptr;
  auto out = std::make_unique<TypeDescriptor>();
  out->kind = container_kind(type.kind);
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

const TypeDescriptor* Resolver::resolve_named(size_t file, const std::string& name,
                                              const ast::Location& at) {
  const Symbols& symbols = symbols_[file];
  if (auto it = symbols.types.find(name); it != symbols.types.end()) return it->second;
  if (symbols.typedefs.count(name)) return resolve_typedef(file, name);
  if (std::optional<IncludedName> included = find_in_includes(file, name)) {
    const Symbols& other = symbols_[included->file];
    if (auto it = other.types.find(included->local); it != other.types.end()) return it->second;
    if (other.typedefs.count(included->local)) {
      return resolve_typedef(included->file, included->local);
    }
  }
  if (symbols.services.count(name)) {
    error(file, at, "'" + name + "' is a service, not a type");
  } else {
    error(file, at, "unknown type '" + name + "'");
  }
  return nullptr;
}

const TypeDescriptor* Resolver::resolve_typedef(size_t file, const std::string& name) {
  TypedefEntry& entry = symbols_[file].typedefs.at(name);
  const ast::Typedef& t = *entry.ast;
  switch (entry.state) {
    case State::kDone:
      return entry.descriptor->type;
    case State::kFailed:
      return nullptr;
    case State::kInProgress:
      error(file, t.location, "typedef '" + name + "' refers to itself");
      entry.state = State::kFailed;
      return nullptr;
    case State::kPending:
      break;
  }
  if (!enter_chain(file, t.location, "typedef '" + name + "'")) {
    entry.state = State::kFailed;
    return nullptr;
  }
  entry.state = State::kInProgress;
  const TypeDescriptor* type = resolve_type(file, t.type);
  --chain_depth_;
  // A cycle back to this typedef has already reported it and marked it kFailed.
  if (entry.state == State::kFailed || !type) {
    entry.state = State::kFailed;
    return nullptr;
  }
  entry.descriptor->type = type;
  entry.state = State::kDone;
  return type;
}

}  // namespace opp::idl
