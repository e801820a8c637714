#pragma once
// opp-payment configuration (SPEC §7, payment.yaml). Every key has a default; relative
// paths are taken from the configuration file's directory. A bad value throws
// ConfigError naming the key, which main prints as one line before exiting with 2.

#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "opp/etcd/client.hpp"

#include "payment/infrastructure/sql/database.hpp"

namespace opp::payment {

class ConfigError : public std::runtime_error {
 public:
  ConfigError(const std::string& key, const std::string& message)
      : std::runtime_error(key + ": " + message), key_(key) {}
  const std::string& key() const { return key_; }

 private:
  std::string key_;
};

enum class WireTransport { kFramed, kBuffered };
enum class WireProtocol { kBinary, kCompact };

/// `etcd:` — register this server in etcd for the gateway's `discovery: etcd`.
struct PaymentEtcdConfig {
  std::vector<etcd::Endpoint> endpoints;  ///< required, HOST:PORT each
  std::string register_as = "payment";    ///< the svc: key opp/services/<svc>/<advertise>
  int lease_ttl_s = 5;                    ///< 1..3600; renewed every ttl/3
  /// HOST:PORT callers should use; default: listen host and the bound port.
  std::string advertise;
};

struct PaymentConfig {
  std::string listen_host = "127.0.0.1";
  int listen_port = 8081;  ///< 0 picks a free port (printed at start)
  std::string database = "sqlite3://db=data/payment.db";
  DatabaseTarget database_target;  ///< `database` resolved against the config directory
  int workers = 8;
  std::filesystem::path platform_private_key;  ///< absolute
  WireTransport transport = WireTransport::kFramed;
  WireProtocol protocol = WireProtocol::kBinary;
  std::filesystem::path base_dir;  ///< directory of the configuration file
  std::optional<PaymentEtcdConfig> etcd;
  /// Extra CAs (PEM) that https:// notify URLs may be certified by, absolute; the system
  /// store is always used. Read at start (a missing file is a configuration error).
  std::optional<std::filesystem::path> notify_ca_file;
  /// DNS servers for notify URL hosts, "IP" or "IP:PORT" each; empty: /etc/resolv.conf.
  std::vector<std::string> notify_dns_servers;
  int notify_concurrency = 8;       ///< deliveries in flight at once, 1..256
  int notify_host_concurrency = 2;  ///< of which to one receiver, 1..notify_concurrency
};

/// Reads and validates a YAML file. Throws ConfigError.
PaymentConfig load_config(const std::filesystem::path& file);

/// The defaults, with paths relative to `base_dir`. Throws ConfigError (it cannot).
PaymentConfig default_config(const std::filesystem::path& base_dir);

/// Parses YAML text as if read from a file in `base_dir`. Throws ConfigError.
PaymentConfig parse_config(const std::string& yaml_text, const std::filesystem::path& base_dir);

}  // namespace opp::payment
