#pragma once
// The request-log plugin's config (SPEC §9).

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <string>

#include "request-log/redacted_json.hpp"

namespace opp::plugins::request_log {

inline constexpr uint64_t kDefaultMaxBytes = uint64_t{64} << 20;
inline constexpr uint64_t kMinMaxBytes = 4096;
inline constexpr unsigned kDefaultMaxFiles = 5;
inline constexpr unsigned kMaxMaxFiles = 100;

struct RequestLogConfig {
  std::string path;                       ///< the log file
  uint64_t max_bytes = kDefaultMaxBytes;  ///< a file is rotated before it would exceed this
  unsigned max_files = kDefaultMaxFiles;  ///< rotated files kept: FILE.1 … FILE.max_files
  RedactFields redact_fields;             ///< biz_params members whose values are masked
};

/// Reads `path` (required), `max_bytes` (>= 4096, default 64 MiB), `max_files` (1..100,
/// default 5) and `redact_fields` (names, default none). Throws ConfigError naming the key.
/// The file itself is opened by RotatingFile::open.
RequestLogConfig parse_request_log_config(const YAML::Node& config);

}  // namespace opp::plugins::request_log
