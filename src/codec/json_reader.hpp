#pragma once
// A streaming (SAX) JSON reader tuned for the JSON→Thrift path. It calls the same handler
// interface as RapidJSON's Reader (Null, Bool, RawNumber, String, StartObject, Key,
// EndObject, StartArray, EndArray), with these differences that matter for speed:
//  - strings without escapes are handed over in place (no copy); escaped ones are
//    unescaped once into a reused scratch buffer;
//  - plain ASCII is scanned 8 bytes at a time; UTF-8 is validated as it is scanned;
//  - numbers are checked against the JSON grammar and handed over as text, so integers
//    never go through double.
// The handler bounds the nesting (its StartObject/StartArray fail past the limit), which
// also bounds this reader's recursion.

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "json_writer.hpp"

namespace opp::codec {

class JsonReader {
 public:
  explicit JsonReader(std::string& scratch) : scratch_(scratch) {}

  /// Reads exactly one JSON value (surrounded by optional whitespace) from `text`.
  /// False on a syntax error (see error_offset/error_message) or when the handler fails.
  template <class H>
  bool parse(std::string_view text, H& handler) {
    begin_ = p_ = text.data();
    end_ = p_ + text.size();
    message_ = nullptr;
    skip_ws();
    if (!value(handler)) return false;
    skip_ws();
    if (p_ != end_) return syntax("unexpected data after the root value");
    return true;
  }

  /// Set when parse() failed on the text rather than in the handler.
  const char* error_message() const { return message_; }
  size_t error_offset() const { return static_cast<size_t>(p_ - begin_); }

 private:
  bool syntax(const char* message) {
    message_ = message;
    return false;
  }

