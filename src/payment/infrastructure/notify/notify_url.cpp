#include "payment/infrastructure/notify/notify_url.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace opp::payment {
namespace {

Error invalid(std::string message) {
  return Error{ErrorCode::kBadRequest, "invalid-notify-url", std::move(message), {}};
}

bool starts_with_ignoring_case(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() &&
         std::equal(prefix.begin(), prefix.end(), text.begin(), [](char expected, char given) {
           return std::tolower(static_cast<unsigned char>(given)) == expected;
         });
}

}  // namespace

std::string NotifyUrl::host_header() const {
  // Built by appending: GCC 12 at -O3 reports a false -Wrestrict on `"[" + host + "]"`.
  std::string value;
  const bool ipv6 = host.find(':') != std::string::npos;
  if (ipv6) value.push_back('[');
  value.append(host);
  if (ipv6) value.push_back(']');
  if (port != (tls ? 443 : 80)) value.append(":").append(std::to_string(port));
  return value;
}

std::string NotifyUrl::origin() const {
  std::string value = tls ? "https://" : "http://";
  for (char c : host)
    value.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  value.append(":").append(std::to_string(port));
  return value;
}

Result<NotifyUrl> parse_notify_url(std::string_view url) {
  if (std::any_of(url.begin(), url.end(), [](char c) {
        return static_cast<unsigned char>(c) <= 0x20 || static_cast<unsigned char>(c) >= 0x7f;
      })) {
    return invalid("notify_url must be printable ASCII without spaces");
  }
  NotifyUrl parsed;
  std::string_view rest;
  if (starts_with_ignoring_case(url, "https://")) {
    parsed.tls = true;
    parsed.port = 443;
    rest = url.substr(8);
  } else if (starts_with_ignoring_case(url, "http://")) {
    rest = url.substr(7);
  } else {
    return invalid("notify_url must start with http:// or https://");
  }
  const size_t authority_end = std::min(rest.find_first_of("/?#"), rest.size());
  std::string_view authority = rest.substr(0, authority_end);
  std::string_view target = rest.substr(authority_end);
  target = target.substr(0, std::min(target.find('#'), target.size()));

  if (authority.find('@') != std::string_view::npos) {
    return invalid("notify_url must not carry user info");
  }
  std::string_view port_text;
  if (!authority.empty() && authority.front() == '[') {
    const size_t close = authority.find(']');
    if (close == std::string_view::npos) return invalid("notify_url has an unclosed IPv6 host");
    parsed.host = std::string(authority.substr(1, close - 1));
    std::string_view after = authority.substr(close + 1);
    if (!after.empty() && after.front() != ':') return invalid("notify_url has a malformed host");
    if (!after.empty()) port_text = after.substr(1);
    if (after.size() == 1) return invalid("notify_url has an empty port");
  } else {
    const size_t colon = authority.find(':');
    parsed.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) {
      port_text = authority.substr(colon + 1);
      if (port_text.empty()) return invalid("notify_url has an empty port");
    }
  }
  if (parsed.host.empty()) return invalid("notify_url has no host");
  if (!port_text.empty()) {
    unsigned value = 0;
    auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), value);
    if (ec != std::errc() || end != port_text.data() + port_text.size() || value == 0 ||
        value > 65535) {
      return invalid("notify_url has an invalid port");
    }
    parsed.port = static_cast<uint16_t>(value);
  }
  if (target.empty() || target.front() != '/') parsed.target.push_back('/');
  parsed.target.append(target);
  return parsed;
}

}  // namespace opp::payment
