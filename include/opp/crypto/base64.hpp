#pragma once
// Base64 (RFC 4648): the standard alphabet carries RSA2 signatures (SPEC §3.2); the
// url-safe alphabet is for values that end up in URLs or file names.

#include <string>
#include <string_view>

#include "opp/common/result.hpp"

namespace opp::crypto {

enum class Base64Alphabet { kStandard, kUrlSafe };

/// Base64 of `data`; standard output is padded with '=', url-safe output is not.
std::string base64_encode(std::string_view data,
                          Base64Alphabet alphabet = Base64Alphabet::kStandard);

/// Bytes of a base64 text in the given alphabet. Padding is optional, but when present
/// it must be complete; no whitespace. Errors: 10001 `invalid-base64`.
Result<std::string> base64_decode(std::string_view text,
                                  Base64Alphabet alphabet = Base64Alphabet::kStandard);

}  // namespace opp::crypto
