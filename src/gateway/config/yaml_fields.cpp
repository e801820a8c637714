#include "gateway/config/yaml_fields.hpp"

#include <algorithm>
#include <charconv>
#include <set>

namespace opp::gateway::config::detail {
namespace {

constexpr size_t kMaxShownChars = 64;

const char* kind_name(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map:
      return "a mapping";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Null:
      return "nothing";
    default:
      return "an undefined value";
  }
}

std::string quote_value(std::string_view text) {
  std::string shown = "\"";
  for (size_t i = 0; i < text.size() && i < kMaxShownChars; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '"' || c == '\\') {
      shown += '\\';
      shown += static_cast<char>(c);
    } else if (c < 0x20 || c == 0x7f) {
      static const char* const kHex = "0123456789abcdef";
      shown += "\\x";
      shown += kHex[c >> 4];
      shown += kHex[c & 0xf];
    } else {
      shown += static_cast<char>(c);
    }
  }
  if (text.size() > kMaxShownChars) shown += "...";
  return shown + "\"";
}

bool is_digits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

/// Host names and addresses: no spaces, slashes or control bytes; IPv6 only in brackets.
bool plausible_host(std::string_view host) {
  return !host.empty() && std::none_of(host.begin(), host.end(), [](char c) {
    return static_cast<unsigned char>(c) <= 0x20 || c == '/' || c == '[' || c == ']' || c == 0x7f;
  });
}

size_t count_nodes(const YAML::Node& node, size_t budget) {
  size_t seen = 1;
  if (node.IsMap()) {
    for (const auto& entry : node) {
      if (seen > budget) break;
      seen += count_nodes(entry.first, budget - seen);
      if (seen > budget) break;
      seen += count_nodes(entry.second, budget - seen);
    }
  } else if (node.IsSequence()) {
    for (const auto& item : node) {
      if (seen > budget) break;
      seen += count_nodes(item, budget - seen);
    }
  }
  return seen;
}

}  // namespace

std::string describe(const YAML::Node& node) {
  return node.IsScalar() ? quote_value(node.Scalar()) : kind_name(node);
}

std::string join_path(const std::string& parent, std::string_view key) {
  // A key is named in messages: an empty one visibly, a huge one (never a known key)
  // shortened.
  std::string shown = key.empty() ? "\"\"" : std::string(key.substr(0, kMaxShownChars));
  if (key.size() > kMaxShownChars) shown += "...";
  return parent.empty() ? shown : parent + "." + shown;
}

std::string scalar_text(const YAML::Node& node, const std::string& path, const char* what) {
  if (!node.IsScalar())
    throw ConfigError(path, std::string("expected ") + what + ", got " + describe(node));
  return node.Scalar();
}

uint64_t parse_uint(const YAML::Node& node, const std::string& path, uint64_t min, uint64_t max) {
  const std::string text = scalar_text(node, path, "a non-negative integer");
  if (!is_digits(text)) {
    throw ConfigError(path, "expected a non-negative integer, got " + quote_value(text));
  }
  uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < min || value > max) {
    throw ConfigError(path, "must be between " + std::to_string(min) + " and " +
                                std::to_string(max) + ", got " + quote_value(text));
  }
  return value;
}

HostPort parse_host_port(const YAML::Node& node, const std::string& path, uint16_t min_port) {
  const std::string text = scalar_text(node, path, "HOST:PORT");
  const auto fail = [&] {
    return ConfigError(path, "expected HOST:PORT, got " + quote_value(text));
  };
  const size_t colon = text.rfind(':');
  if (colon == std::string::npos) throw fail();
  std::string host = text.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
    if (host.find_first_not_of("0123456789abcdefABCDEF:.") != std::string::npos) throw fail();
  } else if (host.find(':') != std::string::npos || !plausible_host(host)) {
    throw fail();
  }
  const std::string port = text.substr(colon + 1);
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (!is_digits(port) || ec != std::errc() || end != port.data() + port.size() ||
      value < min_port || value > 65535) {
    throw ConfigError(
        path, "port must be " + std::to_string(min_port) + "..65535, got " + quote_value(port));
  }
  return HostPort{host, static_cast<uint16_t>(value)};
}

