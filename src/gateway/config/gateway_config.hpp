#pragma once
// The gateway's configuration (SPEC §7) as plain structs: parsed once from YAML by
// load_gateway_config() (config_loader.hpp) and handed down; nothing below
// src/gateway/config reads YAML. Paths are absolute once loaded.
// Every field has the default of SPEC §7 (or, where SPEC is silent, the one noted).

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace opp::gateway::config {

/// "host:port"; port 0 picks a free one.
struct HostPort {
  std::string host = "127.0.0.1";
  uint16_t port = 0;
  std::string to_string() const { return host + ":" + std::to_string(port); }
  bool operator==(const HostPort&) const = default;
};

enum class Transport : uint8_t { kFramed, kBuffered };
enum class Protocol : uint8_t { kBinary, kCompact };

/// `upstreams.<svc>`: one backend service.
struct UpstreamConfig {
  std::vector<HostPort> endpoints;  ///< required unless discovery is set
  Transport transport = Transport::kFramed;
  Protocol protocol = Protocol::kBinary;
  uint32_t connect_timeout_ms = 1000;
  uint32_t timeout_ms = 3000;
  uint32_t max_connections = 64;  ///< bounds the pool of this upstream (all io threads together)
  uint32_t eject_ms = 5000;       ///< passive health: how long a failing endpoint rests
  /// Calls waiting for a pooled connection beyond this many are refused (503
  /// upstream-saturated); SPEC is silent, default 4 × max_connections.
  uint32_t max_pending = 0;  ///< 0 = 4 × max_connections
  /// Calls one upstream connection carries at once (replies come in order); SPEC is
  /// silent. Set at start: a reload does not change it.
  uint32_t pipeline_depth = 4;
  std::string discovery;  ///< "" or "etcd"
  bool operator==(const UpstreamConfig&) const = default;
};

struct AuthConfig {
  uint32_t timestamp_window_s = 300;
  std::filesystem::path platform_private_key = "conf/platform_key.pem";
  std::string nonce_store = "memory";  ///< memory | redis
  std::filesystem::path secret_key = "conf/secret_kek.bin";
  /// Nonces kept per merchant inside the window; beyond it the merchant's requests are
  /// refused until old nonces expire (SPEC is silent; bounded memory under a flood).
  uint32_t max_nonces_per_merchant = 100000;
  /// How often the merchant cache asks the database for changed merchants; key changes
  /// are live within this interval (SPEC §3.4: within 2 s). SPEC is silent.
  uint32_t merchant_refresh_ms = 250;
};

struct LimitsConfig {
  uint32_t max_body_bytes = 1048576;
  uint32_t max_header_bytes = 65536;
  uint32_t max_json_depth = 64;
};

/// HTTP server limits where SPEC §7 is silent (`http:` section).
struct HttpConfig {
  uint32_t header_timeout_ms = 10000;  ///< whole request head must arrive within this
  uint32_t body_timeout_ms = 30000;    ///< whole body must arrive within this
  uint32_t idle_timeout_ms = 60000;    ///< keep-alive connection with no request
  uint32_t max_connections = 10000;    ///< beyond it new connections are closed at accept
  uint32_t max_pipelined = 16;         ///< requests read ahead of their responses per connection
  uint32_t shutdown_grace_ms = 8000;   ///< SIGTERM: time left to requests in flight
};

/// `tls`: the HTTPS listener. Its certificate, key and min_version are read again on
/// SIGHUP (and when the config file changes them); its listen address only at start.
struct TlsConfig {
  HostPort listen{"127.0.0.1", 8443};
  std::filesystem::path cert;       ///< PEM: the server certificate, then its intermediates
  std::filesystem::path key;        ///< PEM, unencrypted
  std::string min_version = "1.2";  ///< "1.2" | "1.3"
  bool operator==(const TlsConfig&) const = default;
};

struct EtcdConfig {
  std::vector<HostPort> endpoints;
};

struct RedisConfig {
  HostPort address;
};

/// One `plugins:` entry; `config_yaml` is the entry's `config` mapping re-emitted as YAML
/// text, validated by the plugin itself at load.
struct PluginEntry {
  std::string name;              ///< built-in name, or empty when `path` is set
  std::filesystem::path path;    ///< a .so, or empty
  std::vector<std::string> svc;  ///< empty = every svc
  std::string config_yaml;       ///< "{}" when absent
  bool operator==(const PluginEntry&) const = default;
};

struct GatewayConfig {
  std::filesystem::path file;  ///< the config file itself (absolute), for reloads
  /// Plain HTTP; `listen: ""` turns it off (then `tls` is required).
  std::optional<HostPort> listen = HostPort{"127.0.0.1", 8080};
  std::optional<TlsConfig> tls;
  uint32_t threads = 0;  ///< 0 = hardware concurrency
  std::filesystem::path idl_dir = "idl";
  /// SOCI connect string; once loaded, a sqlite3:// file is absolute.
  std::string database = "sqlite3://db=data/gateway.db";
  /// Access log: "-" = stdout, "" = off, else a file path (SPEC is silent).
  std::string access_log = "-";
  AuthConfig auth;
  LimitsConfig limits;
  HttpConfig http;
  std::map<std::string, UpstreamConfig> upstreams;
  std::optional<EtcdConfig> etcd;
  std::optional<RedisConfig> redis;
  std::vector<PluginEntry> plugins;
};

}  // namespace opp::gateway::config
