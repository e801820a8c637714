#include "ast.hpp"

namespace opp::idl::ast {

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
