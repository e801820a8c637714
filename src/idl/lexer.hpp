#pragma once
// Tokenizer for Thrift IDL text, modelled on Apache Thrift's thriftl.ll so that the same
// files tokenize the same way: identifiers may contain dots ("shared.SharedStruct"),
// integer literals carry their sign, `true`/`false` are integers, strings use either quote.
//
// Comments are skipped; a `/** doc */` comment is not a token but is handed to the
// parser through take_doc(), which mirrors how Thrift attaches doc text to the next
// construct. The lexer also keeps what Thrift's program doc rule needs: the file's
// first doc comment and where it stands in the doc comments lexed so far (doc_mark()).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "opp/idl/descriptor.hpp"

namespace opp::idl {

enum class TokenKind : uint8_t {
  kEnd,
  kWord,    ///< identifier or keyword ([A-Za-z_][A-Za-z0-9_.]*)
  kInt,     ///< decimal or hex integer, optionally signed
  kDouble,  ///< floating point literal
  kString,  ///< quoted literal; `text` holds the decoded value
  kSymbol,  ///< one of : ; , { } ( ) = < > [ ] * &
};

struct Token {
  TokenKind kind = TokenKind::kEnd;
  std::string text;  ///< source spelling (decoded value for kString)
  int64_t int_value = 0;
  double double_value = 0;
  uint32_t line = 1;
  uint32_t column = 1;

  bool is_symbol(char c) const { return kind == TokenKind::kSymbol && text[0] == c; }
  bool is_word(std::string_view w) const { return kind == TokenKind::kWord && text == w; }
};

/// A doc comment seen by the lexer, already cleaned up as Thrift does.
struct DocComment {
  std::string text;
  uint32_t line = 0;    ///< line of its closing "*/" (Thrift's yylineno after the comment)
  uint64_t serial = 0;  ///< its place among the file's doc comments (blank ones count), from 1
};

/// How far the lexer has got through the file's doc comments, blank ones included:
/// how many it has lexed and the line of the latest (Thrift's g_doctext_lineno).
struct DocMark {
  uint64_t count = 0;
  uint32_t last_line = 0;
};

class Lexer {
 public:
  Lexer(std::string_view source, std::string file);

  /// The next token; on a lexical error returns nullopt and sets error().
  std::optional<Token> next();
  const IdlError& error() const { return error_; }

  /// The latest doc comment not yet taken, if any; taking it clears it.
  std::optional<DocComment> take_doc();
  /// The first non-blank doc comment of the file (the program doc candidate; on a blank
  /// first one Thrift 0.17 crashes, so there is no behaviour to follow there).
  const std::optional<DocComment>& first_doc() const { return first_doc_; }
  /// The doc comments lexed so far, up to the last token returned by next().
  DocMark doc_mark() const { return doc_mark_; }

 private:
  bool skip_space_and_comments();
  std::optional<Token> lex_number(Token token);
  std::optional<Token> lex_string(Token token);
  /// Completes a kInt token from its digits (sign already consumed); fails beyond i64.
  std::optional<Token> integer_token(Token token, std::string_view digits, int base, bool negative);
  bool fail(uint32_t line, uint32_t column, std::string message);
  char peek(size_t ahead = 0) const {
    return pos_ + ahead < src_.size() ? src_[pos_ + ahead] : '\0';
  }
  void advance(size_t n = 1);

  std::string_view src_;
  std::string file_;
  size_t pos_ = 0;
  uint32_t line_ = 1;
  uint32_t column_ = 1;
  std::optional<DocComment> pending_doc_;
  std::optional<DocComment> first_doc_;
  DocMark doc_mark_;
  IdlError error_;
};

/// Thrift's doc text clean-up: strips the common " * " prefix and indentation,
/// trailing blanks and a leading empty line; every line ends with '\n'.
std::string clean_up_doc_text(std::string_view raw);

/// How a token reads in an error message: 'i32', end of file, "literal".
std::string describe(const Token& token);

}  // namespace opp::idl
