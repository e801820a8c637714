#pragma once
// Typed reading of YAML nodes for the gateway configuration. Every failure throws
// ConfigError carrying the key path ("upstreams.payment.timeout_ms") and one line
// saying what was wrong; config_loader.cpp turns it into an opp::Error at its boundary.

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/config/gateway_config.hpp"

namespace opp::gateway::config::detail {

class ConfigError : public std::runtime_error {
 public:
  ConfigError(const std::string& path, const std::string& why)
      : std::runtime_error(path + ": " + why), path_(path), message_(path + ": " + why) {}
  const std::string& path() const { return path_; }
  /// The whole message; what() stops at a NUL byte, which a key of a hostile file may hold.
  const std::string& message() const { return message_; }

 private:
  std::string path_;
  std::string message_;
};

/// How a node is shown after "got": a scalar quoted (shortened, control bytes escaped),
/// otherwise its kind ("a mapping", "a list").
std::string describe(const YAML::Node& node);

/// "a.b" + "c" → "a.b.c"; "" + "c" → "c".
std::string join_path(const std::string& parent, std::string_view key);

/// The text of a scalar node. Throws "expected <what>, got ..." for other kinds.
std::string scalar_text(const YAML::Node& node, const std::string& path, const char* what);

/// A decimal integer in [min, max]; no signs, no other bases.
uint64_t parse_uint(const YAML::Node& node, const std::string& path, uint64_t min, uint64_t max);

/// "HOST:PORT" (IPv6 hosts in brackets) with a port in [min_port, 65535].
HostPort parse_host_port(const YAML::Node& node, const std::string& path, uint16_t min_port);

/// `relative` made absolute against `base_dir`; an absolute path is kept.
std::filesystem::path resolve_path(const std::filesystem::path& base_dir,
                                   const std::filesystem::path& relative);

/// A mapping whose keys are checked against the names a section knows: a key that is
/// unknown, not a plain scalar, or given twice is an error naming it.
class Section {
 public:
  /// `node` may be null (an absent or empty section: every key takes its default).
  Section(const YAML::Node& node, std::string path, std::initializer_list<std::string_view> known);

  /// The value of `key`, or nullopt when it is absent or null (null means "default").
  std::optional<YAML::Node> get(std::string_view key) const;
  /// The path of `key` inside this section, for messages.
  std::string path_of(std::string_view key) const { return join_path(path_, key); }
  const std::string& path() const { return path_; }

  /// Reads `key` into `out` when present, checking [min, max].
  template <class T>
  void read_uint(std::string_view key, T& out, uint64_t min, uint64_t max) const {
    if (auto node = get(key)) out = static_cast<T>(parse_uint(*node, path_of(key), min, max));
  }
  /// Reads a non-empty string.
  void read_string(std::string_view key, std::string& out) const;
  /// Reads one of `choices` into `out`.
  void read_choice(std::string_view key, std::string& out,
                   std::initializer_list<std::string_view> choices) const;
  /// Reads a non-empty path, resolved against base_dir.
  void read_path(std::string_view key, std::filesystem::path& out,
                 const std::filesystem::path& base_dir) const;
  void read_host_port(std::string_view key, HostPort& out, uint16_t min_port = 0) const;
  /// Reads a list of HOST:PORT; an empty list or a repeated endpoint is an error.
  void read_endpoints(std::string_view key, std::vector<HostPort>& out) const;

 private:
  YAML::Node node_;
  std::string path_;
};

/// Fails unless the walk of `node` (aliases counted at every use) stays within
/// `max_nodes`, so re-emitting a hostile document cannot explode.
void check_size(const YAML::Node& node, const std::string& path, size_t max_nodes);

}  // namespace opp::gateway::config::detail
