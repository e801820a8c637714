#pragma once
// UTF-8 validation of decoded params (SPEC §3.1: keys and values are UTF-8 text). ASCII is
// skipped eight bytes at a time; other sequences go through RapidJSON's validator (the
// DFA of Björn Höhrmann: rejects overlong forms, surrogates and code points > U+10FFFF).

#include <rapidjson/encodings.h>

#include <cstdint>
#include <cstring>
#include <string_view>

namespace opp::gateway::request::detail {

/// A bounded byte stream for rapidjson::UTF8<>::Validate; reads past the end as NUL,
/// which is never a continuation byte, so a truncated sequence fails.
struct Utf8Stream {
  const char* p;
  const char* end;
  char Peek() const { return p < end ? *p : '\0'; }
  char Take() { return p < end ? *p++ : '\0'; }
};

struct DiscardOutput {
  void Put(char) {}
};

/// Length of the valid UTF-8 sequence starting at `p` (1 for ASCII), or 0 when invalid.
inline size_t utf8_sequence_length(const char* p, const char* end) {
  Utf8Stream in{p, end};
  DiscardOutput out;
  if (!rapidjson::UTF8<>::Validate(in, out)) return 0;
  return static_cast<size_t>(in.p - p);
}

/// True when `text` is well-formed UTF-8.
inline bool is_valid_utf8(std::string_view text) {
  const char* p = text.data();
  const char* const end = p + text.size();
  while (p != end) {
    while (end - p >= 8) {
      uint64_t word;
      std::memcpy(&word, p, sizeof word);
      if (word & 0x8080808080808080ULL) break;
      p += 8;
    }
    if (p == end) break;
    if (static_cast<unsigned char>(*p) < 0x80) {
      ++p;
      continue;
    }
    const size_t length = utf8_sequence_length(p, end);
    if (length == 0) return false;
    p += length;
  }
  return true;
}

}  // namespace opp::gateway::request::detail
