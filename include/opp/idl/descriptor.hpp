#pragma once
// Immutable, fully resolved descriptors of a Thrift IDL program.
//
// Built once by the resolver (src/idl/resolver*.cpp), then only read: by the codec on
// every request, by the route listings and by `opp-idl dump`. Every descriptor is owned
// by a Schema; pointers between descriptors (including across included files and in
// recursive types) stay valid for as long as the Schema lives.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace opp::idl {

struct StructDescriptor;
struct EnumDescriptor;
struct ServiceDescriptor;
struct Program;

/// A position in an IDL file; line and column are 1-based.
struct SourceLocation {
  std::string file;
  uint32_t line = 0;
  uint32_t column = 0;
};

/// One parse or resolution error. to_string() is "file:line:col: message".
struct IdlError {
  SourceLocation where;
  std::string message;
  std::string to_string() const;
};

/// `(key = "value", flag)` annotations in declaration order; a valueless one has "".
struct Annotation {
  std::string key;
  std::string value;
  /// Written without `= "..."`; value is then "" (Thrift's generators show "1").
  bool valueless = false;
};

/// The annotations of one definition, field or type use.
struct Annotations {
  std::vector<Annotation> items;
  /// The value of the first annotation with this key, or nullptr.
  const std::string* find(std::string_view key) const;
  bool empty() const { return items.empty(); }
};

enum class TypeKind : uint8_t {
  kVoid,
  kBool,
  kI8,
  kI16,
  kI32,
  kI64,
  kDouble,
  kString,
  kBinary,
  kUuid,
  kEnum,
  kList,
  kSet,
  kMap,
  kStruct,  // also unions and exceptions: see StructDescriptor::kind
};

/// Thrift TType values, as written on the wire by TBinaryProtocol.
enum class WireType : uint8_t {
  kStop = 0,
  kVoid = 1,
  kBool = 2,
  kByte = 3,
  kDouble = 4,
  kI16 = 6,
  kI32 = 8,
  kI64 = 10,
  kString = 11,  // string and binary
  kStruct = 12,
  kMap = 13,
  kSet = 14,
  kList = 15,
  kUuid = 16,
};

/// A resolved type: typedefs are already followed, so kind is never a typedef.
struct TypeDescriptor {
  TypeKind kind = TypeKind::kVoid;
  WireType wire = WireType::kVoid;
  /// Canonical spelling: "i32", "binary", "list<string>", "map<i32,Xtruct>", or the
  /// name of a struct/enum qualified by its program when it comes from an include
  /// ("shared.SharedStruct").
  std::string name;
  const TypeDescriptor* key = nullptr;            ///< map key
  const TypeDescriptor* element = nullptr;        ///< list/set element, map value
  const StructDescriptor* struct_type = nullptr;  ///< kStruct
  const EnumDescriptor* enum_type = nullptr;      ///< kEnum
  Annotations annotations;                        ///< annotations on a container or base type use
};

/// A constant or default value, with identifiers already resolved (an enum member
/// becomes kInt, a reference to another const becomes a copy of its value).
struct ConstValue {
  enum class Kind : uint8_t { kInt, kDouble, kString, kList, kMap };
  Kind kind = Kind::kInt;
  int64_t int_value = 0;
  double double_value = 0;
  std::string string_value;
  std::vector<ConstValue> list;                        ///< kList (lists and sets)
  std::vector<std::pair<ConstValue, ConstValue>> map;  ///< kMap (maps and struct literals)
  /// How the value was written, kept only so dumps match Thrift's: a kDouble written as
  /// an integer literal (int_value holds it), or an empty container written with the
  /// other brackets (`{}` for a list/set, `[]` for a map).
  bool integer_literal = false;
  bool other_brackets = false;

  // Defined out of line (descriptor.cpp): clang with libstdc++ cannot instantiate the
  // implicit ones while `map` still names std::pair<ConstValue, ConstValue>.
  ConstValue();
  ConstValue(const ConstValue&);
  ConstValue(ConstValue&&) noexcept;
  ConstValue& operator=(const ConstValue&);
  ConstValue& operator=(ConstValue&&) noexcept;
  ~ConstValue();
};

