#pragma once
// Syntax tree of one .thrift file, exactly as written: names are not resolved, ids may
// be auto-assigned, values are literals or identifiers. The resolver turns a set of
// these into descriptors.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "opp/idl/descriptor.hpp"

namespace opp::idl::ast {

struct Location {
  uint32_t line = 0;
  uint32_t column = 0;
};

struct Type {
  enum class Kind : uint8_t { kBase, kNamed, kList, kSet, kMap };
  Kind kind = Kind::kBase;
  std::string name;           ///< base type keyword ("i32", "byte", ...) or referenced identifier
  std::unique_ptr<Type> key;  ///< map key
  std::unique_ptr<Type> element;  ///< list/set element, map value
  Annotations annotations;
  Location location;

  /// The type as written: "list<UserId>", "map<i32,string>".
  std::string spelling() const;
};

/// The kind a base type keyword denotes ("byte" is kI8, "void" is kVoid), or nullopt
/// for any other word: the one list the parser and the resolver both go by.
std::optional<TypeKind> base_type_kind(std::string_view keyword);

struct ConstMapEntry;

struct ConstValue {
  enum class Kind : uint8_t { kInt, kDouble, kString, kIdentifier, kList, kMap };
  Kind kind = Kind::kInt;
  int64_t int_value = 0;
  double double_value = 0;
  std::string text;  ///< string literal or identifier
  std::vector<ConstValue> list;
  std::vector<ConstMapEntry> map;
  Location location;
};

struct ConstMapEntry {
  ConstValue key;
  ConstValue value;
};

struct Field {
  int64_t id = 0;  ///< as written (1..32767), or auto-assigned by Thrift's rule: -1, -2, ...
  Requiredness requiredness = Requiredness::kDefault;
  Type type;
  std::string name;
  std::optional<ConstValue> default_value;
  Annotations annotations;
  std::string doc;
  Location location;  ///< of the field's first token
  Location name_location;
  Location id_location;
};

struct Struct {
  StructDescriptor::Kind kind = StructDescriptor::Kind::kStruct;
  std::string name;
  std::vector<Field> fields;
  Annotations annotations;
  std::string doc;
  Location location;  ///< of the name
};

struct EnumValue {
  std::string name;
  int64_t value = 0;
  Annotations annotations;
  std::string doc;
  Location location;
};

struct Enum {
  std::string name;
  std::vector<EnumValue> values;
  Annotations annotations;
  std::string doc;
  Location location;
};

struct Typedef {
  std::string name;
  Type type;
  Annotations annotations;
  std::string doc;
  Location location;
};

struct Const {
  std::string name;
  Type type;
  ConstValue value;
  std::string doc;
  Location location;
};

struct Function {
  std::string name;
  bool oneway = false;
  Type return_type;  ///< kBase "void" for void
  std::vector<Field> arguments;
  std::vector<Field> exceptions;
  Annotations annotations;
  std::string doc;
  Location location;
};

struct Service {
  std::string name;
  std::string extends;  ///< empty when none
  Location extends_location;
  std::vector<Function> functions;
  Annotations annotations;
  std::string doc;
  Location location;
};

struct Include {
  std::string path;  ///< as written
  Location location;
};

struct File {
  std::string doc;
  std::vector<Include> includes;
  std::vector<std::string> cpp_includes;
  std::vector<std::pair<std::string, std::string>> namespaces;
  std::vector<Typedef> typedefs;
  std::vector<Enum> enums;
  std::vector<Struct> structs;
  std::vector<Const> consts;
  std::vector<Service> services;
};

}  // namespace opp::idl::ast
