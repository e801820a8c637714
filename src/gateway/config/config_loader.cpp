#include "gateway/config/config_loader.hpp"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <set>
#include <sstream>

#include "gateway/config/yaml_fields.hpp"
#include "sql/database.hpp"

namespace opp::gateway::config {
namespace {

using detail::ConfigError;
using detail::Section;

/// A configuration file is small; beyond this it is not one (and cannot exhaust memory).
constexpr size_t kMaxConfigBytes = 16u << 20;
/// Bounds the walk of a plugin's free-form `config` (aliases count at every use).
constexpr size_t kMaxPluginConfigValues = 100000;

constexpr uint64_t kDayMs = 86'400'000;
constexpr uint64_t kGiB = 1u << 30;

/// `text` with control bytes escaped (\xNN): yaml-cpp's messages and the keys of a
/// malformed file may hold line ends, and an error is one line.
std::string one_line(const std::string& text) {
  static const char* const kHex = "0123456789abcdef";
  std::string line;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) {
      line += "\\x";
      line += kHex[byte >> 4];
      line += kHex[byte & 0xf];
    } else {
      line += c;
    }
  }
  return line;
}

Error to_error(const std::string& path, const std::string& message) {
  return Error{ErrorCode::kBadRequest, "bad-config", one_line(message), one_line(path)};
}

/// Ignores the events of a parse: used only to count documents.
class IgnoreEvents final : public YAML::EventHandler {
 public:
  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
};

[[noreturn]] void throw_syntax_error(const YAML::Exception& e) {
  throw ConfigError("config", "not valid YAML at line " + std::to_string(e.mark.line + 1) +
                                  ", column " + std::to_string(e.mark.column + 1) + ": " + e.msg);
}

/// True when `text` holds a second document. Stops at two: yaml-cpp 0.7 can report
/// documents forever on some malformed input (",V"), so YAML::LoadAll is not used.
bool has_second_document(const std::string& text) {
  std::istringstream stream(text);
  YAML::Parser parser(stream);
  IgnoreEvents ignore;
  return parser.HandleNextDocument(ignore) && parser.HandleNextDocument(ignore);
}

/// The single document of `text`; empty text is an empty (null) document.
YAML::Node parse_document(std::string_view view) {
  if (view.size() > kMaxConfigBytes) {
    throw ConfigError("config", "larger than " + std::to_string(kMaxConfigBytes >> 20) + " MiB");
  }
  const std::string text(view);
  try {
    if (has_second_document(text)) {
      throw ConfigError("config", "expected one YAML document, got more");
    }
    return YAML::Load(text);
  } catch (const YAML::Exception& e) {
    throw_syntax_error(e);
  }
}

/// Runs a parse, turning every failure (ours, yaml-cpp's, allocation) into one error.
template <class F>
auto guarded(F&& parse) -> Result<decltype(parse())> {
  try {
    return parse();
  } catch (const ConfigError& e) {
    return to_error(e.path(), e.message());
  } catch (const std::exception& e) {
    return to_error("config", std::string("config: ") + e.what());
  }
}

Result<std::string> read_text_file(const std::filesystem::path& file) {
  std::FILE* stream = std::fopen(file.c_str(), "rb");
  if (stream == nullptr) {
    return to_error("config", "config: cannot read " + file.string() + ": " + std::strerror(errno));
  }
  std::string text;
  char buffer[65536];
  size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, stream)) > 0 && text.size() <= kMaxConfigBytes) {
    text.append(buffer, n);
  }
  const bool failed = std::ferror(stream) != 0;
  std::fclose(stream);
  if (failed) return to_error("config", "config: cannot read " + file.string());
  return text;
}

