#include "routes/schema.hpp"

#include <limits>

#include "routes/text.hpp"

namespace opp::routes {
namespace {

using idl::TypeKind;

constexpr const char* kSchemaDialect = "https://json-schema.org/draft/2020-12/schema";
constexpr const char* kUuidInPattern =
    "^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$";
constexpr const char* kUuidOutPattern =
    "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$";
// std::from_chars' general format, which the gateway reads double map keys with.
constexpr const char* kDoubleInPattern = "^-?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?$";
// std::to_chars' shortest form, which the gateway writes them with.
constexpr const char* kDoubleOutPattern = "^-?[0-9]+(\\.[0-9]+)?(e[+-][0-9]+)?$";

const char* integer_format(TypeKind kind) {
  switch (kind) {
    case TypeKind::kI8:
      return "int8";
    case TypeKind::kI16:
      return "int16";
    case TypeKind::kI32:
      return "int32";
    default:
      return "int64";
  }
}

// Definition names are JSON Pointer tokens inside URI fragments: keep them to characters
// that need no escaping in either.
std::string safe_name(const std::string& name) {
  std::string out;
  for (char c : name) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
    out.push_back(ok ? c : '_');
  }
  return out;
}

// Decimal text the gateway accepts for exactly this value: leading zeros allowed, "-0"
// is zero (codec parse_decimal_i64).
std::string decimal_alternative(int64_t v) {
  if (v == 0) return "-?0+";
  if (v < 0) return "-0*" + std::to_string(v).substr(1);
  return "0*" + std::to_string(v);
}

std::string digit_class(int lo, int hi) {
  if (lo == hi) return std::string(1, static_cast<char>('0' + lo));
  return std::string("[") + static_cast<char>('0' + lo) + "-" + static_cast<char>('0' + hi) + "]";
}

std::string any_digits(size_t count) {
  if (count == 0) return "";
  if (count == 1) return "[0-9]";
  return "[0-9]{" + std::to_string(count) + "}";
}

// Alternatives matching 0..n written without leading zeros (n is decimal text, no sign):
// every shorter number, then per position of n a smaller digit there after n's prefix.
std::string up_to(const std::string& n) {
  const size_t k = n.size();
  std::string out = "0";
  if (k >= 2) out += k == 2 ? "|[1-9]" : "|[1-9][0-9]{0," + std::to_string(k - 2) + "}";
  for (size_t i = 0; i < k; ++i) {
    const int digit = n[i] - '0';
    const int lo = i == 0 ? 1 : 0;
    const int hi = i + 1 == k ? digit : digit - 1;
    if (hi < lo) continue;
    out += "|" + n.substr(0, i) + digit_class(lo, hi) + any_digits(k - i - 1);
  }
  return out;
}

}  // namespace

std::string decimal_range_pattern(int64_t min, int64_t max) {
  std::string negative = std::to_string(min);
  if (negative[0] == '-') negative.erase(0, 1);
  return "^(0*(" + up_to(std::to_string(max)) + ")|-0*(" + up_to(negative) + "))$";
}

std::pair<int64_t, int64_t> integer_range(TypeKind kind) {
  switch (kind) {
    case TypeKind::kI8:
      return {INT8_MIN, INT8_MAX};
    case TypeKind::kI16:
      return {INT16_MIN, INT16_MAX};
    case TypeKind::kI32:
    case TypeKind::kEnum:
      return {INT32_MIN, INT32_MAX};
    default:
      return {std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max()};
  }
}

const char* base64_pattern(Direction direction) {
  if (direction == Direction::kIn)
    return "^([A-Za-z0-9+/_-]{4})*([A-Za-z0-9+/_-]{2}(==)?|[A-Za-z0-9+/_-]{3}=?)?$";
  return "^([A-Za-z0-9+/]{4})*([A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$";
}

SchemaBuilder::SchemaBuilder(Direction direction, std::string ref_prefix, std::string name_prefix,
                             std::string name_suffix)
    : direction_(direction),
      ref_prefix_(std::move(ref_prefix)),
      name_prefix_(std::move(name_prefix)),
      name_suffix_(std::move(name_suffix)) {}

std::string SchemaBuilder::def_name(const void* descriptor, const idl::Program* program,
                                    const std::string& name) {
  if (auto it = names_.find(descriptor); it != names_.end()) return it->second;
  std::string qualified = program ? program->name + "." + name : name;
  std::string base = safe_name(name_prefix_ + qualified + name_suffix_);
  std::string chosen = base;
  // Two programs with the same stem (from different directories) must not share a name.
  for (int n = 2; used_names_.count(chosen); ++n) chosen = base + "_" + std::to_string(n);
  used_names_.insert(chosen);
  names_.emplace(descriptor, chosen);
  return chosen;
}

std::string SchemaBuilder::ref(const idl::StructDescriptor& type) {
  std::string name = def_name(&type, type.program, type.name);
  if (!built_.count(name)) {
    built_.insert(name);
    pending_structs_.emplace_back(name, &type);
  }
  return ref_prefix_ + name;
}

