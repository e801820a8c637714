#include "request-log/request_log_config.hpp"

#include <algorithm>
#include <cmath>

#include "common/plugin_support.hpp"

namespace opp::plugins::request_log {
namespace {

constexpr size_t kMaxRedactFields = 256;
constexpr size_t kMaxFieldNameBytes = 256;

// A whole number in [min, max], or a ConfigError saying so.
uint64_t whole_number(const ConfigSection& config, const char* key, uint64_t min, uint64_t max,
                      const char* unit) {
  const YAML::Node value = config.get(key);
  double number = 0;
  if (!value.IsScalar() || !YAML::convert<double>::decode(value, number) ||
      !(number >= static_cast<double>(min) && number <= static_cast<double>(max)) ||
      std::floor(number) != number)
    throw ConfigError(config.path_of(key), std::string("expected a whole number of ") + unit +
                                               " from " + std::to_string(min) + " to " +
                                               std::to_string(max));
  return static_cast<uint64_t>(number);
}

}  // namespace

RequestLogConfig parse_request_log_config(const YAML::Node& node) {
  const ConfigSection config(node, "", {"path", "max_bytes", "max_files", "redact_fields"});
  RequestLogConfig out;
  out.path = config.string("path");
  if (out.path.empty()) throw ConfigError("path", "expected a file name");
  if (config.has("max_bytes"))
    out.max_bytes = whole_number(config, "max_bytes", kMinMaxBytes, uint64_t{1} << 50, "bytes");
  if (config.has("max_files"))
    out.max_files =
        static_cast<unsigned>(whole_number(config, "max_files", 1, kMaxMaxFiles, "files"));
  if (config.has("redact_fields")) {
    out.redact_fields = config.strings("redact_fields");
    if (out.redact_fields.size() > kMaxRedactFields)
      throw ConfigError("redact_fields", "at most " + std::to_string(kMaxRedactFields) + " names");
    for (size_t i = 0; i < out.redact_fields.size(); ++i)
      if (out.redact_fields[i].empty() || out.redact_fields[i].size() > kMaxFieldNameBytes)
        throw ConfigError(
            "redact_fields[" + std::to_string(i) + "]",
            "expected a field name of 1 to " + std::to_string(kMaxFieldNameBytes) + " bytes");
    std::sort(out.redact_fields.begin(), out.redact_fields.end());
    out.redact_fields.erase(std::unique(out.redact_fields.begin(), out.redact_fields.end()),
                            out.redact_fields.end());
  }
  return out;
}

}  // namespace opp::plugins::request_log