UpstreamConfig parse_upstream(const YAML::Node& node, const std::string& path, bool have_etcd) {
  if (!node.IsDefined() || node.IsNull()) throw ConfigError(path + ".endpoints", "required");
  const Section section(
      node, path,
      {"endpoints", "transport", "protocol", "connect_timeout_ms", "timeout_ms", "max_connections",
       "eject_ms", "max_pending", "pipeline_depth", "discovery"});
  UpstreamConfig upstream;
  section.read_endpoints("endpoints", upstream.endpoints);
  std::string transport = "framed";
  section.read_choice("transport", transport, {"framed", "buffered"});
  upstream.transport = transport == "framed" ? Transport::kFramed : Transport::kBuffered;
  std::string protocol = "binary";
  section.read_choice("protocol", protocol, {"binary", "compact"});
  upstream.protocol = protocol == "binary" ? Protocol::kBinary : Protocol::kCompact;
  section.read_uint("connect_timeout_ms", upstream.connect_timeout_ms, 1, kDayMs);
  section.read_uint("timeout_ms", upstream.timeout_ms, 1, kDayMs);
  section.read_uint("max_connections", upstream.max_connections, 1, 65535);
  section.read_uint("eject_ms", upstream.eject_ms, 0, kDayMs);
  section.read_uint("max_pending", upstream.max_pending, 0, 10'000'000);
  section.read_uint("pipeline_depth", upstream.pipeline_depth, 1, 1024);
  section.read_choice("discovery", upstream.discovery, {"etcd"});

  if (!upstream.discovery.empty()) {
    if (!upstream.endpoints.empty()) {
      throw ConfigError(section.path_of("discovery"), "give either endpoints or discovery");
    }
    if (!have_etcd) {
      throw ConfigError(section.path_of("discovery"), "etcd needs the top-level etcd section");
    }
  } else if (upstream.endpoints.empty()) {
    throw ConfigError(section.path_of("endpoints"), "required");
  }
  return upstream;
}

UpstreamMap parse_upstream_map(const std::optional<YAML::Node>& node, bool have_etcd) {
  UpstreamMap upstreams;
  if (!node) return upstreams;
  if (!node->IsMap()) {
    throw ConfigError("upstreams",
                      "expected a mapping of service names, got " + detail::describe(*node));
  }
  for (const auto& entry : *node) {
    const std::string svc = detail::scalar_text(entry.first, "upstreams", "service names as keys");
    if (svc.empty()) throw ConfigError("upstreams", "a service name must not be empty");
    const std::string path = detail::join_path("upstreams", svc);
    if (upstreams.contains(svc)) throw ConfigError(path, "given more than once");
    upstreams.emplace(svc, parse_upstream(entry.second, path, have_etcd));
  }
  return upstreams;
}

TlsConfig parse_tls(const YAML::Node& node, const std::filesystem::path& base) {
  const Section section(node, "tls", {"listen", "cert", "key", "min_version"});
  TlsConfig tls;
  section.read_host_port("listen", tls.listen);
  for (const char* required : {"cert", "key"}) {
    if (!section.get(required)) throw ConfigError(section.path_of(required), "required");
  }
  section.read_path("cert", tls.cert, base);
  section.read_path("key", tls.key, base);
  section.read_choice("min_version", tls.min_version, {"1.2", "1.3"});
  return tls;
}

AuthConfig parse_auth(const std::optional<YAML::Node>& node, const std::filesystem::path& base) {
  const Section section(node.value_or(YAML::Node()), "auth",
                        {"timestamp_window_s", "platform_private_key", "nonce_store", "secret_key",
                         "max_nonces_per_merchant", "merchant_refresh_ms"});
  AuthConfig auth;
  section.read_uint("timestamp_window_s", auth.timestamp_window_s, 1, 86400);
  section.read_path("platform_private_key", auth.platform_private_key, base);
  section.read_choice("nonce_store", auth.nonce_store, {"memory", "redis"});
  section.read_path("secret_key", auth.secret_key, base);
  section.read_uint("max_nonces_per_merchant", auth.max_nonces_per_merchant, 1, 100'000'000);
  section.read_uint("merchant_refresh_ms", auth.merchant_refresh_ms, 10, 1000);
  return auth;
}

LimitsConfig parse_limits(const std::optional<YAML::Node>& node) {
  const Section section(node.value_or(YAML::Node()), "limits",
                        {"max_body_bytes", "max_header_bytes", "max_json_depth"});
  LimitsConfig limits;
  section.read_uint("max_body_bytes", limits.max_body_bytes, 1, kGiB);
  section.read_uint("max_header_bytes", limits.max_header_bytes, 1024, 16u << 20);
  section.read_uint("max_json_depth", limits.max_json_depth, 1, 512);
  return limits;
}

