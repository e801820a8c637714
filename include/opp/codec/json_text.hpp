#pragma once
// JSON string literals for text the gateway writes around the codec's output (envelope
// messages, listings): the codec's own escaping, usable outside it.

#include <string>
#include <string_view>

namespace opp::codec {

/// Appends `text` as a JSON string literal ("…", escaped). Bytes that are not valid
/// UTF-8 become U+FFFD, so the output is always valid JSON.
void append_json_string(std::string& out, std::string_view text);

}  // namespace opp::codec