enum class Requiredness : uint8_t {
  kRequired,
  kOptional,
  kDefault,  ///< Thrift's "opt-in, req-out"
};

/// A field of a struct, union or exception, or an argument or exception of a function.
struct FieldDescriptor {
  int16_t id = 0;
  std::string name;
  /// The JSON key: `go.tag='json:"x"'` → x, else `api.key` value, else name.
  std::string json_key;
  Requiredness requiredness = Requiredness::kDefault;
  const TypeDescriptor* type = nullptr;
  /// The type as written in the IDL (a typedef name is kept here), for listings.
  std::string declared_type;
  std::optional<ConstValue> default_value;
  /// `api.js_conv` present with any value but "false": integers travel as strings.
  bool js_conv = false;
  std::string doc;
  Annotations annotations;
  SourceLocation location;
};

/// A struct, union or exception (see kind), or a synthesized "_args"/"_result" struct.
struct StructDescriptor {
  enum class Kind : uint8_t { kStruct, kUnion, kException };
  Kind kind = Kind::kStruct;
  std::string name;  ///< unqualified, e.g. "Xtruct"
  const Program* program = nullptr;
  std::vector<FieldDescriptor> fields;  ///< declaration order
  std::string doc;
  Annotations annotations;
  SourceLocation location;

  /// O(1) lookups through tables precomputed by the resolver; nullptr when absent.
  const FieldDescriptor* field_by_id(int16_t id) const;
  const FieldDescriptor* field_by_json_key(std::string_view key) const;
  const FieldDescriptor* field_by_name(std::string_view name) const;

  /// Filled by the resolver (build_lookup_tables) after `fields` is final.
  void build_lookup_tables();

 private:
  struct Slot {
    uint32_t hash = 0;
    int32_t index = -1;  ///< into fields; -1 = empty slot
  };
  enum class KeyKind : uint8_t { kJsonKey, kName };
  static std::string_view key_of(const FieldDescriptor& field, KeyKind kind) {
    return kind == KeyKind::kJsonKey ? std::string_view(field.json_key)
                                     : std::string_view(field.name);
  }
  std::vector<Slot> make_table(KeyKind kind) const;
  const FieldDescriptor* probe(const std::vector<Slot>& table, std::string_view key,
                               KeyKind kind) const;
  int16_t min_id_ = 0;
  std::vector<int32_t> index_by_id_;  ///< dense over [min_id_, max id]; -1 = no field
  std::vector<Slot> json_key_table_;  ///< open addressing, power-of-two size
  std::vector<Slot> name_table_;
};

/// The IDL keyword that declares a struct of this kind: "struct", "union" or "exception".
const char* struct_keyword(StructDescriptor::Kind kind);

struct EnumValue {
  std::string name;
  int32_t value = 0;
  std::string doc;
  Annotations annotations;
};

/// An enum: values are i32 on the wire.
struct EnumDescriptor {
  std::string name;
  const Program* program = nullptr;
  std::vector<EnumValue> values;  ///< declaration order
  std::string doc;
  Annotations annotations;
  SourceLocation location;

  /// Binary searches over tables built by build_lookup_tables(); nullptr when absent.
  /// With repeated values, find_by_value() returns the first declared.
  const EnumValue* find_by_name(std::string_view name) const;
  const EnumValue* find_by_value(int32_t value) const;
  /// Filled by the resolver after `values` is final.
  void build_lookup_tables();

 private:
  std::vector<std::pair<std::string_view, int32_t>> by_name_;  ///< sorted by name
  std::vector<std::pair<int32_t, int32_t>> by_value_;          ///< (value, index) sorted
};

/// `typedef <type> Name`: kept for listings; type references already see through it.
struct TypedefDescriptor {
  std::string name;
  const TypeDescriptor* type = nullptr;  ///< fully resolved target
  std::string declared_type;             ///< target as written
  std::string doc;
  Annotations annotations;
  SourceLocation location;
};