Json SchemaBuilder::value(const idl::TypeDescriptor& type, bool js_conv) {
  Json s = Json::object();
  switch (type.kind) {
    case TypeKind::kVoid:
      s.add("type", "object");
      s.add("maxProperties", 0);
      return s;
    case TypeKind::kBool:
      s.add("type", "boolean");
      return s;
    case TypeKind::kI8:
    case TypeKind::kI16:
    case TypeKind::kI32:
    case TypeKind::kI64:
      return integer(type, js_conv);
    case TypeKind::kDouble:
      s.add("type", "number");
      s.add("format", "double");
      return s;
    case TypeKind::kString:
      s.add("type", "string");
      return s;
    case TypeKind::kBinary:
      s.add("type", "string");
      s.add("contentEncoding", "base64");
      s.add("pattern", base64_pattern(direction_));
      return s;
    case TypeKind::kUuid:
      s.add("type", "string");
      s.add("format", "uuid");
      s.add("pattern", direction_ == Direction::kIn ? kUuidInPattern : kUuidOutPattern);
      return s;
    case TypeKind::kEnum: {
      const idl::EnumDescriptor& e = *type.enum_type;
      std::string name = def_name(&e, e.program, e.name);
      if (!built_.count(name)) {
        built_.insert(name);
        pending_enums_.emplace_back(name, &e);
      }
      s.add("$ref", ref_prefix_ + name);
      return s;
    }
    case TypeKind::kList:
    case TypeKind::kSet:
      s.add("type", "array");
      s.add("items", value(*type.element, js_conv));
      if (type.kind == TypeKind::kSet) s.add("uniqueItems", true);
      return s;
    case TypeKind::kMap:
      return map(type, js_conv);
    case TypeKind::kStruct:
      s.add("$ref", ref(*type.struct_type));
      return s;
  }
  return s;
}

Json SchemaBuilder::integer(const idl::TypeDescriptor& type, bool js_conv) const {
  Json s = Json::object();
  auto [min, max] = integer_range(type.kind);
  if (direction_ == Direction::kOut && js_conv) {
    s.add("type", "string");
    s.add("pattern", kDecimalOutPattern);
    return s;
  }
  if (direction_ == Direction::kIn) {
    Json types = Json::array();
    types.push("integer");
    types.push("string");
    s.add("type", std::move(types));
  } else {
    s.add("type", "integer");
  }
  s.add("format", integer_format(type.kind));
  s.add("minimum", min);
  s.add("maximum", max);
  if (direction_ == Direction::kIn) s.add("pattern", decimal_range_pattern(min, max));
  return s;
}

Json SchemaBuilder::map(const idl::TypeDescriptor& type, bool js_conv) {
  Json s = Json::object();
  s.add("type", "object");
  const TypeKind key = type.key->kind;
  if (key == TypeKind::kStruct || key == TypeKind::kList || key == TypeKind::kSet ||
      key == TypeKind::kMap || key == TypeKind::kVoid) {
    // Such keys have no JSON form: the gateway rejects every key, so only {} passes.
    s.add("maxProperties", 0);
    s.add("description", "keys of type " + type.key->name +
                             " cannot be written in JSON: only an empty object is accepted");
    return s;
  }
  Json names = map_key(*type.key);
  if (!names.empty()) s.add("propertyNames", std::move(names));
  s.add("additionalProperties", value(*type.element, js_conv));
  return s;
}

Json SchemaBuilder::map_key(const idl::TypeDescriptor& key) const {
  const bool in = direction_ == Direction::kIn;
  Json s = Json::object();
  switch (key.kind) {
    case TypeKind::kI8:
    case TypeKind::kI16:
    case TypeKind::kI32:
    case TypeKind::kI64:
      if (in) {
        auto [min, max] = integer_range(key.kind);
        s.add("pattern", decimal_range_pattern(min, max));
      } else {
        s.add("pattern", kDecimalOutPattern);
      }
      s.add("description", key.name + " key as decimal text");
      return s;
    case TypeKind::kEnum: {
      const idl::EnumDescriptor& e = *key.enum_type;
      if (!in) {
        s.add("pattern", kDecimalOutPattern);
        s.add("description", "enum " + e.name + " key as the member's value in decimal");
        return s;
      }
      std::string pattern = "^(";
      for (size_t i = 0; i < e.values.size(); ++i) {
        if (i) pattern += "|";
        pattern += regex_escape(e.values[i].name) + "|" + decimal_alternative(e.values[i].value);
      }
      pattern += ")$";
      s.add("pattern", e.values.empty() ? std::string("^[^\\s\\S]$") : pattern);
      s.add("description", "enum " + e.name + " key: a member's name or value in decimal");
      return s;
    }
    case TypeKind::kBool: {
      Json values = Json::array();
      values.push("true");
      values.push("false");
      s.add("enum", std::move(values));
      return s;
    }
    case TypeKind::kDouble:
      s.add("pattern", in ? kDoubleInPattern : kDoubleOutPattern);
      s.add("description", "double key as number text");
      return s;
    case TypeKind::kBinary:
      s.add("pattern", base64_pattern(direction_));
      s.add("description", "binary key as base64");
      return s;
    case TypeKind::kUuid:
      s.add("pattern", in ? kUuidInPattern : kUuidOutPattern);
      return s;
    default:
      return s;  // string keys are the JSON keys themselves
  }
}

