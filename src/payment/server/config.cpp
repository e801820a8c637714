#include "payment/server/config.hpp"

#include <yaml-cpp/yaml.h>

#include <fstream>
#include <set>
#include <sstream>

namespace opp::payment {
namespace {

const std::set<std::string> kKnownKeys = {"listen",    "database", "workers",
                                          "transport", "protocol", "platform_private_key"};

std::string scalar(const YAML::Node& node, const std::string& key) {
  if (!node.IsScalar()) throw ConfigError(key, "expected a string");
  return node.Scalar();
}

void parse_listen(const std::string& text, PaymentConfig& config) {
  const size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) {
    throw ConfigError("listen", "expected HOST:PORT, got \"" + text + "\"");
  }
  std::string host = text.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  const std::string port = text.substr(colon + 1);
  if (port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos ||
      std::stoi(port) > 65535) {
    throw ConfigError("listen", "port must be 0..65535, got \"" + port + "\"");
  }
  config.listen_host = host;
  config.listen_port = std::stoi(port);
}

int parse_workers(const YAML::Node& node) {
  const std::string text = scalar(node, "workers");
  if (text.empty() || text.size() > 4 ||
      text.find_first_not_of("0123456789") != std::string::npos || std::stoi(text) < 1 ||
      std::stoi(text) > 1024) {
    throw ConfigError("workers", "expected an integer 1..1024, got \"" + text + "\"");
  }
  return std::stoi(text);
}

void resolve(PaymentConfig& config) {
  auto target = parse_database_url(config.database, config.base_dir);
  if (!target) throw ConfigError("database", target.error().message);
  config.database_target = std::move(target).value();
  if (config.platform_private_key.is_relative()) {
    config.platform_private_key =
        (config.base_dir / config.platform_private_key).lexically_normal();
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
  if (root["workers"]) config.workers = parse_workers(root["workers"]);
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