/// `const <type> NAME = value`, with the value checked against the type and evaluated.
struct ConstDescriptor {
  std::string name;
  const TypeDescriptor* type = nullptr;
  std::string declared_type;
  ConstValue value;
  std::string doc;
  Annotations annotations;
  SourceLocation location;
};

/// A function of a service, with its argument and result structs.
struct FunctionDescriptor {
  std::string name;
  const ServiceDescriptor* service = nullptr;  ///< the service that declares it
  bool oneway = false;
  const TypeDescriptor* return_type = nullptr;  ///< kind kVoid for void
  /// Arguments as a struct "<Service>_<fn>_args" (Thrift convention), ids as declared.
  const StructDescriptor* args = nullptr;
  /// Reply as a struct "<Service>_<fn>_result": field 0 "success" (omitted for void),
  /// then one field per declared exception, with its id.
  const StructDescriptor* result = nullptr;
  /// The `throws` clause, in declaration order (also present in `result`).
  std::vector<const FieldDescriptor*> exceptions;
  /// HTTP annotation (`api.get/post/put/delete/patch`): verb in lower case and path;
  /// both empty when the function has none.
  std::string http_verb;
  std::string http_path;
  /// Last path segment of http_path ("/payment/unifypay" → "unifypay"), or "".
  std::string route_segment;
  std::string doc;
  Annotations annotations;
  SourceLocation location;
};

/// A service: its own functions and, through `extends`, its base's.
struct ServiceDescriptor {
  std::string name;
  const Program* program = nullptr;
  const ServiceDescriptor* extends = nullptr;
  std::vector<std::unique_ptr<FunctionDescriptor>> functions;  ///< own, declaration order
  std::string doc;
  Annotations annotations;
  SourceLocation location;

  /// Own functions plus everything inherited through `extends`, base first.
  std::vector<const FunctionDescriptor*> all_functions() const;
  const FunctionDescriptor* find_function(std::string_view name) const;  ///< own only
};

/// One parsed and resolved .thrift file.
struct Program {
  std::string path;  ///< as opened (absolute, normalised)
  std::string name;  ///< file stem; the prefix other files use to refer to it
  std::string doc;
  std::vector<std::pair<std::string, std::string>> namespaces;  ///< (scope, name)
  std::vector<const Program*> includes;                         ///< declaration order
  std::vector<std::unique_ptr<TypedefDescriptor>> typedefs;
  std::vector<std::unique_ptr<EnumDescriptor>> enums;
  std::vector<std::unique_ptr<StructDescriptor>> structs;  ///< structs, unions, exceptions
  std::vector<std::unique_ptr<ConstDescriptor>> consts;
  std::vector<std::unique_ptr<ServiceDescriptor>> services;

  /// Definitions of this program by unqualified name; nullptr when absent.
  const StructDescriptor* find_struct(std::string_view name) const;
  const EnumDescriptor* find_enum(std::string_view name) const;
  const ServiceDescriptor* find_service(std::string_view name) const;
};

/// A root file and everything it includes, resolved together; owns every descriptor.
class Schema {
 public:
  /// The file the schema was loaded from.
  const Program& root() const { return *root_; }
  /// Every program of the schema (root and transitive includes).
  const std::vector<std::unique_ptr<Program>>& programs() const { return programs_; }
  /// Paths of every file read to build this schema (for reload on change).
  std::vector<std::string> files() const;
  /// Looks up "Struct" in the root or "prog.Struct" in an included program.
  const StructDescriptor* find_struct(std::string_view qualified_name) const;

  // Construction is the resolver's business.
  Program* root_ = nullptr;
  std::vector<std::unique_ptr<Program>> programs_;
  std::vector<std::unique_ptr<TypeDescriptor>> types_;          ///< interned types
  std::vector<std::unique_ptr<StructDescriptor>> synthesized_;  ///< args/result structs
};

}  // namespace opp::idl
