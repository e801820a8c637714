#include "parser.hpp"

#include <limits>
#include <set>
#include <utility>

#include "lexer.hpp"

namespace opp::idl {
namespace {

// Thrown inside the parser only; parse_idl() turns it into ParseResult::error.
struct SyntaxError {
  IdlError error;
};

const std::set<std::string_view>& base_type_words() {
  static const std::set<std::string_view> words = {"bool", "byte",   "i8",     "i16",    "i32",
                                                   "i64",  "double", "string", "binary", "uuid"};
  return words;
}

// Words that can never start a type, so a better message can be given.
const std::set<std::string_view>& non_type_words() {
  static const std::set<std::string_view> words = {
      "struct", "union",    "exception", "service",   "enum",       "senum",
      "const",  "typedef",  "include",   "namespace", "extends",    "throws",
      "oneway", "required", "optional",  "void",      "cpp_include"};
  return words;
}

bool is_header_word(const Token& t) {
  return t.is_word("include") || t.is_word("cpp_include") || t.is_word("namespace");
}

class Parser {
 public:
  Parser(std::string_view source, const std::string& file) : lexer_(source, file), file_(file) {
    advance();
  }

  ast::File parse_file() {
    ast::File out;
    while (is_header_word(tok_)) {
      lexer_.take_doc();  // doc text before a header documents nothing (thrifty.yy)
      parse_header(out);
    }
    while (tok_.kind != TokenKind::kEnd) {
      std::string doc = capture_doc();
      parse_definition(out, std::move(doc));
    }
    if (candidate_ && status_ != DocStatus::kAlreadyProcessed) out.doc = candidate_->text;
    return out;
  }

 private:
  // Mirrors Thrift's program doc text rules: the first doc comment of the file is the
  // program's unless it was attached to the first definition with no header between.
  enum class DocStatus { kInvalid, kStillCandidate, kAlreadyProcessed, kSure, kNone };

  void advance() {
    std::optional<Token> next = lexer_.next();
    if (!next) throw SyntaxError{lexer_.error()};
    tok_ = std::move(*next);
    if (!candidate_ && lexer_.first_doc() && status_ == DocStatus::kInvalid) {
      candidate_ = lexer_.first_doc();
      status_ = DocStatus::kStillCandidate;
    }
  }

  void declare_valid_program_doc() {
    status_ =
        (candidate_ && status_ == DocStatus::kStillCandidate) ? DocStatus::kSure : DocStatus::kNone;
  }

  std::string capture_doc() {
    std::optional<DocComment> doc = lexer_.take_doc();
    if (!doc) return "";
    if (candidate_ && status_ == DocStatus::kStillCandidate && candidate_->serial == doc->serial) {
      status_ = DocStatus::kAlreadyProcessed;
    }
    return std::move(doc->text);
  }

  [[noreturn]] void fail_at(const ast::Location& at, std::string message) const {
    throw SyntaxError{IdlError{SourceLocation{file_, at.line, at.column}, std::move(message)}};
  }
  [[noreturn]] void expected(const std::string& what) const {
    fail_at(here(), "expected " + what + " but found " + describe(tok_));
  }
  ast::Location here() const { return ast::Location{tok_.line, tok_.column}; }

  void expect_symbol(char c, const std::string& context = "") {
    if (!tok_.is_symbol(c)) {
      expected("'" + std::string(1, c) + "'" + (context.empty() ? "" : " " + context));
    }
    advance();
  }
  bool accept_symbol(char c) {
    if (!tok_.is_symbol(c)) return false;
    advance();
    return true;
  }
  bool accept_word(std::string_view w) {
    if (!tok_.is_word(w)) return false;
    advance();
    return true;
  }
  void skip_separator() {
    if (tok_.is_symbol(',') || tok_.is_symbol(';')) advance();
  }
  // Names may be keywords where Thrift >= 0.18 allows it (NameConflictTest.thrift).
  std::string expect_name(const std::string& what, ast::Location* at = nullptr) {
    if (tok_.kind != TokenKind::kWord) expected(what);
    if (at) *at = here();
    std::string name = tok_.text;
    advance();
    return name;
  }
  std::string expect_string(const std::string& what) {
    if (tok_.kind != TokenKind::kString) expected(what);
    std::string value = tok_.text;
    advance();
    return value;
  }