HttpConfig parse_http(const std::optional<YAML::Node>& node) {
  const Section section(node.value_or(YAML::Node()), "http",
                        {"header_timeout_ms", "body_timeout_ms", "idle_timeout_ms",
                         "max_connections", "max_pipelined", "shutdown_grace_ms"});
  HttpConfig http;
  section.read_uint("header_timeout_ms", http.header_timeout_ms, 1, kDayMs);
  section.read_uint("body_timeout_ms", http.body_timeout_ms, 1, kDayMs);
  section.read_uint("idle_timeout_ms", http.idle_timeout_ms, 1, kDayMs);
  section.read_uint("max_connections", http.max_connections, 1, 10'000'000);
  section.read_uint("max_pipelined", http.max_pipelined, 1, 1024);
  section.read_uint("shutdown_grace_ms", http.shutdown_grace_ms, 0, 600'000);
  return http;
}

std::vector<std::string> parse_names(const YAML::Node& node, const std::string& path) {
  if (!node.IsSequence()) {
    throw ConfigError(path, "expected a list of service names, got " + detail::describe(node));
  }
  std::vector<std::string> names;
  for (size_t i = 0; i < node.size(); ++i) {
    const std::string item_path = path + "[" + std::to_string(i) + "]";
    std::string name = detail::scalar_text(node[i], item_path, "a service name");
    if (name.empty()) throw ConfigError(item_path, "must not be empty");
    names.push_back(std::move(name));
  }
  return names;
}

PluginEntry parse_plugin(const YAML::Node& node, const std::string& path,
                         const std::filesystem::path& base) {
  if (!node.IsMap()) throw ConfigError(path, "expected a mapping, got " + detail::describe(node));
  const Section section(node, path, {"name", "path", "svc", "config"});
  PluginEntry plugin;
  section.read_string("name", plugin.name);
  if (section.get("path")) section.read_path("path", plugin.path, base);
  if (plugin.name.empty() == plugin.path.empty()) {
    throw ConfigError(path, plugin.name.empty() ? "needs a name (built-in) or a path (.so)"
                                                : "give either name or path, not both");
  }
  if (auto svc = section.get("svc")) plugin.svc = parse_names(*svc, section.path_of("svc"));
  plugin.config_yaml = "{}";
  if (auto config = section.get("config")) {
    const std::string config_path = section.path_of("config");
    if (!config->IsMap()) {
      throw ConfigError(config_path, "expected a mapping, got " + detail::describe(*config));
    }
    detail::check_size(*config, config_path, kMaxPluginConfigValues);
    plugin.config_yaml = YAML::Dump(*config);
  }
  return plugin;
}

std::vector<PluginEntry> parse_plugins(const std::optional<YAML::Node>& node,
                                       const std::filesystem::path& base) {
  std::vector<PluginEntry> plugins;
  if (!node) return plugins;
  if (!node->IsSequence()) {
    throw ConfigError("plugins", "expected a list, got " + detail::describe(*node));
  }
  for (size_t i = 0; i < node->size(); ++i) {
    plugins.push_back(parse_plugin((*node)[i], "plugins[" + std::to_string(i) + "]", base));
  }
  return plugins;
}

EtcdConfig parse_etcd(const YAML::Node& node) {
  const Section section(node, "etcd", {"endpoints"});
  EtcdConfig etcd;
  section.read_endpoints("endpoints", etcd.endpoints);
  if (etcd.endpoints.empty()) throw ConfigError("etcd.endpoints", "required");
  return etcd;
}

RedisConfig parse_redis(const YAML::Node& node) {
  const Section section(node, "redis", {"address"});
  if (!section.get("address")) throw ConfigError("redis.address", "required");
  RedisConfig redis;
  section.read_host_port("address", redis.address, 1);
  return redis;
}

/// `listen` and `tls`. `listen: ""` turns plain HTTP off, leaving the TLS listener alone.
void parse_listeners(const Section& top, GatewayConfig& config, const std::filesystem::path& base) {
  const std::optional<YAML::Node> listen = top.get("listen");
  if (listen && listen->IsScalar() && listen->Scalar().empty()) {
    config.listen.reset();
  } else {
    top.read_host_port("listen", *config.listen);
  }
  if (auto tls = top.get("tls")) config.tls = parse_tls(*tls, base);
  if (!config.listen && !config.tls) {
    throw ConfigError("listen",
                      "\"\" turns plain HTTP off, which needs a tls section to listen on");
  }
  if (config.listen && config.tls && config.listen->port != 0 &&
      *config.listen == config.tls->listen) {
    throw ConfigError("tls.listen",
                      config.tls->listen.to_string() + " is already listen's address");
  }
}

void parse_database(const Section& top, GatewayConfig& config, const std::filesystem::path& base) {
  top.read_string("database", config.database);
  auto resolved = sql::resolve_database_url(config.database, base);
  if (!resolved) throw ConfigError("database", resolved.error().message);
  config.database = std::move(resolved).value();
}

void parse_access_log(const Section& top, GatewayConfig& config,
                      const std::filesystem::path& base) {
  auto node = top.get("access_log");
  if (!node) return;
  config.access_log = detail::scalar_text(*node, "access_log", "\"-\", \"\" or a file path");
  if (!config.access_log.empty() && config.access_log != "-") {
    config.access_log = detail::resolve_path(base, config.access_log).string();
  }
}

GatewayConfig parse_root(const YAML::Node& root, const std::filesystem::path& base) {
  const Section top(root, "",
                    {"listen", "tls", "threads", "idl_dir", "database", "access_log", "auth",
                     "limits", "http", "upstreams", "etcd", "redis", "plugins"});
  GatewayConfig config;
  parse_listeners(top, config, base);
  top.read_uint("threads", config.threads, 0, 1024);
  top.read_path("idl_dir", config.idl_dir, base);
  parse_database(top, config, base);
  parse_access_log(top, config, base);
  config.auth = parse_auth(top.get("auth"), base);
  config.limits = parse_limits(top.get("limits"));
  config.http = parse_http(top.get("http"));
  if (auto etcd = top.get("etcd")) config.etcd = parse_etcd(*etcd);
  if (auto redis = top.get("redis")) config.redis = parse_redis(*redis);
  config.upstreams = parse_upstream_map(top.get("upstreams"), config.etcd.has_value());
  config.plugins = parse_plugins(top.get("plugins"), base);
  if (config.auth.nonce_store == "redis" && !config.redis) {
    throw ConfigError("auth.nonce_store", "redis needs the top-level redis section");
  }
  return config;
}

std::filesystem::path absolute_dir(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::path absolute = std::filesystem::absolute(dir, ec);
  return (ec ? dir : absolute).lexically_normal();
}

}  // namespace

