#pragma once
// TFramedTransport framing: a 4-byte big-endian length before each message.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace opp::codec {

/// Appends a length placeholder to `out`; returns its position for end_frame().
inline size_t begin_frame(std::string& out) {
  size_t at = out.size();
  out.append(4, '\0');
  return at;
}

/// Writes the length of everything appended after the placeholder at `at`.
inline void end_frame(std::string& out, size_t at) {
  uint32_t n = static_cast<uint32_t>(out.size() - at - 4);
  out[at] = static_cast<char>(n >> 24);
  out[at + 1] = static_cast<char>(n >> 16);
  out[at + 2] = static_cast<char>(n >> 8);
  out[at + 3] = static_cast<char>(n);
}

/// The payload length announced by a frame header, or nullopt while fewer than 4 bytes
/// are available. A length with the top bit set is returned as is; callers bound it.
inline std::optional<uint32_t> frame_length(std::string_view bytes) {
  if (bytes.size() < 4) return std::nullopt;
  auto b = [&](size_t i) { return static_cast<uint32_t>(static_cast<uint8_t>(bytes[i])); };
  return (b(0) << 24) | (b(1) << 16) | (b(2) << 8) | b(3);
}

}  // namespace opp::codec
