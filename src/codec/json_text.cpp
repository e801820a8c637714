#include "opp/codec/json_text.hpp"

#include "buffer.hpp"
#include "json_writer.hpp"

namespace opp::codec {
namespace {

// `text` with every byte that does not start a valid UTF-8 sequence replaced by U+FFFD.
std::string repaired_utf8(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 8);
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  for (size_t i = 0; i < text.size();) {
    if (s[i] < 0x80) {
      out += static_cast<char>(s[i++]);
      continue;
    }
    size_t len = json_detail::utf8_sequence(s + i, text.size() - i);
    if (len == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out.append(text.substr(i, len));
      i += len;
    }
  }
  return out;
}

}  // namespace

void append_json_string(std::string& out, std::string_view text) {
  Buffer buffer(out);
  if (!write_json_string(buffer, text.data(), text.size())) {
    buffer.rollback();
    std::string repaired = repaired_utf8(text);
    Buffer again(out);
    write_json_string(again, repaired.data(), repaired.size());
    again.commit();
    return;
  }
  buffer.commit();
}

}  // namespace opp::codec