Result<GatewayConfig> parse_gateway_config(std::string_view yaml,
                                           const std::filesystem::path& base_dir) {
  return guarded([&] { return parse_root(parse_document(yaml), absolute_dir(base_dir)); });
}

Result<GatewayConfig> load_gateway_config(const std::filesystem::path& file) {
  const std::filesystem::path absolute = absolute_dir(file);
  auto text = read_text_file(absolute);
  if (!text) return std::move(text).error();
  auto config = parse_gateway_config(*text, absolute.parent_path());
  if (config) config->file = absolute;
  return config;
}

Result<UpstreamMap> parse_upstreams(std::string_view yaml) {
  return guarded([&] {
    const YAML::Node root = parse_document(yaml);
    if (root.IsDefined() && !root.IsNull() && !root.IsMap()) {
      throw ConfigError("config", "expected a mapping, got " + detail::describe(root));
    }
    const bool have_etcd = root.IsMap() && root["etcd"].IsDefined() && !root["etcd"].IsNull();
    std::optional<YAML::Node> upstreams;
    if (root.IsMap() && root["upstreams"].IsDefined() && !root["upstreams"].IsNull()) {
      upstreams = root["upstreams"];
    }
    return parse_upstream_map(upstreams, have_etcd);
  });
}

Result<UpstreamMap> load_upstreams(const std::filesystem::path& file) {
  auto text = read_text_file(absolute_dir(file));
  if (!text) return std::move(text).error();
  return parse_upstreams(*text);
}

}  // namespace opp::gateway::config
