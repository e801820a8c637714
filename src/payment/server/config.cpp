#include "payment/server/config.hpp"

#include <yaml-cpp/yaml.h>

#include "payment/infrastructure/notify/dns_resolver.hpp"

#include <fstream>
#include <set>
#include <sstream>

namespace opp::payment {
namespace {

const std::set<std::string> kKnownKeys = {"listen",
                                          "database",
                                          "workers",
                                          "transport",
                                          "protocol",
                                          "platform_private_key",
                                          "etcd",
                                          "notify_ca_file",
                                          "notify_dns_servers",
                                          "notify_concurrency",
                                          "notify_host_concurrency"};

std::string scalar(const YAML::Node& node, const std::string& key) {
  if (!node.IsScalar()) throw ConfigError(key, "expected a string");
  return node.Scalar();
}

/// A decimal integer in [min, max].
int bounded_int(const YAML::Node& node, const std::string& key, int min, int max) {
  const std::string text = scalar(node, key);
  if (text.empty() || text.size() > 9 ||
      text.find_first_not_of("0123456789") != std::string::npos || std::stoi(text) < min ||
      std::stoi(text) > max) {
    throw ConfigError(key, "expected an integer " + std::to_string(min) + ".." +
                               std::to_string(max) + ", got \"" + text + "\"");
  }
  return std::stoi(text);
}

etcd::Endpoint parse_host_port(const std::string& text, const std::string& key) {
  const size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) {
    throw ConfigError(key, "expected HOST:PORT, got \"" + text + "\"");
  }
  std::string host = text.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  const std::string port = text.substr(colon + 1);
  if (port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos ||
      std::stoi(port) > 65535) {
    throw ConfigError(key, "port must be 0..65535, got \"" + port + "\"");
  }
  return {host, static_cast<uint16_t>(std::stoi(port))};
}

void parse_listen(const std::string& text, PaymentConfig& config) {
  const etcd::Endpoint listen = parse_host_port(text, "listen");
  config.listen_host = listen.host;
  config.listen_port = listen.port;
}

PaymentEtcdConfig parse_etcd(const YAML::Node& node) {
  if (!node.IsMap()) throw ConfigError("etcd", "expected a mapping");
  PaymentEtcdConfig etcd;
  for (const auto& entry : node) {
    const std::string key = entry.first.IsScalar() ? entry.first.Scalar() : "";
    if (key != "endpoints" && key != "register_as" && key != "lease_ttl_s" && key != "advertise")
      throw ConfigError("etcd." + key, "unknown key");
  }
  const YAML::Node endpoints = node["endpoints"];
  if (!endpoints || !endpoints.IsSequence() || endpoints.size() == 0)
    throw ConfigError("etcd.endpoints", "required: a list of HOST:PORT");
  for (size_t i = 0; i < endpoints.size(); ++i) {
    const std::string key = "etcd.endpoints[" + std::to_string(i) + "]";
    etcd::Endpoint endpoint = parse_host_port(scalar(endpoints[i], key), key);
    if (endpoint.port == 0) throw ConfigError(key, "port must be 1..65535");
    etcd.endpoints.push_back(std::move(endpoint));
  }
  if (node["register_as"]) {
    etcd.register_as = scalar(node["register_as"], "etcd.register_as");
    if (etcd.register_as.empty() ||
        etcd.register_as.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_-") !=
            std::string::npos)
      throw ConfigError("etcd.register_as", "expected a service name of [a-z0-9_-]");
  }
  if (node["lease_ttl_s"]) {
    etcd.lease_ttl_s = bounded_int(node["lease_ttl_s"], "etcd.lease_ttl_s", 1, 3600);
  }
  if (node["advertise"]) {
    etcd.advertise = scalar(node["advertise"], "etcd.advertise");
    if (parse_host_port(etcd.advertise, "etcd.advertise").port == 0)
      throw ConfigError("etcd.advertise", "port must be 1..65535");
  }
  return etcd;
}

std::vector<std::string> parse_dns_servers(const YAML::Node& node) {
  const std::string key = "notify_dns_servers";
  if (!node.IsSequence()) throw ConfigError(key, "expected a list of IP or IP:PORT");
  std::vector<std::string> servers;
  for (size_t i = 0; i < node.size(); ++i) {
    const std::string entry_key = key + "[" + std::to_string(i) + "]";
    std::string server = scalar(node[i], entry_key);
    if (auto checked = check_dns_server(server); !checked) {
      throw ConfigError(entry_key, checked.error().message);
    }
    servers.push_back(std::move(server));
  }
  return servers;
}

void parse_notify(const YAML::Node& root, PaymentConfig& config) {
  if (root["notify_ca_file"]) {
    const std::string file = scalar(root["notify_ca_file"], "notify_ca_file");
    if (file.empty()) throw ConfigError("notify_ca_file", "must not be empty");
    config.notify_ca_file = std::filesystem::path(file);
  }
  if (root["notify_dns_servers"]) {
    config.notify_dns_servers = parse_dns_servers(root["notify_dns_servers"]);
  }
  if (root["notify_concurrency"]) {
    config.notify_concurrency =
        bounded_int(root["notify_concurrency"], "notify_concurrency", 1, 256);
  }
  if (root["notify_host_concurrency"]) {
    config.notify_host_concurrency = bounded_int(
        root["notify_host_concurrency"], "notify_host_concurrency", 1, config.notify_concurrency);
  }
}

void resolve(PaymentConfig& config) {
  auto target = parse_database_url(config.database, config.base_dir);
  if (!target) throw ConfigError("database", target.error().message);
  config.database_target = std::move(target).value();
  if (config.platform_private_key.is_relative()) {
    config.platform_private_key =
        (config.base_dir / config.platform_private_key).lexically_normal();
  }
  if (config.notify_ca_file && config.notify_ca_file->is_relative()) {
    config.notify_ca_file = (config.base_dir / *config.notify_ca_file).lexically_normal();
  }
}

}  // namespace

