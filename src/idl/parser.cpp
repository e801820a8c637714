// parse_idl() and the parser's token cursor: consuming tokens, reporting the first
// syntax error as "expected X but found Y", and Thrift's program doc comment rules.
#include "parser.hpp"

#include <utility>

#include "parser_internal.hpp"

namespace opp::idl {
namespace {

bool is_header_word(const Token& t) {
  return t.is_word("include") || t.is_word("cpp_include") || t.is_word("namespace");
}

}  // namespace

Parser::Parser(std::string_view source, const std::string& file)
    : lexer_(source, file), file_(file) {
  advance();
}

ast::File Parser::parse_file() {
  ast::File out;
  while (is_header_word(tok_)) {
    lexer_.take_doc();  // doc text before a header documents nothing (thrifty.yy)
    parse_header(out);
  }
  while (tok_.kind != TokenKind::kEnd) {
    if (is_header_word(tok_))
      fail_at(here(), "'" + tok_.text + "' must come before every definition");
    std::string doc = capture_doc();
    parse_definition(out, std::move(doc));
  }
  if (candidate_ && status_ != DocStatus::kAlreadyProcessed) out.doc = candidate_->text;
  return out;
}

void Parser::advance() {
  std::optional<Token> next = lexer_.next();
  if (!next) throw SyntaxError{lexer_.error()};
  tok_ = std::move(*next);
  if (!candidate_ && lexer_.first_doc() && status_ == DocStatus::kInvalid) {
    candidate_ = lexer_.first_doc();
    status_ = DocStatus::kStillCandidate;
  }
}

void Parser::fail_at(const ast::Location& at, std::string message) const {
  throw SyntaxError{IdlError{SourceLocation{file_, at.line, at.column}, std::move(message)}};
}

void Parser::expected(const std::string& what) const {
  fail_at(here(), "expected " + what + " but found " + describe(tok_));
}

void Parser::expect_symbol(char c, const std::string& context) {
  if (!tok_.is_symbol(c)) {
    expected("'" + std::string(1, c) + "'" + (context.empty() ? "" : " " + context));
  }
  advance();
}

bool Parser::accept_symbol(char c) {
  if (!tok_.is_symbol(c)) return false;
  advance();
  return true;
}

bool Parser::accept_word(std::string_view w) {
  if (!tok_.is_word(w)) return false;
  advance();
  return true;
}

// Thrift makes `,` and `;` after a definition, field, value or annotation optional.
void Parser::skip_separator() {
  if (tok_.is_symbol(',') || tok_.is_symbol(';')) advance();
}

// Names may be keywords where Thrift >= 0.18 allows it (NameConflictTest.thrift).
std::string Parser::expect_name(const std::string& what, ast::Location* at) {
  if (tok_.kind != TokenKind::kWord) expected(what);
  if (at) *at = here();
  std::string name = tok_.text;
  advance();
  return name;
}

std::string Parser::expect_string(const std::string& what) {
  if (tok_.kind != TokenKind::kString) expected(what);
  std::string value = tok_.text;
  advance();
  return value;
}

// A header after the candidate makes it the program's doc for sure (thrifty.yy).
void Parser::declare_valid_program_doc() {
  status_ =
      (candidate_ && status_ == DocStatus::kStillCandidate) ? DocStatus::kSure : DocStatus::kNone;
}

// The doc comment for the construct about to be parsed; if it is the program doc
// candidate, the construct takes it and the program does not.
std::string Parser::capture_doc() {
  std::optional<DocComment> doc = lexer_.take_doc();
  if (!doc) return "";
  if (candidate_ && status_ == DocStatus::kStillCandidate && candidate_->serial == doc->serial) {
    status_ = DocStatus::kAlreadyProcessed;
  }
  return std::move(doc->text);
}

Parser::NestingGuard::NestingGuard(Parser& parser) : parser_(parser) {
  if (++parser_.nesting_ > kMaxNesting) {
    parser_.fail_at(parser_.here(),
                    "nesting deeper than " + std::to_string(kMaxNesting) + " levels");
  }
}

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
