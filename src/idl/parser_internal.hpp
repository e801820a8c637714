#pragma once
// The recursive-descent parser behind parse_idl(), split by grammar area:
//   parser.cpp                 token cursor, error reporting, file layout, program doc
//   parser_definitions.cpp     headers and definitions: const, typedef, enum, struct, service
//   parser_types_values.cpp    types, constant values and annotations (the recursive parts)

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ast.hpp"
#include "lexer.hpp"
#include "opp/idl/descriptor.hpp"

namespace opp::idl {

// Thrown inside the parser only; parse_idl() turns it into ParseResult::error.
struct SyntaxError {
  IdlError error;
};

class Parser {
 public:
  Parser(std::string_view source, const std::string& file);

  ast::File parse_file();

 private:
  // Thrift 0.17's program doc rule (thriftl.ll, thrifty.yy, t_doc.h). The candidate is
  // the first doc comment the lexer meets before any header has been reduced. Reducing
  // a header settles it: kept if there is a candidate by then, none ever otherwise.
  // Until then an element (definition, field, enum value, function) that takes a doc
  // drops the candidate if, at that moment, the latest doc comment lexed ends on the
  // candidate's line (Thrift compares g_doctext_lineno with g_program_doctext_lineno).
  // "At that moment" is bison's: an element is reduced after one token of lookahead,
  // except where its last token leaves nothing to decide (see Lookahead).
  enum class ProgramDoc : uint8_t {
    kOpen,  ///< no header reduced yet: the first doc comment, if any, can still be dropped
    kKept,  ///< confirmed by a header (STILL_CANDIDATE -> ABSOLUTELY_SURE)
    kNone,  ///< no candidate when the first header was reduced, or dropped by an element
  };
  // Whether bison had read the token after a construct when it reduced the construct.
  // It has not when the construct ends in a token that can only be followed by the
  // reduction (a consistent LALR state): a `,`/`;` separator, the `)` of trailing
  // annotations, `include "x"`, `cpp_include "x"`, `namespace * x`. Then doc comments
  // between that token and the next are not lexed yet.
  enum class Lookahead : uint8_t { kNotRead, kRead };

  // Nested types and values recurse; a bound keeps hostile input off the stack limit.
  static constexpr int kMaxNesting = 200;
  class NestingGuard {
   public:
    explicit NestingGuard(Parser& parser);
    ~NestingGuard() { --parser_.nesting_; }
    NestingGuard(const NestingGuard&) = delete;
    NestingGuard& operator=(const NestingGuard&) = delete;

   private:
    Parser& parser_;
  };

  // parser.cpp: the token cursor.
  void advance();
  ast::Location here() const { return ast::Location{tok_.line, tok_.column}; }
  [[noreturn]] void fail_at(const ast::Location& at, std::string message) const;
  /// Fails with "expected <what> but found <current token>".
  [[noreturn]] void expected(const std::string& what) const;
  void expect_symbol(char c, const std::string& context = "");
  bool accept_symbol(char c);
  bool accept_word(std::string_view w);
  /// Skips an optional `,` or `;`; kNotRead when there was one (it ends the construct).
  Lookahead skip_separator();
  std::string expect_name(const std::string& what, ast::Location* at = nullptr);
  std::string expect_string(const std::string& what);
  // parser.cpp: doc comments.
  std::string capture_doc();
  /// The doc comments lexed when a construct ending at the last consumed token is reduced.
  DocMark doc_mark_at(Lookahead lookahead) const;
  /// A header has been reduced (Thrift's declare_valid_program_doctext).
  void header_reduced(Lookahead lookahead);
  /// An element that took `doc` has been reduced (Thrift's t_doc::set_doc).
  void element_reduced(const std::string& doc, Lookahead lookahead);

  // parser_definitions.cpp
  void parse_header(ast::File& out);
  void parse_definition(ast::File& out, std::string doc);
  void end_type_definition(const std::string& doc, Annotations& annotations);
  ast::Const parse_const(std::string doc);
  ast::Typedef parse_typedef(std::string doc);
  ast::Struct parse_struct(std::string doc);
  ast::Enum parse_enum(std::string doc);
  ast::Service parse_service(std::string doc);
  ast::Function parse_function();
  std::vector<ast::Field> parse_fields(char closing, bool in_arglist);
  ast::Field parse_field(char closing, bool in_arglist, int64_t& next_auto_id);

  // parser_types_values.cpp
  ast::Type parse_type();
  void skip_cpp_type();
  ast::ConstValue parse_const_value();
  Annotations parse_annotations();

  Lexer lexer_;
  std::string file_;
  Token tok_;  ///< the current token, not yet consumed
  /// The lexer's doc mark before it lexed tok_ (and the doc comments in front of it).
  DocMark mark_before_tok_;
  int nesting_ = 0;
  ProgramDoc program_doc_ = ProgramDoc::kOpen;
};

}  // namespace opp::idl
