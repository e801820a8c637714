#pragma once
// The platform as a user runs it, for end-to-end tests: the real opp-payment and the real
// opp-gateway in a temporary directory, merchants added with the real opp-admin. Their
// state is in SQLite files there, or in a schema of its own on the test PostgreSQL when
// the run asks for it (OPP_TEST_DATABASE=postgresql, see tests/support/test_postgres.hpp).

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "merchant_client.hpp"
#include "process.hpp"
#include "test_postgres.hpp"

namespace opp::gateway::e2e {

struct PlatformOptions {
  bool start_payment = true;
  /// Replaces the payment upstream's endpoints (a fake server, a refused port).
  std::vector<std::string> upstream_endpoints;
  /// `discovery: etcd` instead of endpoints (the top-level etcd section goes in
  /// extra_gateway_yaml).
  bool etcd_discovery = false;
  uint32_t timeout_ms = 3000;
  uint32_t eject_ms = 5000;
  std::string extra_gateway_yaml;  ///< appended to gateway.yaml (top-level keys)
  std::string auth_yaml;           ///< more `auth:` keys, e.g. "nonce_store: redis"
  std::string limits_yaml;         ///< the `limits:` mapping, e.g. "{max_body_bytes: 2048}"
  std::string http_yaml;           ///< the `http:` mapping
  std::string idl_dir;             ///< default: the project's idl/
  /// Every program on one PostgreSQL schema instead of SQLite files (default: as the run
  /// asks, OPP_TEST_DATABASE=postgresql).
  bool postgres = opp::test::postgres_requested();
  /// A TLS listener on a free port beside plain HTTP, with a throwaway CA and server
  /// certificate made under tls/ (ca.crt, server.crt, server.key).
  bool tls = false;
  std::string tls_yaml;    ///< more keys of the `tls:` mapping, e.g. "min_version: \"1.3\""
  bool plain_http = true;  ///< false: `listen: ""`, the TLS listener only
};

class Platform {
 public:
  explicit Platform(PlatformOptions options = {});
  ~Platform();

  /// Starts (or starts again) the gateway; merchants added before are live at once.
  void start_gateway();
  void stop_gateway();

  /// opp-admin --config gateway.yaml <args...>
  CommandResult admin(const std::vector<std::string>& args, const std::string& stdin_text = "");
  MerchantKey add_hmac_merchant(const std::string& id, crypto::SignType type);
  MerchantKey add_rsa_merchant(const std::string& id);

  MerchantClient merchant(const MerchantKey& key) {
    return MerchantClient(*http, key, platform_key_pem);
  }
  MerchantClient merchant_over_tls(const MerchantKey& key) {
    return MerchantClient(*https, key, platform_key_pem);
  }
  /// A client of the TLS listener trusting the throwaway CA.
  TlsClientOptions tls_client() const { return TlsClientOptions{dir.path() / "tls" / "ca.crt"}; }

  /// The database a program keeps its state in: its own SQLite file data/<sqlite_name>.db,
  /// or the platform's PostgreSQL schema, which all programs share as in a deployment.
  std::string database_url(const std::string& sqlite_name) const;
  /// Writes <name>.yaml (the platform's payment database and platform key, then
  /// `extra_yaml`) and starts opp-payment on it; returns once it listens.
  std::unique_ptr<Process> start_payment_server(const std::string& name,
                                                const std::string& extra_yaml = "");
  /// Another opp-gateway beside `gateway`: the same merchants, keys, upstreams and options,
  /// its config in <name>.yaml and its access log in <name>-access.log; returns once it
  /// listens.
  std::unique_ptr<Process> start_extra_gateway(const std::string& name);

  TempDir dir{"opp-gateway-e2e-"};
  PlatformOptions options;
  std::unique_ptr<opp::test::PostgresSchema> postgres;  ///< dropped after the programs stop
  std::unique_ptr<Process> payment;
  std::unique_ptr<Process> gateway;
  uint16_t payment_port = 0;
  uint16_t gateway_port = 0;
  uint16_t tls_port = 0;
  std::unique_ptr<HttpClient> http;   ///< with plain_http
  std::unique_ptr<HttpClient> https;  ///< with tls
  std::string platform_key_pem;

 private:
  void write_gateway_config(const std::string& file, const std::string& access_log);
};

/// The RFC 3339 UTC date of today ("2026-12-01").
std::string today_utc();

}  // namespace opp::gateway::e2e