std::filesystem::path resolve_path(const std::filesystem::path& base_dir,
                                   const std::filesystem::path& relative) {
  if (relative.is_absolute()) return relative.lexically_normal();
  return (base_dir / relative).lexically_normal();
}

Section::Section(const YAML::Node& node, std::string path,
                 std::initializer_list<std::string_view> known)
    : node_(node), path_(std::move(path)) {
  if (!node_.IsDefined() || node_.IsNull()) return;
  const std::string shown = path_.empty() ? "config" : path_;
  if (!node_.IsMap()) throw ConfigError(shown, "expected a mapping, got " + describe(node_));
  std::set<std::string, std::less<>> seen;
  for (const auto& entry : node_) {
    if (!entry.first.IsScalar()) {
      throw ConfigError(shown, "keys must be plain names, got " + describe(entry.first));
    }
    const std::string& key = entry.first.Scalar();
    if (std::find(known.begin(), known.end(), key) == known.end()) {
      throw ConfigError(path_of(key), "unknown key");
    }
    // yaml-cpp keeps the first of two equal keys; a silent pick would hide a typo.
    if (!seen.insert(key).second) throw ConfigError(path_of(key), "given more than once");
  }
}

std::optional<YAML::Node> Section::get(std::string_view key) const {
  if (!node_.IsMap()) return std::nullopt;
  const YAML::Node value = node_[std::string(key)];
  if (!value.IsDefined() || value.IsNull()) return std::nullopt;
  return value;
}

void Section::read_string(std::string_view key, std::string& out) const {
  auto node = get(key);
  if (!node) return;
  std::string text = scalar_text(*node, path_of(key), "a string");
  if (text.empty()) throw ConfigError(path_of(key), "must not be empty");
  out = std::move(text);
}

void Section::read_choice(std::string_view key, std::string& out,
                          std::initializer_list<std::string_view> choices) const {
  auto node = get(key);
  if (!node) return;
  std::string expected;
  for (size_t i = 0; i < choices.size(); ++i) {
    if (i > 0) expected += i + 1 == choices.size() ? " or " : ", ";
    expected += choices.begin()[i];
  }
  const std::string text = scalar_text(*node, path_of(key), expected.c_str());
  if (std::find(choices.begin(), choices.end(), text) == choices.end()) {
    throw ConfigError(path_of(key), "expected " + expected + ", got " + quote_value(text));
  }
  out = text;
}

void Section::read_path(std::string_view key, std::filesystem::path& out,
                        const std::filesystem::path& base_dir) const {
  std::string text;
  read_string(key, text);
  if (!text.empty()) out = text;
  out = resolve_path(base_dir, out);
}

void Section::read_host_port(std::string_view key, HostPort& out, uint16_t min_port) const {
  if (auto node = get(key)) out = parse_host_port(*node, path_of(key), min_port);
}

void Section::read_endpoints(std::string_view key, std::vector<HostPort>& out) const {
  auto node = get(key);
  if (!node) return;
  const std::string path = path_of(key);
  if (!node->IsSequence()) {
    throw ConfigError(path, "expected a list of HOST:PORT, got " + describe(*node));
  }
  if (node->size() == 0) throw ConfigError(path, "must list at least one HOST:PORT");
  out.clear();
  for (size_t i = 0; i < node->size(); ++i) {
    const std::string item_path = path + "[" + std::to_string(i) + "]";
    HostPort endpoint = parse_host_port((*node)[i], item_path, 1);
    if (std::find(out.begin(), out.end(), endpoint) != out.end()) {
      throw ConfigError(item_path, endpoint.to_string() + " is listed twice");
    }
    out.push_back(std::move(endpoint));
  }
}

void check_size(const YAML::Node& node, const std::string& path, size_t max_nodes) {
  if (count_nodes(node, max_nodes) > max_nodes) {
    throw ConfigError(path, "too large (more than " + std::to_string(max_nodes) + " values)");
  }
}

}  // namespace opp::gateway::config::detail
