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
  // The end of file has been lexed: every doc comment is known, and a candidate still
  // open is the program's, whether it appeared before, between or after the definitions.
  if (program_doc_ != ProgramDoc::kNone && lexer_.first_doc()) out.doc = lexer_.first_doc()->text;
  return out;
}

void Parser::advance() {
  mark_before_tok_ = lexer_.doc_mark();
  std::optional<Token> next = lexer_.next();
  if (!next) throw SyntaxError{lexer_.error()};
  tok_ = std::move(*next);
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
Parser::Lookahead Parser::skip_separator() {
  if (!tok_.is_symbol(',') && !tok_.is_symbol(';')) return Lookahead::kRead;
  advance();
  return Lookahead::kNotRead;
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

// The doc comment for the construct about to be parsed (Thrift's CaptureDocText, reduced
// with the construct's first token as lookahead: the latest doc comment before it).
std::string Parser::capture_doc() {
  std::optional<DocComment> doc = lexer_.take_doc();
  return doc ? std::move(doc->text) : std::string();
}

// This parser always holds one token ahead, so the lexer's current mark is the one bison
// has after reading its lookahead; without lookahead, bison has lexed no further than
// the construct's last token, which is the mark saved before tok_ was lexed.
DocMark Parser::doc_mark_at(Lookahead lookahead) const {
  return lookahead == Lookahead::kRead ? lexer_.doc_mark() : mark_before_tok_;
}

// The first header settles the program doc: the candidate is kept if it had been lexed
// by then (a doc comment lexed later never becomes a candidate). Later headers change
// nothing that shows (Thrift's ABSOLUTELY_SURE -> NO_PROGRAM_DOCTEXT keeps the text).
void Parser::header_reduced(Lookahead lookahead) {
  if (program_doc_ != ProgramDoc::kOpen) return;
  const std::optional<DocComment>& first = lexer_.first_doc();
  bool lexed = first && first->serial <= doc_mark_at(lookahead).count;
  program_doc_ = lexed ? ProgramDoc::kKept : ProgramDoc::kNone;
}

// Thrift drops the candidate when an element is given a doc while the latest doc comment
// lexed ends on the candidate's line. That is normally the element's own doc being the
// candidate, but a later doc comment already read as lookahead leaves the candidate
// standing, and an unrelated doc on the candidate's line drops it all the same.
void Parser::element_reduced(const std::string& doc, Lookahead lookahead) {
  if (program_doc_ != ProgramDoc::kOpen || doc.empty()) return;
  const std::optional<DocComment>& first = lexer_.first_doc();
  DocMark mark = doc_mark_at(lookahead);
  if (first && first->serial <= mark.count && first->line == mark.last_line) {
    program_doc_ = ProgramDoc::kNone;
  }
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
