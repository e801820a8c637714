#pragma once
// The 10001 errors of request params (SPEC §3.3 sub_codes). A key named in a message is
// the caller's text, so it is shortened and made printable first: a hostile key can
// neither bloat the response nor smuggle bytes into logs.

#include <string>
#include <string_view>

#include "opp/common/error.hpp"

namespace opp::gateway::request::detail {

/// `key` as shown in messages and Error::path: at most 64 bytes (then "..."), bytes that
/// are control characters or not UTF-8 replaced by '?'.
std::string display_key(std::string_view key);

/// 10001 `missing-param`: "missing parameter <key>".
Error missing_param(std::string_view key);

/// 10001 `invalid-param`: "parameter <key> <what>" (path = the key).
Error invalid_param(std::string_view key, std::string_view what);

/// 10001 `invalid-param` that names no key (malformed JSON, a key that cannot be shown).
Error invalid_body(std::string message);

/// 10001 `duplicate-param`: "parameter <key> is given twice".
Error duplicate_param(std::string_view key);

/// 10001 `unsupported-content-type`.
Error unsupported_content_type(std::string message);

}  // namespace opp::gateway::request::detail