  void skip_ws() {
    while (p_ != end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
  }

  bool literal(const char* word, size_t n) {
    if (static_cast<size_t>(end_ - p_) < n || std::memcmp(p_, word, n) != 0)
      return syntax("invalid literal");
    p_ += n;
    return true;
  }

  template <class H>
  bool value(H& h) {
    if (p_ == end_) return syntax("unexpected end of input");
    switch (*p_) {
      case '{':
        return object(h);
      case '[':
        return array(h);
      case '"': {
        const char* s;
        size_t n;
        if (!string(s, n)) return false;
        return h.String(s, static_cast<unsigned>(n), true);
      }
      case 't':
        return literal("true", 4) && h.Bool(true);
      case 'f':
        return literal("false", 5) && h.Bool(false);
      case 'n':
        return literal("null", 4) && h.Null();
      default:
        return number(h);
    }
  }

  template <class H>
  bool object(H& h) {
    ++p_;
    if (!h.StartObject()) return false;
    skip_ws();
    unsigned count = 0;
    if (p_ != end_ && *p_ == '}') {
      ++p_;
      return h.EndObject(0);
    }
    for (;;) {
      if (p_ == end_ || *p_ != '"') return syntax("expected a member name");
      const char* s;
      size_t n;
      if (!string(s, n)) return false;
      if (!h.Key(s, static_cast<unsigned>(n), true)) return false;
      skip_ws();
      if (p_ == end_ || *p_ != ':') return syntax("expected ':' after a member name");
      ++p_;
      skip_ws();
      if (!value(h)) return false;
      ++count;
      skip_ws();
      if (p_ == end_) return syntax("unexpected end of input in an object");
      if (*p_ == ',') {
        ++p_;
        skip_ws();
        continue;
      }
      if (*p_ == '}') {
        ++p_;
        return h.EndObject(count);
      }
      return syntax("expected ',' or '}' in an object");
    }
  }

  template <class H>
  bool array(H& h) {
    ++p_;
    if (!h.StartArray()) return false;
    skip_ws();
    unsigned count = 0;
    if (p_ != end_ && *p_ == ']') {
      ++p_;
      return h.EndArray(0);
    }
    for (;;) {
      if (!value(h)) return false;
      ++count;
      skip_ws();
      if (p_ == end_) return syntax("unexpected end of input in an array");
      if (*p_ == ',') {
        ++p_;
        skip_ws();
        continue;
      }
      if (*p_ == ']') {
        ++p_;
        return h.EndArray(count);
      }
      return syntax("expected ',' or ']' in an array");
    }
  }

  static bool digit(char c) { return c >= '0' && c <= '9'; }

  template <class H>
  bool number(H& h) {
    const char* start = p_;
    if (p_ != end_ && *p_ == '-') ++p_;
    if (p_ == end_ || !digit(*p_)) return syntax("invalid value");
    if (*p_ == '0') {
      ++p_;
    } else {
      while (p_ != end_ && digit(*p_)) ++p_;
    }
    if (p_ != end_ && *p_ == '.') {
      ++p_;
      if (p_ == end_ || !digit(*p_)) return syntax("missing digits after the decimal point");
      while (p_ != end_ && digit(*p_)) ++p_;
    }
    if (p_ != end_ && (*p_ == 'e' || *p_ == 'E')) {
      ++p_;
      if (p_ != end_ && (*p_ == '+' || *p_ == '-')) ++p_;
      if (p_ == end_ || !digit(*p_)) return syntax("missing digits in the exponent");
      while (p_ != end_ && digit(*p_)) ++p_;
    }
    return h.RawNumber(start, static_cast<unsigned>(p_ - start), true);
  }

  // p_ at the opening quote. On success [s, s+n) is the unescaped, valid UTF-8 text.
  bool string(const char*& s, size_t& n) {
    const char* start = ++p_;
    // Fast path: plain ASCII without escapes, 8 bytes at a time; the text stays in place.
    for (;;) {
      while (end_ - p_ >= 8) {
        uint64_t v;
        std::memcpy(&v, p_, 8);
        if (json_detail::has_special(v)) break;
        p_ += 8;
      }
      if (p_ == end_) return syntax("unterminated string");
      unsigned char c = static_cast<unsigned char>(*p_);
      if (c == '"') {
        s = start;
        n = static_cast<size_t>(p_ - start);
        ++p_;
        return true;
      }
      if (c == '\\') break;
      if (c < 0x20) return syntax("control character in a string");
      if (c >= 0x80) {
        size_t len = utf8_length();
        if (len == 0) return syntax("invalid UTF-8 in a string");
        p_ += len;
      } else {
        ++p_;
      }
    }
    // Escapes: unescape into the scratch buffer, which never needs more room than the
    // rest of the input (an escape is never shorter than what it stands for).
    size_t need = static_cast<size_t>(end_ - start) + 4;
    if (scratch_.size() < need) scratch_.resize(std::max(need, scratch_.size() * 2));
    char* const out = scratch_.data();
    char* o = out;
    std::memcpy(o, start, static_cast<size_t>(p_ - start));
    o += p_ - start;
    while (p_ != end_) {
      if (end_ - p_ >= 8) {
        uint64_t v;
        std::memcpy(&v, p_, 8);
        if (!json_detail::has_special(v)) {
          std::memcpy(o, p_, 8);
          o += 8, p_ += 8;
          continue;
        }
      }
      unsigned char c = static_cast<unsigned char>(*p_);
      if (c == '"') {
        ++p_;
        s = out;
        n = static_cast<size_t>(o - out);
        return true;
      }
      if (c == '\\') {
        if (!escape(o)) return false;
        continue;
      }
      if (c < 0x20) return syntax("control character in a string");
      if (c >= 0x80) {
        size_t len = utf8_length();
        if (len == 0) return syntax("invalid UTF-8 in a string");
        if (end_ - p_ >= 4)
          std::memcpy(o, p_, 4);  // fixed size: room is reserved, extra bytes are overwritten
        else
          std::memcpy(o, p_, len);
        o += len, p_ += len;
        continue;
      }
      *o++ = static_cast<char>(c);
      ++p_;
    }
    return syntax("unterminated string");
  }

  // Length of the valid UTF-8 sequence at p_ (a byte >= 0x80), or 0; the common 3-byte
  // case (CJK) is checked inline.
  size_t utf8_length() const {
    const unsigned char* s = reinterpret_cast<const unsigned char*>(p_);
    if ((s[0] & 0xF0) == 0xE0 && end_ - p_ >= 3 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80 &&
        s[0] != 0xE0 && s[0] != 0xED)
      return 3;
    return json_detail::utf8_sequence(s, static_cast<size_t>(end_ - p_));
  }

  bool hex4(uint32_t& out) {
    if (end_ - p_ < 4) return syntax("truncated \\u escape");
    out = 0;
    for (int i = 0; i < 4; ++i) {
      char c = *p_++;
      uint32_t d;
      if (c >= '0' && c <= '9')
        d = static_cast<uint32_t>(c - '0');
      else if (c >= 'a' && c <= 'f')
        d = static_cast<uint32_t>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F')
        d = static_cast<uint32_t>(c - 'A' + 10);
      else
        return syntax("invalid \\u escape");
      out = out << 4 | d;
    }
    return true;
  }

  // p_ at a backslash; appends the escaped character at o.
  bool escape(char*& o) {
    ++p_;
    if (p_ == end_) return syntax("unterminated string");
    char c = *p_++;
    switch (c) {
      case '"':
        *o++ = '"';
        return true;
      case '\\':
        *o++ = '\\';
        return true;
      case '/':
        *o++ = '/';
        return true;
      case 'b':
        *o++ = '\b';
        return true;
      case 'f':
        *o++ = '\f';
        return true;
      case 'n':
        *o++ = '\n';
        return true;
      case 'r':
        *o++ = '\r';
        return true;
      case 't':
        *o++ = '\t';
        return true;
      case 'u':
        break;
      default:
        return syntax("invalid escape");
    }
    uint32_t cp;
    if (!hex4(cp)) return false;
    if (cp >= 0xDC00 && cp <= 0xDFFF) return syntax("lone low surrogate in a \\u escape");
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      uint32_t low;
      if (end_ - p_ < 2 || p_[0] != '\\' || p_[1] != 'u')
        return syntax("high surrogate without its pair");
      p_ += 2;
      if (!hex4(low)) return false;
      if (low < 0xDC00 || low > 0xDFFF) return syntax("invalid surrogate pair");
      cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
    }
    // 6 (or 12) input bytes become at most 3 (or 4) output bytes.
    if (cp < 0x80) {
      *o++ = static_cast<char>(cp);
    } else if (cp < 0x800) {
      *o++ = static_cast<char>(0xC0 | cp >> 6);
      *o++ = static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      *o++ = static_cast<char>(0xE0 | cp >> 12);
      *o++ = static_cast<char>(0x80 | (cp >> 6 & 0x3F));
      *o++ = static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      *o++ = static_cast<char>(0xF0 | cp >> 18);
      *o++ = static_cast<char>(0x80 | (cp >> 12 & 0x3F));
      *o++ = static_cast<char>(0x80 | (cp >> 6 & 0x3F));
      *o++ = static_cast<char>(0x80 | (cp & 0x3F));
    }
    return true;
  }

  std::string& scratch_;
  const char* begin_ = nullptr;
  const char* p_ = nullptr;
  const char* end_ = nullptr;
  const char* message_ = nullptr;
};

}  // namespace opp::codec
