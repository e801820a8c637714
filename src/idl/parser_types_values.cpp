// The recursive parts of the grammar: types (base, named, list/set/map), constant values
// (literals, identifiers, [lists], {maps}) and `(key = "value")` annotations.
#include <set>
#include <utility>

#include "parser_internal.hpp"

namespace opp::idl {
namespace {

// Words that can never start a type, so a better message can be given.
const std::set<std::string_view>& non_type_words() {
  static const std::set<std::string_view> words = {
      "struct", "union",    "exception", "service",   "enum",       "senum",
      "const",  "typedef",  "include",   "namespace", "extends",    "throws",
      "oneway", "required", "optional",  "void",      "cpp_include"};
  return words;
}

}  // namespace

ast::Type Parser::parse_type() {
  NestingGuard guard(*this);
  ast::Type t;
  t.location = here();
  if (tok_.kind != TokenKind::kWord || non_type_words().count(tok_.text)) expected("a type");
  std::string word = tok_.text;
  advance();
  if (ast::base_type_kind(word)) {
    t.kind = ast::Type::Kind::kBase;
    t.name = word;
    t.annotations = parse_annotations();
  } else if (word == "list" || word == "set") {
    // Thrift puts the C++ container override before `<` for set, after `>` for list.
    t.kind = word == "list" ? ast::Type::Kind::kList : ast::Type::Kind::kSet;
    if (word == "set") skip_cpp_type();
    expect_symbol('<', "after '" + word + "'");
    t.element = std::make_unique<ast::Type>(parse_type());
    expect_symbol('>', "to close '" + word + "<'");
    if (word == "list") skip_cpp_type();
    t.annotations = parse_annotations();
  } else if (word == "map") {
    t.kind = ast::Type::Kind::kMap;
    skip_cpp_type();
    expect_symbol('<', "after 'map'");
    t.key = std::make_unique<ast::Type>(parse_type());
    expect_symbol(',', "between map key and value types");
    t.element = std::make_unique<ast::Type>(parse_type());
    expect_symbol('>', "to close 'map<'");
    t.annotations = parse_annotations();
  } else {
    t.kind = ast::Type::Kind::kNamed;
    t.name = word;
  }
  return t;
}

// `cpp_type "std::deque<T>"`: a hint for the C++ generator only.
void Parser::skip_cpp_type() {
  if (accept_word("cpp_type")) expect_string("a quoted type after 'cpp_type'");
}

ast::ConstValue Parser::parse_const_value() {
  NestingGuard guard(*this);
  ast::ConstValue v;
  v.location = here();
  switch (tok_.kind) {
    case TokenKind::kInt:
      v.kind = ast::ConstValue::Kind::kInt;
      v.int_value = tok_.int_value;
      advance();
      return v;
    case TokenKind::kDouble:
      v.kind = ast::ConstValue::Kind::kDouble;
      v.double_value = tok_.double_value;
      advance();
      return v;
    case TokenKind::kString:
    case TokenKind::kWord:
      v.kind = tok_.kind == TokenKind::kString ? ast::ConstValue::Kind::kString
                                               : ast::ConstValue::Kind::kIdentifier;
      v.text = tok_.text;
      advance();
      return v;
    default:
      break;
  }
  if (accept_symbol('[')) {
    v.kind = ast::ConstValue::Kind::kList;
    while (!accept_symbol(']')) {
      if (tok_.kind == TokenKind::kEnd) expected("a value or ']'");
      v.list.push_back(parse_const_value());
      skip_separator();
    }
    return v;
  }
  if (accept_symbol('{')) {
    v.kind = ast::ConstValue::Kind::kMap;
    while (!accept_symbol('}')) {
      if (tok_.kind == TokenKind::kEnd) expected("a key or '}'");
      ast::ConstValue key = parse_const_value();
      expect_symbol(':', "between map key and value");
      ast::ConstValue value = parse_const_value();
      skip_separator();
      v.map.push_back(ast::ConstMapEntry{std::move(key), std::move(value)});
    }
    return v;
  }
  expected("a constant value");
}

Annotations Parser::parse_annotations() {
  Annotations out;
  if (!accept_symbol('(')) return out;
  while (!accept_symbol(')')) {
    Annotation a;
    a.key = expect_name("an annotation name or ')'");
    if (accept_symbol('=')) {
      a.value = expect_string("a quoted annotation value for '" + a.key + "'");
    } else {
      a.valueless = true;
    }
    skip_separator();
    out.items.push_back(std::move(a));
  }
  return out;
}

}  // namespace opp::idl
