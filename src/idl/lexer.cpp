#include "lexer.hpp"

#include <cstdlib>
#include <limits>
#include <vector>

namespace opp::idl {
namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_hex_digit(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
bool is_word_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool is_word_char(char c) {
  return is_word_start(c) || is_digit(c);
}
bool is_symbol_char(char c) {
  switch (c) {
    case ':':
    case ';':
    case ',':
    case '{':
    case '}':
    case '(':
    case ')':
    case '=':
    case '<':
    case '>':
    case '[':
    case ']':
    case '*':
    case '&':
      return true;
    default:
      return false;
  }
}

int hex_value(char c) {
  if (is_digit(c)) return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return c - 'A' + 10;
}

// Accumulates |digits| in base `base`; false when the magnitude exceeds `limit`.
bool accumulate(std::string_view digits, int base, uint64_t limit, uint64_t& out) {
  out = 0;
  for (char c : digits) {
    uint64_t d = static_cast<uint64_t>(hex_value(c));
    if (out > (limit - d) / static_cast<uint64_t>(base)) return false;
    out = out * static_cast<uint64_t>(base) + d;
  }
  return true;
}

}  // namespace

Lexer::Lexer(std::string_view source, std::string file) : src_(source), file_(std::move(file)) {}

void Lexer::advance(size_t n) {
  for (size_t i = 0; i < n && pos_ < src_.size(); ++i) {
    if (src_[pos_] == '\n') {
      ++line_;
      column_ = 1;
    } else {
      ++column_;
    }
    ++pos_;
  }
}

bool Lexer::fail(uint32_t line, uint32_t column, std::string message) {
  error_ = IdlError{SourceLocation{file_, line, column}, std::move(message)};
  return false;
}

std::optional<DocComment> Lexer::take_doc() {
  std::optional<DocComment> doc = std::move(pending_doc_);
  pending_doc_.reset();
  return doc;
}

bool Lexer::skip_space_and_comments() {
  while (pos_ < src_.size()) {
    char c = peek();
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      advance();
    } else if (c == '#' || (c == '/' && peek(1) == '/')) {
      while (pos_ < src_.size() && peek() != '\n') advance();
    } else if (c == '/' && peek(1) == '*') {
      uint32_t line = line_, column = column_;
      size_t end = src_.find("*/", pos_ + 2);
      if (end == std::string_view::npos) {
        return fail(line, column, "unterminated comment: expected '*/' before end of file");
      }
      std::string_view body = src_.substr(pos_ + 2, end - pos_ - 2);
      // "/** text */" is a doc comment; "/**/" and "/***/" are not (as in thriftl.ll).
      bool is_doc = body.size() >= 1 && body[0] == '*' &&
                    body.find_first_not_of('*') != std::string_view::npos;
      if (is_doc && body.size() >= 2 && body[1] == '/') is_doc = false;
      advance(end + 2 - pos_);
      if (is_doc) {
        // A newer doc comment replaces one not yet attached; a blank one just clears it.
        // Either kind moves the mark: Thrift records the line of every doc comment.
        pending_doc_.reset();
        ++doc_mark_.count;
        doc_mark_.last_line = line_;
        std::string text = clean_up_doc_text(body.substr(1));
        if (!text.empty()) {
          DocComment doc{std::move(text), line_, doc_mark_.count};
          if (!first_doc_) first_doc_ = doc;
          pending_doc_ = std::move(doc);
        }
      }
    } else {
      return true;
    }
  }
  return true;
}

std::optional<Token> Lexer::next() {
  if (!skip_space_and_comments()) return std::nullopt;
  Token token;
  token.line = line_;
  token.column = column_;
  if (pos_ >= src_.size()) {
    token.kind = TokenKind::kEnd;
    return token;
  }
  char c = peek();
  if (is_word_start(c)) {
    size_t start = pos_;
    // Thrift identifiers: a dot must be followed by a word character.
    while (is_word_char(peek()) || (peek() == '.' && is_word_char(peek(1)))) advance();
    token.kind = TokenKind::kWord;
    token.text = std::string(src_.substr(start, pos_ - start));
    if (token.text == "true" || token.text == "false") {
      token.kind = TokenKind::kInt;
      token.int_value = token.text == "true" ? 1 : 0;
    }
    return token;
  }
  bool signed_number =
      (c == '+' || c == '-') && (is_digit(peek(1)) || (peek(1) == '.' && is_digit(peek(2))));
  if (is_digit(c) || signed_number || (c == '.' && is_digit(peek(1)))) return lex_number(token);
  if (c == '"' || c == '\'') return lex_string(token);
  if (is_symbol_char(c)) {
    token.kind = TokenKind::kSymbol;
    token.text = std::string(1, c);
    advance();
    return token;
  }
  fail(line_, column_, "unexpected character '" + std::string(1, c) + "'");
  return std::nullopt;
}