  void parse_header(ast::File& out) {
    if (accept_word("include")) {
      ast::Location at = here();
      std::string path = expect_string("a quoted file name after 'include'");
      declare_valid_program_doc();
      out.includes.push_back(ast::Include{std::move(path), at});
    } else if (accept_word("cpp_include")) {
      out.cpp_includes.push_back(expect_string("a quoted file name after 'cpp_include'"));
      declare_valid_program_doc();
    } else {
      advance();  // namespace
      std::string scope;
      if (accept_symbol('*')) {
        scope = "*";
      } else {
        scope = expect_name("a language scope or '*' after 'namespace'");
      }
      std::string name = expect_name("a namespace name after 'namespace " + scope + "'");
      parse_annotations();
      declare_valid_program_doc();
      out.namespaces.emplace_back(std::move(scope), std::move(name));
    }
    skip_separator();
  }

  void parse_definition(ast::File& out, std::string doc) {
    if (tok_.is_word("const")) {
      advance();
      ast::Const c;
      c.doc = std::move(doc);
      c.type = parse_type();
      c.name = expect_name("a constant name", &c.location);
      expect_symbol('=', "after the constant name");
      c.value = parse_const_value();
      skip_separator();
      out.consts.push_back(std::move(c));
    } else if (tok_.is_word("typedef")) {
      advance();
      ast::Typedef t;
      t.doc = std::move(doc);
      t.type = parse_type();
      t.name = expect_name("a typedef name", &t.location);
      t.annotations = parse_annotations();
      skip_separator();
      out.typedefs.push_back(std::move(t));
    } else if (tok_.is_word("enum")) {
      advance();
      out.enums.push_back(parse_enum(std::move(doc)));
    } else if (tok_.is_word("struct") || tok_.is_word("union") || tok_.is_word("exception")) {
      ast::Struct s;
      s.kind = tok_.is_word("struct")  ? StructDescriptor::Kind::kStruct
               : tok_.is_word("union") ? StructDescriptor::Kind::kUnion
                                       : StructDescriptor::Kind::kException;
      advance();
      s.doc = std::move(doc);
      s.name = expect_name("a name after '" + std::string(kind_word(s.kind)) + "'", &s.location);
      accept_word("xsd_all");
      expect_symbol('{', "to open " + std::string(kind_word(s.kind)) + " '" + s.name + "'");
      s.fields = parse_fields('}', /*in_arglist=*/false);
      s.annotations = parse_annotations();
      skip_separator();
      out.structs.push_back(std::move(s));
    } else if (tok_.is_word("service")) {
      advance();
      out.services.push_back(parse_service(std::move(doc)));
    } else if (is_header_word(tok_)) {
      fail_at(here(), "'" + tok_.text + "' must come before every definition");
    } else {
      expected("a definition (const, typedef, enum, struct, union, exception or service)");
    }
  }

  static const char* kind_word(StructDescriptor::Kind kind) {
    switch (kind) {
      case StructDescriptor::Kind::kStruct:
        return "struct";
      case StructDescriptor::Kind::kUnion:
        return "union";
      case StructDescriptor::Kind::kException:
        return "exception";
    }
    return "struct";
  }

