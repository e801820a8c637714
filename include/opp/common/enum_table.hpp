#pragma once
// Enum <-> name tables: one constexpr array per enum instead of a switch per direction,
// so a name is written once and both lookups agree.

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

namespace opp {

template <class E>
struct EnumName {
  E value;
  std::string_view name;
};

/// The name of `value` in `table`, or `fallback` when the table does not list it.
template <class E, size_t N>
constexpr std::string_view name_of(const std::array<EnumName<E>, N>& table, E value,
                                   std::string_view fallback = {}) {
  for (const EnumName<E>& row : table)
    if (row.value == value) return row.name;
  return fallback;
}

/// The value named exactly `name` in `table`, or nullopt.
template <class E, size_t N>
constexpr std::optional<E> value_of(const std::array<EnumName<E>, N>& table,
                                    std::string_view name) {
  for (const EnumName<E>& row : table)
    if (row.name == name) return row.value;
  return std::nullopt;
}

}  // namespace opp
