// Headers (include, cpp_include, namespace) and definitions (const, typedef, enum,
// struct/union/exception, service) with their fields, functions and enum values.
//
// Each construct ends by reporting its reduction for the program doc rule
// (header_reduced / element_reduced), saying whether Thrift's LALR parser would have read
// the next token first: it has not after a trailing separator or the `)` of trailing
// annotations where those end the grammar rule.
#include <limits>
#include <utility>

#include "parser_internal.hpp"

namespace opp::idl {

void Parser::parse_header(ast::File& out) {
  if (accept_word("include")) {
    ast::Location at = here();
    std::string path = expect_string("a quoted file name after 'include'");
    header_reduced(Lookahead::kNotRead);
    out.includes.push_back(ast::Include{std::move(path), at});
  } else if (accept_word("cpp_include")) {
    out.cpp_includes.push_back(expect_string("a quoted file name after 'cpp_include'"));
    header_reduced(Lookahead::kNotRead);
  } else {
    advance();  // namespace
    std::string scope;
    if (accept_symbol('*')) {
      scope = "*";
    } else {
      scope = expect_name("a language scope or '*' after 'namespace'");
    }
    std::string name = expect_name("a namespace name after 'namespace " + scope + "'");
    // `namespace * x` takes no annotations in Thrift, so nothing is left to look at.
    bool annotated = tok_.is_symbol('(');
    parse_annotations();
    header_reduced(annotated || scope == "*" ? Lookahead::kNotRead : Lookahead::kRead);
    out.namespaces.emplace_back(std::move(scope), std::move(name));
  }
  skip_separator();
}

void Parser::parse_definition(ast::File& out, std::string doc) {
  if (accept_word("const")) {
    out.consts.push_back(parse_const(std::move(doc)));
  } else if (accept_word("typedef")) {
    out.typedefs.push_back(parse_typedef(std::move(doc)));
  } else if (accept_word("enum")) {
    out.enums.push_back(parse_enum(std::move(doc)));
  } else if (tok_.is_word("struct") || tok_.is_word("union") || tok_.is_word("exception")) {
    out.structs.push_back(parse_struct(std::move(doc)));
  } else if (accept_word("service")) {
    out.services.push_back(parse_service(std::move(doc)));
  } else {
    expected("a definition (const, typedef, enum, struct, union, exception or service)");
  }
}

// The `'}' TypeAnnotations` end of enum, struct, union, exception and service: no
// separator in Thrift's rule, so the `)` of annotations ends it. A `;` after it is
// accepted here, as elsewhere, and the reduction is taken to come before it.
void Parser::end_type_definition(const std::string& doc, Annotations& annotations) {
  bool annotated = tok_.is_symbol('(');
  annotations = parse_annotations();
  element_reduced(doc, annotated ? Lookahead::kNotRead : Lookahead::kRead);
  skip_separator();
}

ast::Const Parser::parse_const(std::string doc) {
  ast::Const c;
  c.doc = std::move(doc);
  c.type = parse_type();
  c.name = expect_name("a constant name", &c.location);
  expect_symbol('=', "after the constant name");
  c.value = parse_const_value();
  element_reduced(c.doc, skip_separator());
  return c;
}

ast::Typedef Parser::parse_typedef(std::string doc) {
  ast::Typedef t;
  t.doc = std::move(doc);
  t.type = parse_type();
  t.name = expect_name("a typedef name", &t.location);
  t.annotations = parse_annotations();
  element_reduced(t.doc, skip_separator());
  return t;
}

ast::Struct Parser::parse_struct(std::string doc) {
  ast::Struct s;
  s.kind = tok_.is_word("struct")  ? StructDescriptor::Kind::kStruct
           : tok_.is_word("union") ? StructDescriptor::Kind::kUnion
                                   : StructDescriptor::Kind::kException;
  advance();
  s.doc = std::move(doc);
  const std::string keyword = struct_keyword(s.kind);
  s.name = expect_name("a name after '" + keyword + "'", &s.location);
  accept_word("xsd_all");
  expect_symbol('{', "to open " + keyword + " '" + s.name + "'");
  s.fields = parse_fields('}', /*in_arglist=*/false);
  end_type_definition(s.doc, s.annotations);
  return s;
}

ast::Enum Parser::parse_enum(std::string doc) {
  ast::Enum e;
  e.doc = std::move(doc);
  e.name = expect_name("a name after 'enum'", &e.location);
  expect_symbol('{', "to open enum '" + e.name + "'");
  int64_t next_value = 0;  // an enum value without `=` follows the previous one
  while (!accept_symbol('}')) {
    ast::EnumValue v;
    v.doc = capture_doc();
    v.name = expect_name("an enum value name or '}'", &v.location);
    if (accept_symbol('=')) {
      ast::Location at = here();
      if (tok_.kind != TokenKind::kInt) expected("an integer value for '" + v.name + "'");
      v.value = tok_.int_value;
      advance();
      if (v.value < std::numeric_limits<int32_t>::min() ||
          v.value > std::numeric_limits<int32_t>::max()) {
        fail_at(at, "enum value " + std::to_string(v.value) + " of '" + v.name +
                        "' is out of range (i32)");
      }
    } else {
      v.value = next_value;
      if (v.value > std::numeric_limits<int32_t>::max()) {
        fail_at(v.location, "enum value of '" + v.name + "' overflows i32 (previous value " +
                                std::to_string(v.value - 1) + ")");
      }
    }
    next_value = v.value + 1;
    v.annotations = parse_annotations();
    element_reduced(v.doc, skip_separator());
    e.values.push_back(std::move(v));
  }
  end_type_definition(e.doc, e.annotations);
  return e;
}

ast::Service Parser::parse_service(std::string doc) {
  ast::Service s;
  s.doc = std::move(doc);
  s.name = expect_name("a name after 'service'", &s.location);
  if (accept_word("extends")) {
    s.extends = expect_name("a service name after 'extends'", &s.extends_location);
  }
  expect_symbol('{', "to open service '" + s.name + "'");
  while (!accept_symbol('}')) s.functions.push_back(parse_function());
  end_type_definition(s.doc, s.annotations);
  return s;
}

ast::Function Parser::parse_function() {
  ast::Function f;
  f.doc = capture_doc();
  if (tok_.kind != TokenKind::kWord) expected("a function or '}'");
  if (accept_word("oneway")) f.oneway = true;
  if (tok_.is_word("void")) {
    f.return_type.kind = ast::Type::Kind::kBase;
    f.return_type.name = "void";
    f.return_type.location = here();
    advance();
  } else {
    f.return_type = parse_type();
  }
  f.name = expect_name("a function name", &f.location);
  expect_symbol('(', "after function name '" + f.name + "'");
  f.arguments = parse_fields(')', /*in_arglist=*/true);
  if (accept_word("throws")) {
    expect_symbol('(', "after 'throws'");
    f.exceptions = parse_fields(')', /*in_arglist=*/true);
  }
  f.annotations = parse_annotations();
  element_reduced(f.doc, skip_separator());
  return f;
}

std::vector<ast::Field> Parser::parse_fields(char closing, bool in_arglist) {
  std::vector<ast::Field> fields;
  int64_t next_auto_id = -1;  // Thrift numbers fields without an id -1, -2, ...
  while (!accept_symbol(closing)) fields.push_back(parse_field(closing, in_arglist, next_auto_id));
  return fields;
}

ast::Field Parser::parse_field(char closing, bool in_arglist, int64_t& next_auto_id) {
  ast::Field f;
  f.doc = capture_doc();
  f.location = here();
  f.id_location = here();
  if (tok_.kind == TokenKind::kInt) {
    f.id = tok_.int_value;
    advance();
    expect_symbol(':', "after field id " + std::to_string(f.id));
    if (f.id <= 0 || f.id > std::numeric_limits<int16_t>::max()) {
      fail_at(f.id_location, "field id " + std::to_string(f.id) + " is out of range (1..32767)");
    }
  } else if (tok_.kind == TokenKind::kWord) {
    f.id = next_auto_id--;
  } else {
    expected("a field or '" + std::string(1, closing) + "'");
  }
  if (accept_word("required")) {
    f.requiredness = Requiredness::kRequired;
  } else if (accept_word("optional")) {
    // Thrift ignores `optional` in argument and throws lists.
    f.requiredness = in_arglist ? Requiredness::kDefault : Requiredness::kOptional;
  }
  f.type = parse_type();
  accept_symbol('&');  // C++ reference marker (cpp.ref): no meaning for the wire
  f.name = expect_name("a field name", &f.name_location);
  if (accept_symbol('=')) f.default_value = parse_const_value();
  // XSD-generator extras: accepted as Thrift does, and dropped.
  accept_word("xsd_optional");
  accept_word("xsd_nillable");
  if (accept_word("xsd_attrs")) {
    expect_symbol('{', "after 'xsd_attrs'");
    parse_fields('}', /*in_arglist=*/false);
  }
  f.annotations = parse_annotations();
  element_reduced(f.doc, skip_separator());
  return f;
}

}  // namespace opp::idl