PaymentConfig default_config(const std::filesystem::path& base_dir) {
  PaymentConfig config;
  config.base_dir = base_dir;
  config.platform_private_key = "conf/platform_key.pem";
  resolve(config);
  return config;
}

PaymentConfig parse_config(const std::string& yaml_text, const std::filesystem::path& base_dir) {
  PaymentConfig config = default_config(base_dir);
  YAML::Node root;
  try {
    root = YAML::Load(yaml_text);
  } catch (const YAML::Exception& e) {
    throw ConfigError("config",
                      "not valid YAML at line " + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
  if (root.IsNull()) return config;
  if (!root.IsMap()) throw ConfigError("config", "expected a mapping of keys to values");
  std::set<std::string> seen;
  for (const auto& entry : root) {
    if (!entry.first.IsScalar()) throw ConfigError("config", "keys must be plain names");
    const std::string key = entry.first.Scalar();
    if (!kKnownKeys.contains(key)) throw ConfigError(key, "unknown key");
    // yaml-cpp keeps the first of two equal keys; a silent pick would hide a typo.
    if (!seen.insert(key).second) throw ConfigError(key, "given more than once");
  }
  if (root["listen"]) parse_listen(scalar(root["listen"], "listen"), config);
  if (root["database"]) {
    config.database = scalar(root["database"], "database");
    if (config.database.empty()) throw ConfigError("database", "must not be empty");
  }
  if (root["workers"]) config.workers = bounded_int(root["workers"], "workers", 1, 1024);
  if (root["platform_private_key"]) {
    config.platform_private_key = scalar(root["platform_private_key"], "platform_private_key");
    if (config.platform_private_key.empty()) {
      throw ConfigError("platform_private_key", "must not be empty");
    }
  }
  if (root["transport"]) {
    const std::string value = scalar(root["transport"], "transport");
    if (value == "framed") {
      config.transport = WireTransport::kFramed;
    } else if (value == "buffered") {
      config.transport = WireTransport::kBuffered;
    } else {
      throw ConfigError("transport", "expected framed or buffered, got \"" + value + "\"");
    }
  }
  if (root["protocol"]) {
    const std::string value = scalar(root["protocol"], "protocol");
    if (value == "binary") {
      config.protocol = WireProtocol::kBinary;
    } else if (value == "compact") {
      config.protocol = WireProtocol::kCompact;
    } else {
      throw ConfigError("protocol", "expected binary or compact, got \"" + value + "\"");
    }
  }
  if (root["etcd"] && !root["etcd"].IsNull()) config.etcd = parse_etcd(root["etcd"]);
  parse_notify(root, config);
  resolve(config);
  return config;
}

PaymentConfig load_config(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw ConfigError("config", "cannot read " + file.string());
  std::stringstream text;
  text << in.rdbuf();
  const std::filesystem::path base = std::filesystem::absolute(file).parent_path();
  return parse_config(text.str(), base);
}

}  // namespace opp::payment
