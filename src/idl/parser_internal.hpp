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
  // Thrift's program doc rules (thrifty.yy): the first doc comment of the file is the
  // program's unless it was attached to the first definition with no header between.
  enum class DocStatus { kInvalid, kStillCandidate, kAlreadyProcessed, kSure, kNone };

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
  void skip_separator();
  std::string expect_name(const std::string& what, ast::Location* at = nullptr);
  std::string expect_string(const std::string& what);
  // parser.cpp: doc comments.
  void declare_valid_program_doc();
  std::string capture_doc();

  // parser_definitions.cpp
  void parse_header(ast::File& out);
  void parse_definition(ast::File& out, std::string doc);
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
  int nesting_ = 0;
  std::optional<DocComment> candidate_;  ///< the program doc candidate
  DocStatus status_ = DocStatus::kInvalid;
};

}  // namespace opp::idl
