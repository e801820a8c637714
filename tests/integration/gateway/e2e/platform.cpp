#include "platform.hpp"

#include <signal.h>

#include <ctime>
#include <stdexcept>

#include "test_certificates.hpp"

namespace opp::gateway::e2e {

Platform::Platform(PlatformOptions opts) : options(std::move(opts)) {
  if (options.postgres) postgres = std::make_unique<opp::test::PostgresSchema>("opp_e2e_");
  if (options.start_payment) {
    payment = start_payment_server("payment");
    payment_port = payment->wait_listening();
  }
  if (options.tls) opp::test::make_test_certificate(dir.path() / "tls");
  write_gateway_config("gateway.yaml", "access.log");
}

Platform::~Platform() {
  stop_gateway();
  if (payment) {
    payment->signal(SIGTERM);
    payment->wait_exit();
  }
}

std::string Platform::database_url(const std::string& sqlite_name) const {
  return postgres ? postgres->url() : "sqlite3://db=data/" + sqlite_name + ".db";
}

std::unique_ptr<Process> Platform::start_payment_server(const std::string& name,
                                                        const std::string& extra_yaml) {
  dir.write(name + ".yaml",
            "listen: \"127.0.0.1:0\"\n"
            "database: \"" +
                database_url("payment") +
                "\"\n"
                "workers: 4\n"
                "platform_private_key: \"conf/platform_key.pem\"\n" +
                extra_yaml);
  auto server = std::make_unique<Process>(
      name, OPP_PAYMENT_BINARY,
      std::vector<std::string>{"--config", (dir.path() / (name + ".yaml")).string()}, dir.path());
  server->wait_listening();
  return server;
}

std::unique_ptr<Process> Platform::start_extra_gateway(const std::string& name) {
  write_gateway_config(name + ".yaml", name + "-access.log");
  auto extra = std::make_unique<Process>(
      name, OPP_GATEWAY_BINARY,
      std::vector<std::string>{"--config", (dir.path() / (name + ".yaml")).string()}, dir.path());
  extra->wait_listening();
  return extra;
}

void Platform::write_gateway_config(const std::string& file, const std::string& access_log) {
  std::vector<std::string> endpoints = options.upstream_endpoints;
  if (endpoints.empty()) endpoints.push_back("127.0.0.1:" + std::to_string(payment_port));
  std::string list;
  for (const auto& e : endpoints) list += (list.empty() ? "\"" : ", \"") + e + "\"";
  const std::string idl =
      options.idl_dir.empty() ? std::string(OPP_SOURCE_DIR) + "/idl" : options.idl_dir;
  std::string yaml =
      std::string(options.plain_http ? "listen: \"127.0.0.1:0\"\n" : "listen: \"\"\n") +
      "threads: 2\n"
      "idl_dir: \"" +
      idl +
      "\"\n"
      "database: \"" +
      database_url("gateway") +
      "\"\n"
      "access_log: \"" +
      access_log +
      "\"\n"
      "auth: {platform_private_key: \"conf/platform_key.pem\", secret_key: "
      "\"conf/secret_kek.bin\"" +
      (options.auth_yaml.empty() ? "" : ", " + options.auth_yaml) +
      "}\n"
      "upstreams:\n"
      "  payment:\n" +
      (options.etcd_discovery ? std::string("    discovery: etcd\n")
                              : "    endpoints: [" + list + "]\n") +
      "    timeout_ms: " + std::to_string(options.timeout_ms) +
      "\n"
      "    connect_timeout_ms: 500\n"
      "    eject_ms: " +
      std::to_string(options.eject_ms) + "\n";
  if (!options.limits_yaml.empty()) yaml += "limits: " + options.limits_yaml + "\n";
  if (!options.http_yaml.empty()) yaml += "http: " + options.http_yaml + "\n";
  if (options.tls)
    yaml += "tls: {listen: \"127.0.0.1:0\", cert: \"tls/server.crt\", key: \"tls/server.key\"" +
            (options.tls_yaml.empty() ? "" : ", " + options.tls_yaml) + "}\n";
  yaml += options.extra_gateway_yaml;
  dir.write(file, yaml);
}

void Platform::start_gateway() {
  stop_gateway();
  gateway = std::make_unique<Process>(
      "gateway", OPP_GATEWAY_BINARY,
      std::vector<std::string>{"--config", (dir.path() / "gateway.yaml").string()}, dir.path());
  if (options.tls) {
    tls_port = gateway->wait_port("listening for TLS on");
    https = std::make_unique<HttpClient>(tls_port, tls_client());
  }
  if (options.plain_http) {
    gateway_port = gateway->wait_listening();
    http = std::make_unique<HttpClient>(gateway_port);
  }
  platform_key_pem = (http ? *http : *https).get("/gateway/platform-key").body;
}

void Platform::stop_gateway() {
  if (!gateway) return;
  http.reset();
  https.reset();
  gateway->signal(SIGTERM);
  gateway->wait_exit();
  gateway.reset();
}

CommandResult Platform::admin(const std::vector<std::string>& args, const std::string& stdin_text) {
  std::vector<std::string> all{"--config", (dir.path() / "gateway.yaml").string()};
  all.insert(all.end(), args.begin(), args.end());
  return run_command(OPP_ADMIN_BINARY, all, dir.path(), stdin_text);
}

MerchantKey Platform::add_hmac_merchant(const std::string& id, crypto::SignType type) {
  MerchantKey key{id, type, "secret-of-" + id + "-" + fresh_nonce(), std::nullopt};
  auto r = admin({"merchant", "add", "--id", id, "--sign-type",
                  std::string(crypto::sign_type_name(type)), "--secret", key.secret});
  if (r.exit_code != 0) throw std::runtime_error("opp-admin add failed: " + r.err);
  return key;
}

MerchantKey Platform::add_rsa_merchant(const std::string& id) {
  static const crypto::PrivateKey shared_key = *crypto::PrivateKey::generate();
  MerchantKey key{id, crypto::SignType::kRsa2, "", shared_key};
  dir.write(id + ".pem", key.public_key_pem());
  auto r = admin({"merchant", "add", "--id", id, "--sign-type", "RSA2", "--public-key",
                  (dir.path() / (id + ".pem")).string()});
  if (r.exit_code != 0) throw std::runtime_error("opp-admin add failed: " + r.err);
  return key;
}

std::string today_utc() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char text[16];
  std::strftime(text, sizeof text, "%Y-%m-%d", &tm);
  return text;
}

}  // namespace opp::gateway::e2e
