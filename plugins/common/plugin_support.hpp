#pragma once
// What the built-in plugins share on their side of include/opp/plugin.h: views of the
// host's strings, config errors that name their key, and the C entry points generated
// from a C++ class. Out-of-tree plugins need none of it (examples/plugin is plain C).

#include <yaml-cpp/yaml.h>

#include <cstring>
#include <initializer_list>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "opp/plugin.h"

namespace opp::plugins {

inline std::string_view view(opp_str s) {
  return s.data ? std::string_view(s.data, s.size) : "";
}
inline bool present(opp_str s) {
  return s.data != nullptr;
}

/// A config value that is wrong: `key` is its dotted path ("per_merchant.rate").
struct ConfigError : std::runtime_error {
  ConfigError(const std::string& key, const std::string& problem)
      : std::runtime_error(key + ": " + problem) {}
};

/// Writes `text` into a host error buffer, truncated, NUL-terminated.
inline void write_error(opp_error_buffer* error, std::string_view text) {
  if (!error || !error->text || error->size == 0) return;
  const size_t n = std::min(text.size(), error->size - 1);
  std::memcpy(error->text, text.data(), n);
  error->text[n] = '\0';
}

/// One mapping of a plugin's config, read with errors that name the key.
class ConfigSection {
 public:
  /// `prefix` is the dotted path of this mapping ("" for the top); unknown keys are errors.
  ConfigSection(const YAML::Node& node, std::string prefix, std::initializer_list<const char*> keys)
      : node_(node), prefix_(std::move(prefix)) {
    if (!node_.IsMap()) throw ConfigError(where(""), "expected a mapping");
    for (const auto& entry : node_) {
      const std::string key = entry.first.as<std::string>();
      bool known = false;
      for (const char* k : keys) known = known || key == k;
      if (!known) throw ConfigError(path_of(key), "unknown key");
    }
  }

  std::string path_of(const std::string& key) const {
    return prefix_.empty() ? key : prefix_ + "." + key;
  }
  bool has(const char* key) const { return static_cast<bool>(node_[key]); }
  YAML::Node get(const char* key) const { return node_[key]; }

  /// A number > 0 (or >= 0 when `allow_zero`).
  double positive_number(const char* key, bool allow_zero = false) const {
    const YAML::Node value = node_[key];
    if (!value) throw ConfigError(path_of(key), "required");
    double number = 0;
    if (!value.IsScalar() || !YAML::convert<double>::decode(value, number) || !(number == number))
      throw ConfigError(path_of(key), "expected a number");
    if (number < 0 || (!allow_zero && number == 0))
      throw ConfigError(path_of(key),
                        allow_zero ? "expected a number >= 0" : "expected a number > 0");
    return number;
  }

  /// A string.
  std::string string(const char* key) const {
    const YAML::Node value = node_[key];
    if (!value) throw ConfigError(path_of(key), "required");
    if (!value.IsScalar()) throw ConfigError(path_of(key), "expected a string");
    return value.as<std::string>();
  }

  /// A list of strings.
  std::vector<std::string> strings(const char* key) const {
    const YAML::Node value = node_[key];
    if (!value) throw ConfigError(path_of(key), "required");
    if (!value.IsSequence()) throw ConfigError(path_of(key), "expected a list");
    std::vector<std::string> out;
    for (size_t i = 0; i < value.size(); ++i) {
      if (!value[i].IsScalar())
        throw ConfigError(path_of(key) + "[" + std::to_string(i) + "]", "expected a string");
      out.push_back(value[i].as<std::string>());
    }
    return out;
  }

 private:
  std::string where(const std::string& key) const {
    const std::string p = key.empty() ? prefix_ : path_of(key);
    return p.empty() ? "config" : p;
  }
  YAML::Node node_;
  std::string prefix_;
};

/// Parses a plugin's YAML config text; a syntax error is a ConfigError naming the line.
inline YAML::Node parse_config(const char* text, size_t size) {
  try {
    YAML::Node node = YAML::Load(std::string(text ? text : "", text ? size : 0));
    if (node.IsNull()) node = YAML::Node(YAML::NodeType::Map);
    return node;
  } catch (const YAML::Exception& e) {
    throw ConfigError("config", "line " + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
}

/// The C entry points of a plugin implemented as a C++ class `P` with
///   P(const opp_host*, const YAML::Node& config)        throws ConfigError
///   void reconfigure(const YAML::Node& config)          (when kReconfigurable)
///   opp_verdict on_http(opp_request*), opp_verdict on_call(opp_request*),
///   void on_response(opp_request*)                      (those the plugin has)
/// Exceptions never cross the C boundary: one escaping a hook is logged; on_call then
/// rejects the call (a plugin that cannot decide never lets a call through), the other
/// hooks do nothing.
template <class P>
struct PluginAdapter {
  static void* create(const opp_host* host, const char* config, size_t size,
                      opp_error_buffer* error) {
    try {
      return new P(host, parse_config(config, size));
    } catch (const std::exception& e) {
      write_error(error, e.what());
      return nullptr;
    }
  }
  static int reconfigure(void* instance, const char* config, size_t size, opp_error_buffer* error) {
    try {
      static_cast<P*>(instance)->reconfigure(parse_config(config, size));
      return 0;
    } catch (const std::exception& e) {
      write_error(error, e.what());
      return -1;
    }
  }
  static void destroy(void* instance) { delete static_cast<P*>(instance); }
  static opp_verdict on_http(void* instance, opp_request* r) {
    try {
      return static_cast<P*>(instance)->on_http(r);
    } catch (const std::exception& e) {
      return failed(instance, e);
    }
  }
  static opp_verdict on_call(void* instance, opp_request* r) {
    try {
      return static_cast<P*>(instance)->on_call(r);
    } catch (const std::exception& e) {
      failed(instance, e);
      static_cast<P*>(instance)->host()->reject(r, 10006, "plugin-error", "a plugin failed");
      return OPP_STOP;
    }
  }
  static void on_response(void* instance, opp_request* r) {
    try {
      static_cast<P*>(instance)->on_response(r);
    } catch (const std::exception& e) {
      failed(instance, e);
    }
  }

 private:
  static opp_verdict failed(void* instance, const std::exception& e) {
    const P* p = static_cast<P*>(instance);
    p->host()->log(OPP_LOG_ERROR, P::kName, e.what());
    return OPP_CONTINUE;
  }
};

}  // namespace opp::plugins
