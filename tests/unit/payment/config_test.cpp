// payment.yaml parsing: defaults, every key, and one clear error naming the bad key.
#include <catch2/catch.hpp>

#include <fstream>

#include "payment/server/config.hpp"
#include "sql_backends.hpp"

using namespace opp::payment;

namespace {

std::string error_of(const std::string& yaml) {
  try {
    parse_config(yaml, "/etc/opp");
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("payment: payment config defaults follow SPEC §7", "[payment][config]") {
  const PaymentConfig config = parse_config("", "/srv/opp");
  CHECK(config.listen_host == "127.0.0.1");
  CHECK(config.listen_port == 8081);
  CHECK(config.workers == 8);
  CHECK(config.database_target.dialect == Dialect::kSqlite);
  CHECK(config.database_target.sqlite_file == "/srv/opp/data/payment.db");
  CHECK(config.platform_private_key == "/srv/opp/conf/platform_key.pem");
  CHECK(config.transport == WireTransport::kFramed);
  CHECK(config.protocol == WireProtocol::kBinary);
  CHECK_FALSE(config.notify_ca_file.has_value());
  CHECK(config.notify_dns_servers.empty());
  CHECK(config.notify_concurrency == 8);
  CHECK(config.notify_host_concurrency == 2);
}

TEST_CASE("payment: payment config reads every key", "[payment][config]") {
  const PaymentConfig config = parse_config(R"(
listen: "0.0.0.0:0"
database: "postgresql://host=127.0.0.1 port=5433 dbname=opp user=postgres"
workers: 3
platform_private_key: "/keys/platform.pem"
transport: buffered
protocol: compact
)",
                                            "/etc/opp");
  CHECK(config.listen_host == "0.0.0.0");
  CHECK(config.listen_port == 0);
  CHECK(config.workers == 3);
  CHECK(config.database_target.dialect == Dialect::kPostgres);
  CHECK(config.database_target.connect_string ==
        "host=127.0.0.1 port=5433 dbname=opp user=postgres");
  CHECK(config.platform_private_key == "/keys/platform.pem");
  CHECK(config.transport == WireTransport::kBuffered);
  CHECK(config.protocol == WireProtocol::kCompact);
  CHECK(parse_config("database: \"postgresql://u@db:5432/opp\"", "/")
            .database_target.connect_string == "postgresql://u@db:5432/opp");
  CHECK(parse_config("database: \"sqlite3://db=/abs/p.db\"", "/etc").database_target.sqlite_file ==
        "/abs/p.db");
}

TEST_CASE("payment: a bad payment config names the key", "[payment][config]") {
  CHECK(error_of("listen: 8081") == "listen: expected HOST:PORT, got \"8081\"");
  CHECK(error_of("listen: \"h:70000\"") == "listen: port must be 0..65535, got \"70000\"");
  CHECK(error_of("listen: \"h:x\"") == "listen: port must be 0..65535, got \"x\"");
  CHECK(error_of("workers: 0") == "workers: expected an integer 1..1024, got \"0\"");
  CHECK(error_of("workers: many") == "workers: expected an integer 1..1024, got \"many\"");
  CHECK(error_of("workers: [1]") == "workers: expected a string");
  CHECK(error_of("database: \"mysql://x\"") ==
        "database: expected sqlite3://db=PATH or postgresql://...");
  CHECK(error_of("database: \"sqlite3://file.db\"") == "database: expected sqlite3://db=PATH");
  CHECK(error_of("transport: http") == "transport: expected framed or buffered, got \"http\"");
  CHECK(error_of("protocol: json") == "protocol: expected binary or compact, got \"json\"");
  CHECK(error_of("threads: 4") == "threads: unknown key");
  CHECK(error_of("- a\n- b") == "config: expected a mapping of keys to values");
  CHECK(error_of("listen: [unclosed").starts_with("config: not valid YAML at line 1"));
  CHECK(error_of("[a]: 1") == "config: keys must be plain names");
  CHECK(error_of("workers: 2\nworkers: 3") == "workers: given more than once");
}

TEST_CASE("payment: config files resolve paths from their own directory", "[payment][config]") {
  opp::payment::testing::TempDir dir;
  const auto file = dir.path / "payment.yaml";
  std::ofstream(file) << "database: \"sqlite3://db=../db/p.db\"\n";
  const PaymentConfig config = load_config(file);
  CHECK(config.database_target.sqlite_file == (dir.path.parent_path() / "db/p.db"));
  CHECK(config.platform_private_key == dir.path / "conf/platform_key.pem");
  try {
    load_config(dir.path / "missing.yaml");
    FAIL("a missing file must be an error");
  } catch (const ConfigError& e) {
    CHECK(e.key() == "config");
    CHECK(std::string(e.what()).find("cannot read") != std::string::npos);
  }
}

TEST_CASE("payment: the etcd section registers the server for discovery", "[payment][config]") {
  CHECK_FALSE(parse_config("", "/srv/opp").etcd.has_value());
  const PaymentConfig config = parse_config(
      "etcd: {endpoints: [\"127.0.0.1:2379\", \"10.0.0.2:2380\"], register_as: pay-2, "
      "lease_ttl_s: 9, advertise: \"10.1.1.1:8081\"}\n",
      "/srv/opp");
  REQUIRE(config.etcd.has_value());
  REQUIRE(config.etcd->endpoints.size() == 2);
  CHECK(config.etcd->endpoints[1].host == "10.0.0.2");
  CHECK(config.etcd->endpoints[1].port == 2380);
  CHECK(config.etcd->register_as == "pay-2");
  CHECK(config.etcd->lease_ttl_s == 9);
  CHECK(config.etcd->advertise == "10.1.1.1:8081");
  const PaymentConfig defaults = parse_config("etcd: {endpoints: [\"h:1\"]}\n", "/srv/opp");
  CHECK(defaults.etcd->register_as == "payment");
  CHECK(defaults.etcd->lease_ttl_s == 5);
  CHECK(defaults.etcd->advertise.empty());
}

TEST_CASE("payment: a bad etcd section names the key", "[payment][config]") {
  CHECK(error_of("etcd: {}") == "etcd.endpoints: required: a list of HOST:PORT");
  CHECK(error_of("etcd: [a]") == "etcd: expected a mapping");
  CHECK(error_of("etcd: {endpoints: [nohost]}") ==
        "etcd.endpoints[0]: expected HOST:PORT, got \"nohost\"");
  CHECK(error_of("etcd: {endpoints: [\"h:1\"], lease_ttl_s: 0}") ==
        "etcd.lease_ttl_s: expected an integer 1..3600, got \"0\"");
  CHECK(error_of("etcd: {endpoints: [\"h:1\"], register_as: \"A/B\"}") ==
        "etcd.register_as: expected a service name of [a-z0-9_-]");
  CHECK(error_of("etcd: {endpoints: [\"h:1\"], ttl: 3}") == "etcd.ttl: unknown key");
}

TEST_CASE("payment: the notify keys", "[payment][config]") {
  const PaymentConfig config = parse_config(R"(
notify_ca_file: "conf/extra-ca.pem"
notify_dns_servers: ["127.0.0.1:5353", "::1", "[::1]:53"]
notify_concurrency: 16
notify_host_concurrency: 3
)",
                                            "/srv/opp");
  CHECK(config.notify_ca_file == std::filesystem::path("/srv/opp/conf/extra-ca.pem"));
  CHECK(config.notify_dns_servers == std::vector<std::string>{"127.0.0.1:5353", "::1", "[::1]:53"});
  CHECK(config.notify_concurrency == 16);
  CHECK(config.notify_host_concurrency == 3);
  CHECK(parse_config("notify_ca_file: /etc/ssl/extra.pem", "/srv/opp").notify_ca_file ==
        std::filesystem::path("/etc/ssl/extra.pem"));
  CHECK(parse_config("notify_ca_file: ../ca.pem", "/srv/opp/conf").notify_ca_file ==
        std::filesystem::path("/srv/opp/ca.pem"));
}

TEST_CASE("payment: a bad notify key names itself", "[payment][config]") {
  CHECK(error_of("notify_ca_file: \"\"") == "notify_ca_file: must not be empty");
  CHECK(error_of("notify_ca_file: [a]") == "notify_ca_file: expected a string");
  CHECK(error_of("notify_dns_servers: 127.0.0.1") ==
        "notify_dns_servers: expected a list of IP or IP:PORT");
  CHECK(error_of("notify_dns_servers: [\"127.0.0.1\", dns.example]") ==
        "notify_dns_servers[1]: expected an IP address, got \"dns.example\"");
  CHECK(error_of("notify_dns_servers: [\"127.0.0.1:0\"]") ==
        "notify_dns_servers[0]: port must be 1..65535, got \"0\"");
  CHECK(error_of("notify_concurrency: 0") ==
        "notify_concurrency: expected an integer 1..256, got \"0\"");
  CHECK(error_of("notify_host_concurrency: 9") ==
        "notify_host_concurrency: expected an integer 1..8, got \"9\"");
  CHECK(error_of("notify_concurrency: 20\nnotify_host_concurrency: 9") == "no error");
  CHECK(error_of("notify_timeout: 3") == "notify_timeout: unknown key");
}
