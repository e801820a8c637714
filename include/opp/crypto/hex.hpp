#pragma once
// Hexadecimal text of binary data: HMAC signatures travel as hex (SPEC §3.2).

#include <string>
#include <string_view>

#include "opp/common/result.hpp"

namespace opp::crypto {

/// Lowercase hex of the bytes of `data`.
std::string hex_encode(std::string_view data);

/// Bytes of a hex text; accepts upper and lower case. Errors: 10001 `invalid-hex`
/// (odd length or a character outside [0-9A-Fa-f]).
Result<std::string> hex_decode(std::string_view text);

}  // namespace opp::crypto
