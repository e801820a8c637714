#include "cors/cors_config.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "common/plugin_support.hpp"

namespace opp::plugins::cors {
namespace {

constexpr size_t kMaxOrigins = 1024;
constexpr size_t kMaxHeaders = 64;
constexpr size_t kMaxNameBytes = 256;

bool is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
char lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

// RFC 9110 token: what a header field name may be made of.
bool is_token(std::string_view s) {
  if (s.empty() || s.size() > kMaxNameBytes) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return is_alpha(c) || is_digit(c) ||
           std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
  });
}

bool is_host(std::string_view host) {
  if (host.empty()) return false;
  if (host.front() == '[') {  // an IPv6 literal
    if (host.size() < 3 || host.back() != ']') return false;
    return std::all_of(host.begin() + 1, host.end() - 1, [](char c) {
      return std::isxdigit(static_cast<unsigned char>(c)) || c == ':' || c == '.';
    });
  }
  return std::all_of(host.begin(), host.end(), [](char c) {
    return is_alpha(c) || is_digit(c) || c == '-' || c == '.' || c == '_';
  });
}

std::string quoted(std::string_view s) {
  std::string out = "\"";
  out.append(s.substr(0, 128));
  if (s.size() > 128) out += "...";
  return out + "\"";
}

}  // namespace

std::optional<std::string> normalize_origin(std::string_view text) {
  if (text.size() > kMaxNameBytes) return std::nullopt;
  const size_t colon = text.find("://");
  if (colon == std::string_view::npos || colon == 0 || !is_alpha(text[0])) return std::nullopt;
  const std::string_view scheme = text.substr(0, colon);
  if (!std::all_of(scheme.begin(), scheme.end(), [](char c) {
        return is_alpha(c) || is_digit(c) || c == '+' || c == '-' || c == '.';
      }))
    return std::nullopt;
  std::string_view authority = text.substr(colon + 3);
  // The port follows the last ':' that is not inside an IPv6 literal.
  std::string_view host = authority, port;
  const size_t bracket = authority.rfind(']');
  const size_t port_colon = authority.rfind(':');
  if (port_colon != std::string_view::npos &&
      (bracket == std::string_view::npos || port_colon > bracket)) {
    host = authority.substr(0, port_colon);
    port = authority.substr(port_colon + 1);
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (port.empty() || port.size() > 5 || ec != std::errc() || end != port.data() + port.size() ||
        value == 0 || value > 65535)
      return std::nullopt;
  }
  if (!is_host(host)) return std::nullopt;
  std::string out;
  out.reserve(text.size());
  for (char c : scheme) out += lower(c);
  out += "://";
  for (char c : host) out += lower(c);
  const bool default_port = (out.starts_with("http://") && port == "80") ||
                            (out.starts_with("https://") && port == "443");
  if (!port.empty() && !default_port) {
    out += ':';
    out.append(port);
  }
  return out;
}

const std::string* CorsConfig::exact(std::string_view origin) const {
  const auto it = std::lower_bound(origins.begin(), origins.end(), origin);
  return it != origins.end() && *it == origin ? &*it : nullptr;
}

bool CorsConfig::allows(std::string_view origin) const {
  if (any_origin) return true;
  // The exact form first: what browsers send, and no allocation.
  if (exact(origin)) return true;
  const std::optional<std::string> normalized = normalize_origin(origin);
  return normalized && std::binary_search(origins.begin(), origins.end(), *normalized);
}

CorsConfig parse_cors_config(const YAML::Node& node) {
  const ConfigSection config(node, "", {"allow_origins", "allow_headers", "max_age_s"});
  CorsConfig out;

  const std::vector<std::string> origins = config.strings("allow_origins");
  if (origins.empty()) throw ConfigError("allow_origins", "expected at least one origin");
  if (origins.size() > kMaxOrigins)
    throw ConfigError("allow_origins", "at most " + std::to_string(kMaxOrigins) + " origins");
  for (size_t i = 0; i < origins.size(); ++i) {
    if (origins[i] == "*") {
      out.any_origin = true;
      continue;
    }
    std::optional<std::string> origin = normalize_origin(origins[i]);
    if (!origin)
      throw ConfigError(
          "allow_origins[" + std::to_string(i) + "]",
          "expected \"*\" or scheme://host[:port] without a path, got " + quoted(origins[i]));
    out.origins.push_back(std::move(*origin));
  }
  std::sort(out.origins.begin(), out.origins.end());
  out.origins.erase(std::unique(out.origins.begin(), out.origins.end()), out.origins.end());

  std::vector<std::string> headers = {"Content-Type", "X-Request-Id"};
  if (config.has("allow_headers")) headers = config.strings("allow_headers");
  if (headers.size() > kMaxHeaders)
    throw ConfigError("allow_headers", "at most " + std::to_string(kMaxHeaders) + " headers");
  for (size_t i = 0; i < headers.size(); ++i) {
    if (!is_token(headers[i]))
      throw ConfigError("allow_headers[" + std::to_string(i) + "]",
                        "expected a header name, got " + quoted(headers[i]));
    if (!out.allow_headers.empty()) out.allow_headers += ", ";
    out.allow_headers += headers[i];
  }

  int max_age = 600;
  if (config.has("max_age_s")) {
    const YAML::Node value = config.get("max_age_s");
    if (!value.IsScalar() || !YAML::convert<int>::decode(value, max_age) || max_age < 0 ||
        max_age > kMaxAgeLimitS)
      throw ConfigError("max_age_s", "expected a whole number of seconds from 0 to " +
                                         std::to_string(kMaxAgeLimitS));
  }
  out.max_age = std::to_string(max_age);
  return out;
}

}  // namespace opp::plugins::cors
