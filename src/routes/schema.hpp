#pragma once
// JSON Schema (draft 2020-12) of Thrift types as the gateway maps them (SPEC §5,
// include/opp/codec/codec.hpp), in one of two directions: what biz_params accepts (In) or
// what `data` holds (Out). They differ: In accepts integers also as decimal strings, enum
// members also by name, binary in both base64 alphabets with optional padding; Out writes
// `api.js_conv` integers as strings and enums as integers only.
//
// Structs, unions, exceptions and enums are written once as definitions and referred to
// with `$ref` (which also expresses recursive types); the caller says where the
// definitions live (`#/$defs/` in a standalone schema, `#/components/schemas/` in OpenAPI).

#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "opp/idl/descriptor.hpp"
#include "routes/json.hpp"

namespace opp::routes {

enum class Direction : uint8_t { kIn, kOut };

/// How the gateway writes an integer as a string (map keys, `api.js_conv`).
inline constexpr const char* kDecimalOutPattern = "^-?(0|[1-9][0-9]*)$";

class SchemaBuilder {
 public:
  /// `ref_prefix` is put before a definition's name in `$ref`; `name_prefix` before every
  /// definition name (OpenAPI components are shared by all services); `name_suffix` after
  /// it (".in" / ".out" when both directions share one namespace).
  SchemaBuilder(Direction direction, std::string ref_prefix, std::string name_prefix = "",
                std::string name_suffix = "");

  Direction direction() const { return direction_; }

  /// Schema of a value of `type`; `js_conv` as for a field annotated `api.js_conv`.
  Json value(const idl::TypeDescriptor& type, bool js_conv = false);
  /// Schema of a struct field: its value plus doc comment (`description`) and, for In and
  /// default requiredness, the IDL default the gateway writes when it is absent (`default`).
  Json field(const idl::FieldDescriptor& field);
  /// An object schema of `type` written in place (not as a reference): the root of a
  /// biz_params or data schema. `bound` is the merchant_id field the gateway fills.
  Json object(const idl::StructDescriptor& type, const idl::FieldDescriptor* bound = nullptr);
  /// The `$ref` value of a struct's definition (the definition is built by take_defs()).
  std::string ref(const idl::StructDescriptor& type);

  /// Every definition referred to so far, and everything they refer to, sorted by name.
  /// The builder forgets them (but keeps their names, so later refs stay consistent).
  std::vector<Json::Member> take_defs();

 private:
  std::string def_name(const void* descriptor, const idl::Program* program,
                       const std::string& name);
  Json enum_schema(const idl::EnumDescriptor& type);
  Json integer(const idl::TypeDescriptor& type, bool js_conv) const;
  Json map(const idl::TypeDescriptor& type, bool js_conv);
  Json map_key(const idl::TypeDescriptor& key) const;

  Direction direction_;
  std::string ref_prefix_;
  std::string name_prefix_;
  std::string name_suffix_;
  std::map<const void*, std::string> names_;
  std::set<std::string> used_names_;
  std::vector<std::pair<std::string, const idl::StructDescriptor*>> pending_structs_;
  std::vector<std::pair<std::string, const idl::EnumDescriptor*>> pending_enums_;
  std::set<std::string> built_;
};

/// A standalone schema document: `root` plus `$schema` and the builder's definitions.
Json standalone_schema(Json root, SchemaBuilder& builder);

/// The IDL default of `field` as JSON in the given direction, or nullopt when it has none.
std::optional<Json> default_json(const idl::FieldDescriptor& field, Direction direction);

/// A ConstValue of `type` as JSON (what the gateway would read or write for it).
std::optional<Json> const_json(const idl::ConstValue& value, const idl::TypeDescriptor& type,
                               Direction direction, bool js_conv);

/// Patterns of base64 text: In accepts both alphabets (RFC 4648 §4 and §5), padding
/// optional; Out is the standard alphabet, padded.
const char* base64_pattern(Direction direction);

/// A regular expression of exactly the decimal strings the gateway reads as an integer in
/// [min, max] (min <= 0 <= max): an optional '-', leading zeros allowed, "-0" is zero
/// (codec parse_decimal_i64 plus its range check).
std::string decimal_range_pattern(int64_t min, int64_t max);

/// The [min, max] of an integer kind (i8..i64).
std::pair<int64_t, int64_t> integer_range(idl::TypeKind kind);

}  // namespace opp::routes
