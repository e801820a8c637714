#pragma once
// Byte order of TBinaryProtocol (big-endian) and TCompactProtocol doubles (little-endian):
// one template per direction for every integer width, shared by the readers and writers.

#include <bit>
#include <cstdint>
#include <cstring>
#include <type_traits>

namespace opp::codec {

/// Reverses the bytes of an unsigned integer of any width (C++23 std::byteswap).
template <class U>
constexpr U byteswap(U v) noexcept {
  static_assert(std::is_unsigned_v<U>, "byteswap takes unsigned integers");
  if constexpr (sizeof(U) == 1) {
    return v;
  } else if constexpr (sizeof(U) == 2) {
    return __builtin_bswap16(v);
  } else if constexpr (sizeof(U) == 4) {
    return __builtin_bswap32(v);
  } else {
    static_assert(sizeof(U) == 8, "unsupported width");
    return __builtin_bswap64(v);
  }
}

/// A host integer from `sizeof(U)` big-endian bytes at `p`.
template <class U>
inline U load_big_endian(const char* p) noexcept {
  U v;
  std::memcpy(&v, p, sizeof v);
  if constexpr (std::endian::native == std::endian::little) v = byteswap(v);
  return v;
}

/// Stores `v` as `sizeof(U)` big-endian bytes at `o`.
template <class U>
inline void store_big_endian(char* o, U v) noexcept {
  if constexpr (std::endian::native == std::endian::little) v = byteswap(v);
  std::memcpy(o, &v, sizeof v);
}

/// A host integer from `sizeof(U)` little-endian bytes at `p` (compact doubles).
template <class U>
inline U load_little_endian(const char* p) noexcept {
  U v;
  std::memcpy(&v, p, sizeof v);
  if constexpr (std::endian::native == std::endian::big) v = byteswap(v);
  return v;
}

}  // namespace opp::codec
