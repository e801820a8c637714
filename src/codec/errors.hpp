#pragma once
// Builders of the codec's user-facing errors: stable codes and sub_codes, messages that
// start with the JSON path ("biz_params.items[2].amount: expected i64, got string \"abc\"").

#include <initializer_list>
#include <string>
#include <string_view>

#include "opp/common/error.hpp"

namespace opp::codec {

inline constexpr std::string_view kInvalidBizParams = "invalid-biz-params";
inline constexpr std::string_view kBadUpstreamReply = "bad-upstream-reply";

/// Concatenates message parts. Out of line and one allocation; also sidesteps GCC 12's
/// false -Wrestrict on `"literal" + std::string` at -O3.
[[gnu::noinline, gnu::cold]] inline std::string cat(std::initializer_list<std::string_view> parts) {
  size_t n = 0;
  for (std::string_view p : parts) n += p.size();
  std::string out;
  out.reserve(n);
  for (std::string_view p : parts) out.append(p);
  return out;
}

/// An error whose message is "path: what".
inline Error path_error(ErrorCode code, std::string_view sub_code, std::string path,
                        std::string_view what) {
  std::string message = path;
  message += ": ";
  message += what;
  return Error{code, std::string(sub_code), std::move(message), std::move(path)};
}

/// An encode (request) error: 10001 invalid-biz-params.
inline Error request_error(std::string path, std::string_view what) {
  return path_error(ErrorCode::kBadRequest, kInvalidBizParams, std::move(path), what);
}

/// A decode (upstream reply) error: 10007 bad-upstream-reply.
inline Error reply_error(std::string path, std::string_view what) {
  return path_error(ErrorCode::kResponseUnableParse, kBadUpstreamReply, std::move(path), what);
}

/// Quotes (part of) a JSON text value for a message, cut on a UTF-8 boundary.
inline std::string quote_for_message(std::string_view text, size_t limit = 64) {
  std::string out = "\"";
  if (text.size() > limit) {
    size_t cut = limit;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    out.append(text.substr(0, cut));
    out += "...";
  } else {
    out.append(text);
  }
  out += '"';
  return out;
}

}  // namespace opp::codec