Json SchemaBuilder::field(const idl::FieldDescriptor& field) {
  Json s = value(*field.type, field.js_conv);
  if (!doc_text(field.doc).empty()) s.set("description", doc_text(field.doc));
  if (direction_ == Direction::kIn && field.requiredness == idl::Requiredness::kDefault) {
    if (std::optional<Json> d = default_json(field, direction_)) s.set("default", std::move(*d));
  }
  return s;
}

Json SchemaBuilder::object(const idl::StructDescriptor& type, const idl::FieldDescriptor* bound) {
  Json s = Json::object();
  s.add("type", "object");
  s.add("title", type.name);
  if (!doc_text(type.doc).empty()) s.add("description", doc_text(type.doc));
  Json properties = Json::object();
  Json required = Json::array();
  for (const idl::FieldDescriptor& f : type.fields) {
    Json p = field(f);
    if (&f == bound) {
      std::string note =
          "Filled by the gateway with the authenticated merchant_id; when given it must be "
          "that merchant (else 10002 merchant-mismatch).";
      p.set("description", doc_text(f.doc).empty() ? note : doc_text(f.doc) + "\n\n" + note);
      p.set("readOnly", true);
      p.set("x-opp-filled-by-gateway", true);
    }
    properties.set(f.json_key, std::move(p));
    if (f.requiredness == idl::Requiredness::kRequired) required.push(f.json_key);
  }
  s.add("properties", std::move(properties));
  if (!required.empty()) s.add("required", std::move(required));
  if (type.kind == idl::StructDescriptor::Kind::kUnion) {
    s.add("minProperties", 1);
    s.add("maxProperties", 1);
  }
  return s;
}

Json SchemaBuilder::enum_schema(const idl::EnumDescriptor& type) {
  Json s = Json::object();
  s.add("title", type.name);
  std::string members;
  Json values = Json::array();
  Json names = Json::array();
  Json list = Json::array();
  std::set<int32_t> seen;
  std::string pattern;
  for (const idl::EnumValue& v : type.values) {
    if (!members.empty()) members += ", ";
    members += v.name + " = " + std::to_string(v.value);
    if (seen.insert(v.value).second) {
      values.push(static_cast<int64_t>(v.value));
      if (!pattern.empty()) pattern += "|";
      pattern += decimal_alternative(v.value);
    }
    names.push(v.name);
    Json member = Json::object();
    member.add("name", v.name);
    member.add("value", static_cast<int64_t>(v.value));
    if (!doc_text(v.doc).empty()) member.add("description", doc_text(v.doc));
    list.push(std::move(member));
  }
  std::string description = doc_text(type.doc);
  if (!description.empty()) description += "\n\n";
  description += members.empty() ? "No members." : "Members: " + members + ".";
  if (direction_ == Direction::kIn)
    description += " Accepted as a member's integer value, its name, or its value in decimal text.";
  s.add("description", description);
  if (type.values.empty()) {
    s.add("not", Json::object());  // no value is a member
  } else if (direction_ == Direction::kIn) {
    Json any = Json::array();
    Json by_value = Json::object();
    by_value.add("type", "integer");
    by_value.add("enum", std::move(values));
    any.push(std::move(by_value));
    Json by_name = Json::object();
    by_name.add("type", "string");
    by_name.add("enum", std::move(names));
    any.push(std::move(by_name));
    Json by_text = Json::object();
    by_text.add("type", "string");
    by_text.add("pattern", "^(" + pattern + ")$");
    any.push(std::move(by_text));
    s.add("anyOf", std::move(any));
  } else {
    s.add("type", "integer");
    s.add("enum", std::move(values));
  }
  s.add("x-enum-members", std::move(list));
  return s;
}

std::vector<Json::Member> SchemaBuilder::take_defs() {
  std::map<std::string, Json> defs;
  while (!pending_structs_.empty() || !pending_enums_.empty()) {
    if (!pending_enums_.empty()) {
      auto [name, e] = pending_enums_.back();
      pending_enums_.pop_back();
      defs.emplace(name, enum_schema(*e));
      continue;
    }
    auto [name, s] = pending_structs_.back();
    pending_structs_.pop_back();
    defs.emplace(name, object(*s));  // may queue more
  }
  std::vector<Json::Member> out;
  for (auto& [name, schema] : defs) out.push_back(Json::Member{name, std::move(schema)});
  return out;
}

Json standalone_schema(Json root, SchemaBuilder& builder) {
  Json s = Json::object();
  s.add("$schema", kSchemaDialect);
  for (const Json::Member& m : root.members()) s.add(m.key, m.value);
  std::vector<Json::Member> defs = builder.take_defs();
  if (!defs.empty()) {
    Json d = Json::object();
    for (Json::Member& m : defs) d.add(std::move(m.key), std::move(m.value));
    s.add("$defs", std::move(d));
  }
  return s;
}

}  // namespace opp::routes