  ast::Enum parse_enum(std::string doc) {
    ast::Enum e;
    e.doc = std::move(doc);
    e.name = expect_name("a name after 'enum'", &e.location);
    expect_symbol('{', "to open enum '" + e.name + "'");
    int64_t next_value = 0;
    while (!accept_symbol('}')) {
      ast::EnumValue v;
      v.doc = capture_doc();
      if (tok_.kind != TokenKind::kWord) expected("an enum value name or '}'");
      v.name = expect_name("an enum value name", &v.location);
      if (accept_symbol('=')) {
        if (tok_.kind != TokenKind::kInt) expected("an integer value for '" + v.name + "'");
        v.value = tok_.int_value;
        ast::Location at = here();
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
      skip_separator();
      e.values.push_back(std::move(v));
    }
    e.annotations = parse_annotations();
    skip_separator();
    return e;
  }

  ast::Service parse_service(std::string doc) {
    ast::Service s;
    s.doc = std::move(doc);
    s.name = expect_name("a name after 'service'", &s.location);
    if (accept_word("extends")) {
      s.extends = expect_name("a service name after 'extends'", &s.extends_location);
    }
    expect_symbol('{', "to open service '" + s.name + "'");
    while (!accept_symbol('}')) s.functions.push_back(parse_function());
    s.annotations = parse_annotations();
    skip_separator();
    return s;
  }

  ast::Function parse_function() {
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
    skip_separator();
    return f;
  }

  std::vector<ast::Field> parse_fields(char closing, bool in_arglist) {
    std::vector<ast::Field> fields;
    int64_t next_auto_id = -1;  // Thrift numbers fields without an id -1, -2, ...
    while (!accept_symbol(closing)) {
      ast::Field f;
      f.doc = capture_doc();
      f.location = here();
      if (tok_.kind == TokenKind::kInt) {
        f.id_location = here();
        f.id = tok_.int_value;
        f.explicit_id = true;
        advance();
        expect_symbol(':', "after field id " + std::to_string(f.id));
        if (f.id <= 0 || f.id > std::numeric_limits<int16_t>::max()) {
          fail_at(f.id_location,
                  "field id " + std::to_string(f.id) + " is out of range (1..32767)");
        }
      } else if (tok_.kind != TokenKind::kWord) {
        expected("a field or '" + std::string(1, closing) + "'");
      } else {
        f.id_location = here();
        f.id = next_auto_id--;
      }
      if (accept_word("required")) {
        f.requiredness = Requiredness::kRequired;
      } else if (accept_word("optional")) {
        // Thrift ignores `optional` in argument and throws lists.
        f.requiredness = in_arglist ? Requiredness::kDefault : Requiredness::kOptional;
      }
      f.type = parse_type();
      accept_symbol('&');
      f.name = expect_name("a field name", &f.name_location);
      if (accept_symbol('=')) f.default_value = parse_const_value();
      accept_word("xsd_optional");
      accept_word("xsd_nillable");
      if (accept_word("xsd_attrs")) {
        expect_symbol('{', "after 'xsd_attrs'");
        parse_fields('}', false);
      }
      f.annotations = parse_annotations();
      skip_separator();
      fields.push_back(std::move(f));
    }
    return fields;
  }

  ast::Type parse_type() {
    NestingGuard guard(*this);
    ast::Type t;
    t.location = here();
    if (tok_.kind != TokenKind::kWord || non_type_words().count(tok_.text)) expected("a type");
    std::string word = tok_.text;
    advance();
    if (base_type_words().count(word)) {
      t.kind = ast::Type::Kind::kBase;
      t.name = word;
      t.annotations = parse_annotations();
    } else if (word == "list" || word == "set") {
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

  void skip_cpp_type() {
    if (accept_word("cpp_type")) expect_string("a quoted type after 'cpp_type'");
  }

  ast::ConstValue parse_const_value() {
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
        v.kind = ast::ConstValue::Kind::kString;
        v.text = tok_.text;
        advance();
        return v;
      case TokenKind::kWord:
        v.kind = ast::ConstValue::Kind::kIdentifier;
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

  Annotations parse_annotations() {
    Annotations out;
    if (!accept_symbol('(')) return out;
    while (!accept_symbol(')')) {
      if (tok_.kind != TokenKind::kWord) expected("an annotation name or ')'");
      Annotation a;
      a.key = tok_.text;
      advance();
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

  // Nested types and values recurse; a bound keeps hostile input off the stack limit.
  static constexpr int kMaxNesting = 200;
  struct NestingGuard {
    NestingGuard(Parser& p) : parser(p) {
      if (++parser.nesting_ > kMaxNesting) {
        parser.fail_at(parser.here(),
                       "nesting deeper than " + std::to_string(kMaxNesting) + " levels");
      }
    }
    ~NestingGuard() { --parser.nesting_; }
    Parser& parser;
  };

  Lexer lexer_;
  int nesting_ = 0;
  std::string file_;
  Token tok_;
  std::optional<DocComment> candidate_;
  DocStatus status_ = DocStatus::kInvalid;
};

}  // namespace

ParseResult parse_idl(std::string_view source, const std::string& file) {
  ParseResult result;
  try {
    Parser parser(source, file);
    result.file = parser.parse_file();
  } catch (const SyntaxError& e) {
    result.error = e.error;
  }
  return result;
}

}  // namespace opp::idl
