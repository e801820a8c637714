#include "param_errors.hpp"

#include <algorithm>

#include "utf8.hpp"

namespace opp::gateway::request::detail {
namespace {

constexpr size_t kMaxShownKeyBytes = 64;

Error bad_request(const char* sub_code, std::string message, std::string path = {}) {
  return Error{ErrorCode::kBadRequest, sub_code, std::move(message), std::move(path)};
}

}  // namespace

std::string display_key(std::string_view key) {
  std::string shown;
  shown.reserve(std::min(key.size(), kMaxShownKeyBytes) + 3);
  const char* p = key.data();
  const char* const end = p + key.size();
  while (p != end) {
    const auto byte = static_cast<unsigned char>(*p);
    size_t length = byte < 0x80 ? 1 : utf8_sequence_length(p, end);
    if (shown.size() + std::max<size_t>(length, 1) > kMaxShownKeyBytes) {
      shown.append("...");
      break;
    }
    if (length == 0 || byte < 0x20 || byte == 0x7f) {
      shown.push_back('?');
      ++p;
      continue;
    }
    shown.append(p, length);
    p += length;
  }
  return shown;
}

Error missing_param(std::string_view key) {
  std::string shown = display_key(key);
  return bad_request("missing-param", "missing parameter " + shown, shown);
}

Error invalid_param(std::string_view key, std::string_view what) {
  std::string shown = display_key(key);
  std::string message = "parameter " + shown;
  message.push_back(' ');
  message.append(what);
  return bad_request("invalid-param", std::move(message), std::move(shown));
}

Error invalid_body(std::string message) {
  return bad_request("invalid-param", std::move(message));
}

Error duplicate_param(std::string_view key) {
  std::string shown = display_key(key);
  return bad_request("duplicate-param", "parameter " + shown + " is given twice", shown);
}

Error unsupported_content_type(std::string message) {
  return bad_request("unsupported-content-type", std::move(message));
}

}  // namespace opp::gateway::request::detail