std::optional<Token> Lexer::lex_number(Token token) {
  size_t start = pos_;
  bool negative = peek() == '-';
  if (peek() == '+' || peek() == '-') advance();
  if (peek() == '0' && (peek(1) == 'x' || peek(1) == 'X') && is_hex_digit(peek(2))) {
    advance(2);
    size_t digits_start = pos_;
    while (is_hex_digit(peek())) advance();
    token.text = std::string(src_.substr(start, pos_ - start));
    return integer_token(std::move(token), src_.substr(digits_start, pos_ - digits_start), 16,
                         negative);
  }
  size_t digits_start = pos_;
  while (is_digit(peek())) advance();
  size_t digits_end = pos_;
  bool is_double = false;
  if (peek() == '.' && is_digit(peek(1))) {
    is_double = true;
    advance();
    while (is_digit(peek())) advance();
  }
  if ((peek() == 'e' || peek() == 'E') &&
      (is_digit(peek(1)) || ((peek(1) == '+' || peek(1) == '-') && is_digit(peek(2))))) {
    is_double = true;
    advance(2);
    while (is_digit(peek())) advance();
  }
  token.text = std::string(src_.substr(start, pos_ - start));
  if (is_double) {
    token.kind = TokenKind::kDouble;
    token.double_value = std::strtod(token.text.c_str(), nullptr);
    return token;
  }
  return integer_token(std::move(token), src_.substr(digits_start, digits_end - digits_start), 10,
                       negative);
}

std::optional<Token> Lexer::integer_token(Token token, std::string_view digits, int base,
                                          bool negative) {
  // The magnitude of INT64_MIN is one more than INT64_MAX's.
  uint64_t limit = negative ? uint64_t{1} << 63 : (uint64_t{1} << 63) - 1;
  uint64_t magnitude = 0;
  if (!accumulate(digits, base, limit, magnitude)) {
    fail(token.line, token.column,
         "integer constant '" + token.text + "' is out of range (beyond i64)");
    return std::nullopt;
  }
  token.kind = TokenKind::kInt;
  token.int_value =
      negative ? static_cast<int64_t>(0 - magnitude) : static_cast<int64_t>(magnitude);
  return token;
}

std::optional<Token> Lexer::lex_string(Token token) {
  char quote = peek();
  advance();
  std::string value;
  while (true) {
    if (pos_ >= src_.size() || peek() == '\n') {
      fail(token.line, token.column,
           "unterminated string literal: expected closing " + std::string(1, quote) +
               " before end of line");
      return std::nullopt;
    }
    char c = peek();
    if (c == quote) {
      advance();
      break;
    }
    if (c == '\\') {
      uint32_t line = line_, column = column_;
      char e = peek(1);
      switch (e) {
        case 'r':
          value += '\r';
          break;
        case 'n':
          value += '\n';
          break;
        case 't':
          value += '\t';
          break;
        case '"':
          value += '"';
          break;
        case '\'':
          value += '\'';
          break;
        case '\\':
          value += '\\';
          break;
        default:
          fail(line, column,
               "bad escape character '\\" + std::string(1, e) +
                   "' in string literal (expected one of \\r \\n \\t \\\" \\' \\\\)");
          return std::nullopt;
      }
      advance(2);
      continue;
    }
    value += c;
    advance();
  }
  token.kind = TokenKind::kString;
  token.text = std::move(value);
  return token;
}

std::string describe(const Token& token) {
  switch (token.kind) {
    case TokenKind::kEnd:
      return "end of file";
    case TokenKind::kString:
      return "string literal \"" + token.text + "\"";
    default:
      return "'" + token.text + "'";
  }
}

std::string clean_up_doc_text(std::string_view raw) {
  std::string text;
  text.reserve(raw.size());
  for (char c : raw) {
    if (c != '\r') text += c;
  }
  std::vector<std::string> lines;
  size_t last = 0;
  while (true) {
    size_t pos = text.find('\n', last);
    if (pos == std::string::npos) {
      // A last line of only blanks is dropped.
      if (text.find_first_not_of(" \t", last) != std::string::npos)
        lines.push_back(text.substr(last));
      break;
    }
    lines.push_back(text.substr(last, pos - last));
    last = pos + 1;
  }
  if (lines.empty()) return "";
  size_t first = lines.front().find_first_not_of(" \t");
  lines.front().erase(0, first == std::string::npos ? lines.front().size() : first);

  // If every non-blank line after the first starts with the same indentation and a
  // star, strip them (blank lines met on the way are emptied).
  bool have_prefix = true;
  std::optional<size_t> star_column;
  for (size_t i = 1; i < lines.size() && have_prefix; ++i) {
    std::string& line = lines[i];
    size_t pos = line.find_first_not_of(" \t");
    if (pos == std::string::npos) {
      line.clear();
    } else if (line[pos] == '*' && (!star_column || pos == *star_column)) {
      star_column = pos;
    } else {
      have_prefix = false;
    }
  }
  if (have_prefix && star_column) {
    for (size_t i = 1; i < lines.size(); ++i) lines[i].erase(0, *star_column + 1);
  }
  // Then remove the smallest indentation common to the following lines.
  size_t indent = std::string::npos;
  for (size_t i = 1; i < lines.size(); ++i) {
    if (lines[i].empty()) continue;
    size_t pos = lines[i].find_first_not_of(" \t");
    if (pos != std::string::npos && (indent == std::string::npos || pos < indent)) indent = pos;
  }
  if (indent != std::string::npos) {
    for (size_t i = 1; i < lines.size(); ++i) lines[i].erase(0, indent);
  }
  for (std::string& line : lines) {
    size_t pos = line.find_last_not_of(" \t");
    if (pos != std::string::npos && pos != line.size() - 1) line.erase(pos + 1);
  }
  if (lines.front().empty()) lines.erase(lines.begin());
  std::string out;
  for (const std::string& line : lines) {
    out += line;
    out += '\n';
  }
  return out;
}

}  // namespace opp::idl
