#pragma once
// The cors plugin's config (SPEC §9): which origins may call, which request headers a
// preflight allows, how long a browser may cache the preflight. Parsed once per
// create/reconfigure; the header values are preformatted so a request only compares.

#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace opp::plugins::cors {

/// The longest max_age_s accepted: browsers cap it lower anyway (Firefox 24 h, Chromium 2 h).
inline constexpr int kMaxAgeLimitS = 86400;

struct CorsConfig {
  bool any_origin = false;           ///< "*" was listed: answer "*", no Vary
  std::vector<std::string> origins;  ///< normalized (normalize_origin), sorted, unique
  std::string allow_headers;         ///< "Content-Type, X-Request-Id"; "" = send none
  std::string max_age;               ///< seconds, decimal

  /// Whether a request's Origin header may read the responses.
  bool allows(std::string_view origin) const;
  /// The listed origin byte-equal to `origin`, or nullptr: lets the common case echo the
  /// origin without copying it.
  const std::string* exact(std::string_view origin) const;
};

/// Reads `allow_origins` (required, non-empty), `allow_headers` (default Content-Type,
/// X-Request-Id) and `max_age_s` (default 600, 0..86400). Throws ConfigError naming the
/// key ("allow_origins[1]: ...") for a missing, unknown or bad value.
CorsConfig parse_cors_config(const YAML::Node& config);

/// An origin in its serialized form, "scheme://host[:port]": scheme and host lowercased,
/// the default port of http (80) and https (443) removed, because that is how a browser
/// writes its Origin header. nullopt when `text` is not such an origin (a path, a query,
/// userinfo, an empty host, a bad port, "null").
std::optional<std::string> normalize_origin(std::string_view text);

}  // namespace opp::plugins::cors
