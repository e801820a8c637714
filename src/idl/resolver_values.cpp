// Constants and default values: identifiers resolved (enum members become integers,
// constant references become copies), every value checked against its declared type.
#include <limits>

#include "resolver_internal.hpp"

namespace opp::idl {
namespace {

// An enum member's value: constants of enum type hold plain integers.
ConstValue integer(int64_t value) {
  ConstValue out;
  out.kind = ConstValue::Kind::kInt;
  out.int_value = value;
  return out;
}

struct IntRange {
  int64_t min;
  int64_t max;
};

std::optional<IntRange> range_of(TypeKind kind) {
  switch (kind) {
    case TypeKind::kI8:
      return IntRange{-128, 127};
    case TypeKind::kI16:
      return IntRange{-32768, 32767};
    case TypeKind::kI32:
    case TypeKind::kEnum:
      return IntRange{std::numeric_limits<int32_t>::min(), std::numeric_limits<int32_t>::max()};
    default:
      return std::nullopt;
  }
}

bool is_integer_kind(TypeKind kind) {
  return kind == TypeKind::kBool || kind == TypeKind::kI8 || kind == TypeKind::kI16 ||
         kind == TypeKind::kI32 || kind == TypeKind::kI64 || kind == TypeKind::kEnum;
}

std::string describe(const ast::ConstValue& v) {
  switch (v.kind) {
    case ast::ConstValue::Kind::kInt:
      return "integer " + std::to_string(v.int_value);
    case ast::ConstValue::Kind::kDouble:
      return "double value";
    case ast::ConstValue::Kind::kString:
      return "string \"" + v.text + "\"";
    case ast::ConstValue::Kind::kIdentifier:
      return "'" + v.text + "'";
    case ast::ConstValue::Kind::kList:
      return "a list";
    case ast::ConstValue::Kind::kMap:
      return "a map";
  }
  return "a value";
}

std::string describe(const ConstValue& v) {
  switch (v.kind) {
    case ConstValue::Kind::kInt:
      return "integer " + std::to_string(v.int_value);
    case ConstValue::Kind::kDouble:
      return "double value";
    case ConstValue::Kind::kString:
      return "string \"" + v.string_value + "\"";
    case ConstValue::Kind::kList:
      return "a list";
    case ConstValue::Kind::kMap:
      return "a map";
  }
  return "a value";
}

}  // namespace

void Resolver::resolve_consts(size_t file) {
  for (size_t i = 0; i < files_[file].ast.consts.size(); ++i) resolve_const(file, i);
}

void Resolver::fill_defaults() {
  for (const PendingDefault& p : pending_defaults_) {
    if (!p.target->type) continue;  // the field's unknown type is already reported
    p.target->default_value = convert(p.file, *p.field->default_value, p.target->type,
                                      "default of field '" + p.field->name + "' in " + p.owner);
  }
}

const ConstDescriptor* Resolver::resolve_const(size_t file, size_t index) {
  ConstDescriptor& d = *programs_[file]->consts[index];
  const ast::Const& c = files_[file].ast.consts[index];
  State& state = symbols_[file].const_state[index];
  switch (state) {
    case State::kDone:
      return &d;
    case State::kFailed:
      return nullptr;
    case State::kInProgress:
      error(file, c.location, "constant '" + c.name + "' refers to itself");
      state = State::kFailed;
      return nullptr;
    case State::kPending:
      break;
  }
  if (!enter_chain(file, c.location, "constant '" + c.name + "'")) {
    state = State::kFailed;
    return nullptr;
  }
  state = State::kInProgress;
  const TypeDescriptor* type = resolve_type(file, c.type);
  std::optional<ConstValue> value;
  if (type) value = convert(file, c.value, type, "constant '" + c.name + "'");
  --chain_depth_;
  // A cycle back to this constant has already reported it and marked it kFailed.
  if (state == State::kFailed || !value) {
    state = State::kFailed;
    return nullptr;
  }
  d.type = type;
  d.value = std::move(*value);
  state = State::kDone;
  return &d;
}

std::optional<ConstValue> Resolver::convert(size_t file, const ast::ConstValue& v,
                                            const TypeDescriptor* type, const std::string& what) {
  using AK = ast::ConstValue::Kind;
  if (v.kind == AK::kIdentifier) return lookup_identifier(file, v, type, what);
  auto mismatch = [&]() -> std::optional<ConstValue> {
    error(file, v.location,
          what + ": expected a value of type " + type->name + " but found " + describe(v));
    return std::nullopt;
  };
  ConstValue out;
  if (is_integer_kind(type->kind)) {
    if (v.kind != AK::kInt) return mismatch();
    out.kind = ConstValue::Kind::kInt;
    out.int_value = v.int_value;
    if (!check_value(file, v.location, out, type, what)) return std::nullopt;
    return out;
  }
  switch (type->kind) {
    case TypeKind::kDouble:
      if (v.kind != AK::kInt && v.kind != AK::kDouble) return mismatch();
      out.kind = ConstValue::Kind::kDouble;
      out.double_value = v.kind == AK::kInt ? static_cast<double>(v.int_value) : v.double_value;
      out.integer_literal = v.kind == AK::kInt;
      out.int_value = v.kind == AK::kInt ? v.int_value : 0;
      return out;
    case TypeKind::kString:
    case TypeKind::kBinary:
    case TypeKind::kUuid:
      if (v.kind != AK::kString) return mismatch();
      out.kind = ConstValue::Kind::kString;
      out.string_value = v.text;
      return out;
    case TypeKind::kList:
    case TypeKind::kSet: {
      out.kind = ConstValue::Kind::kList;
      if (v.kind == AK::kMap && v.map.empty()) {  // Thrift accepts `{}` for an empty list
        out.other_brackets = true;
        return out;
      }
      if (v.kind != AK::kList) return mismatch();
      for (const ast::ConstValue& item : v.list) {
        std::optional<ConstValue> element = convert(file, item, type->element, what);
        if (!element) return std::nullopt;
        out.list.push_back(std::move(*element));
      }
      return out;
    }
    case TypeKind::kMap: {
      out.kind = ConstValue::Kind::kMap;
      if (v.kind == AK::kList && v.list.empty()) {  // and `[]` for an empty map
        out.other_brackets = true;
        return out;
      }
      if (v.kind != AK::kMap) return mismatch();
      for (const auto& [key, value] : v.map) {
        std::optional<ConstValue> k = convert(file, key, type->key, what);
        if (!k) return std::nullopt;
        std::optional<ConstValue> val = convert(file, value, type->element, what);
        if (!val) return std::nullopt;
        out.map.emplace_back(std::move(*k), std::move(*val));
      }
      return out;
    }
    case TypeKind::kStruct: {
      if (v.kind != AK::kMap) return mismatch();
      const StructDescriptor& s = *type->struct_type;
      if (s.kind == StructDescriptor::Kind::kUnion && v.map.size() > 1) {
        error(file, v.location, what + ": union '" + s.name + "' can have only one field set");
        return std::nullopt;
      }
      out.kind = ConstValue::Kind::kMap;
      for (const auto& [key, value] : v.map) {
        if (key.kind != AK::kString) {
          error(file, key.location,
                what + ": expected a quoted field name of '" + s.name + "' but found " +
                    describe(key));
          return std::nullopt;
        }
        const FieldDescriptor* field = nullptr;
        for (const FieldDescriptor& f : s.fields) {
          if (f.name == key.text) field = &f;
        }
        if (!field) {
          error(file, key.location, what + ": '" + s.name + "' has no field '" + key.text + "'");
          return std::nullopt;
        }
        if (!field->type) return std::nullopt;
        std::optional<ConstValue> val =
            convert(file, value, field->type, what + " (field '" + field->name + "')");
        if (!val) return std::nullopt;
        ConstValue k;
        k.kind = ConstValue::Kind::kString;
        k.string_value = key.text;
        out.map.emplace_back(std::move(k), std::move(*val));
      }
      return out;
    }
    default:
      return mismatch();
  }
}

std::optional<ConstValue> Resolver::lookup_identifier(size_t file, const ast::ConstValue& v,
                                                      const TypeDescriptor* type,
                                                      const std::string& what) {
  const std::string& name = v.text;
  // A member of the expected enum, written bare or qualified (Thrift drops the prefix).
  if (type->kind == TypeKind::kEnum) {
    std::string member = name.substr(name.rfind('.') + 1);
    if (const EnumValue* ev = type->enum_type->find_by_name(member)) return integer(ev->value);
  }
  // Otherwise a constant or "Enum.MEMBER", local or from a direct include.
  bool failed = false;  // the constant exists but could not be evaluated (already reported)
  auto find_in = [&](size_t target, const std::string& local) -> std::optional<ConstValue> {
    const Symbols& symbols = symbols_[target];
    if (auto it = symbols.consts.find(local); it != symbols.consts.end()) {
      const ConstDescriptor* c = resolve_const(target, it->second);
      if (!c) {
        failed = true;
        return ConstValue{};
      }
      return c->value;
    }
    size_t dot = local.rfind('.');
    if (dot == std::string::npos) return std::nullopt;
    auto it = symbols.types.find(local.substr(0, dot));
    if (it == symbols.types.end() || it->second->kind != TypeKind::kEnum) return std::nullopt;
    const EnumValue* ev = it->second->enum_type->find_by_name(local.substr(dot + 1));
    return ev ? std::optional<ConstValue>(integer(ev->value)) : std::nullopt;
  };
  size_t errors_before = errors_.size();
  std::optional<ConstValue> found = find_in(file, name);
  if (!found) {
    if (std::optional<IncludedName> included = find_in_includes(file, name)) {
      found = find_in(included->file, included->local);
    }
  }
  if (failed || errors_.size() != errors_before) return std::nullopt;
  if (!found) {
    if (type->kind == TypeKind::kEnum) {
      error(file, v.location, what + ": '" + name + "' is not a member of enum " + type->name);
    } else {
      error(file, v.location, what + ": unknown constant '" + name + "'");
    }
    return std::nullopt;
  }
  if (!check_value(file, v.location, *found, type, what)) return std::nullopt;
  return found;
}

bool Resolver::check_value(size_t file, const ast::Location& at, ConstValue& value,
                           const TypeDescriptor* type, const std::string& what) {
  auto mismatch = [&] {
    error(file, at,
          what + ": expected a value of type " + type->name + " but found " + describe(value));
    return false;
  };
  if (is_integer_kind(type->kind)) {
    if (value.kind != ConstValue::Kind::kInt) return mismatch();
    if (std::optional<IntRange> r = range_of(type->kind)) {
      if (value.int_value < r->min || value.int_value > r->max) {
        error(file, at,
              what + ": value " + std::to_string(value.int_value) + " is out of range for " +
                  type->name + " (" + std::to_string(r->min) + ".." + std::to_string(r->max) + ")");
        return false;
      }
    }
    return true;
  }
  switch (type->kind) {
    case TypeKind::kDouble:
      if (value.kind == ConstValue::Kind::kInt) {
        value.kind = ConstValue::Kind::kDouble;
        value.double_value = static_cast<double>(value.int_value);
        value.integer_literal = true;
      }
      return value.kind == ConstValue::Kind::kDouble || mismatch();
    case TypeKind::kString:
    case TypeKind::kBinary:
    case TypeKind::kUuid:
      return value.kind == ConstValue::Kind::kString || mismatch();
    case TypeKind::kList:
    case TypeKind::kSet:
      if (value.kind != ConstValue::Kind::kList) return mismatch();
      for (ConstValue& item : value.list) {
        if (!check_value(file, at, item, type->element, what)) return false;
      }
      return true;
    case TypeKind::kMap:
      if (value.kind != ConstValue::Kind::kMap) return mismatch();
      for (auto& [k, v] : value.map) {
        if (!check_value(file, at, k, type->key, what)) return false;
        if (!check_value(file, at, v, type->element, what)) return false;
      }
      return true;
    case TypeKind::kStruct:
      return value.kind == ConstValue::Kind::kMap || mismatch();
    default:
      return mismatch();
  }
}

}  // namespace opp::idl
