#include "ast.hpp"

#include <map>

namespace opp::idl::ast {

std::optional<TypeKind> base_type_kind(std::string_view keyword) {
  static const std::map<std::string_view, TypeKind> kinds = {
      {"void", TypeKind::kVoid},     {"bool", TypeKind::kBool},     {"byte", TypeKind::kI8},
      {"i8", TypeKind::kI8},         {"i16", TypeKind::kI16},       {"i32", TypeKind::kI32},
      {"i64", TypeKind::kI64},       {"double", TypeKind::kDouble}, {"string", TypeKind::kString},
      {"binary", TypeKind::kBinary}, {"uuid", TypeKind::kUuid}};
  auto it = kinds.find(keyword);
  if (it == kinds.end()) return std::nullopt;
  return it->second;
}

std::string Type::spelling() const {
  switch (kind) {
    case Kind::kBase:
    case Kind::kNamed:
      return name;
    case Kind::kList:
      return "list<" + element->spelling() + ">";
    case Kind::kSet:
      return "set<" + element->spelling() + ">";
    case Kind::kMap:
      return "map<" + key->spelling() + "," + element->spelling() + ">";
  }
  return name;
}

}  // namespace opp::idl::ast
