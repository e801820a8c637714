// gateway.yaml (SPEC §7): defaults, every key, path resolution, one-line errors naming
// the key, and no crash on malformed or hostile YAML.
#include "gateway/config/config_loader.hpp"

#include <catch2/catch.hpp>

#include <yaml-cpp/yaml.h>

#include <random>

#include "gateway_test_support.hpp"

using namespace opp::gateway::config;
using opp::gateway::testing::TempDir;

namespace {

/// The error message parsing `yaml` gives (the test fails when it parses).
std::string error_of(const std::string& yaml) {
  auto config = parse_gateway_config(yaml, "/srv/gw");
  if (config.ok()) {
    FAIL_CHECK("expected an error for: " << yaml);
    return "";
  }
  CHECK(config.error().code == opp::ErrorCode::kBadRequest);
  CHECK(config.error().sub_code == "bad-config");
  CHECK(config.error().message.find('\n') == std::string::npos);
  return config.error().message;
}

GatewayConfig parsed(const std::string& yaml, const std::string& base = "/srv/gw") {
  auto config = parse_gateway_config(yaml, base);
  INFO(yaml);
  REQUIRE(config.ok());
  return std::move(config).value();
}

const char* const kPayment = "upstreams:\n  payment:\n    endpoints: [\"127.0.0.1:8081\"]\n";

}  // namespace

TEST_CASE("gateway config: defaults follow SPEC §7", "[gateway][config]") {
  const GatewayConfig config = parsed("");
  CHECK(config.listen == HostPort{"127.0.0.1", 8080});
  CHECK_FALSE(config.tls.has_value());
  CHECK(config.threads == 0);
  CHECK(config.idl_dir == "/srv/gw/idl");
  CHECK(config.database == "sqlite3://db=/srv/gw/data/gateway.db");
  CHECK(config.access_log == "-");
  CHECK(config.auth.timestamp_window_s == 300);
  CHECK(config.auth.platform_private_key == "/srv/gw/conf/platform_key.pem");
  CHECK(config.auth.nonce_store == "memory");
  CHECK(config.auth.secret_key == "/srv/gw/conf/secret_kek.bin");
  CHECK(config.auth.max_nonces_per_merchant == 100000);
  CHECK(config.auth.merchant_refresh_ms == 250);
  CHECK(config.limits.max_body_bytes == 1048576);
  CHECK(config.limits.max_header_bytes == 65536);
  CHECK(config.limits.max_json_depth == 64);
  CHECK(config.http.idle_timeout_ms == 60000);
  CHECK(config.upstreams.empty());
  CHECK_FALSE(config.etcd.has_value());
  CHECK_FALSE(config.redis.has_value());
  CHECK(config.plugins.empty());
  // Comments only, and explicit nulls, are defaults too.
  CHECK(parsed("# nothing\n").listen->port == 8080);
  CHECK(parsed("auth:\nlimits: ~\nlisten: null\n").listen->port == 8080);
}

TEST_CASE("gateway config: every key is read", "[gateway][config]") {
  const GatewayConfig config = parsed(R"(
listen: "0.0.0.0:9090"
tls: {listen: "[::1]:8443", cert: "tls/server.crt", key: "/etc/tls/server.key", min_version: "1.3"}
threads: 4
idl_dir: "../idl"
database: "sqlite3://db=state/gw.db"
access_log: "logs/access.log"
auth: {timestamp_window_s: 60, platform_private_key: "keys/p.pem", nonce_store: redis,
       secret_key: "keys/kek.bin", max_nonces_per_merchant: 10, merchant_refresh_ms: 100}
limits: {max_body_bytes: 2048, max_header_bytes: 4096, max_json_depth: 16}
http: {header_timeout_ms: 1, body_timeout_ms: 2, idle_timeout_ms: 3, max_connections: 4,
       max_pipelined: 5, shutdown_grace_ms: 6}
upstreams:
  payment:
    endpoints: ["127.0.0.1:8081", "backend.internal:9000"]
    transport: buffered
    protocol: compact
    connect_timeout_ms: 10
    timeout_ms: 20
    max_connections: 30
    eject_ms: 40
    max_pending: 50
  watched: {discovery: etcd}
etcd: {endpoints: ["127.0.0.1:2379"]}
redis: {address: "127.0.0.1:6379"}
plugins:
  - {name: rate-limit, config: {per_merchant: {rate: 100, burst: 200}}}
  - {path: "plugins/libx.so", svc: [payment]}
)");
  CHECK(config.listen == HostPort{"0.0.0.0", 9090});
  REQUIRE(config.tls.has_value());
  CHECK(config.tls->listen == HostPort{"::1", 8443});
  CHECK(config.tls->cert == "/srv/gw/tls/server.crt");
  CHECK(config.tls->key == "/etc/tls/server.key");
  CHECK(config.tls->min_version == "1.3");
  CHECK(config.threads == 4);
  CHECK(config.idl_dir == "/srv/idl");
  CHECK(config.database == "sqlite3://db=/srv/gw/state/gw.db");
  CHECK(config.access_log == "/srv/gw/logs/access.log");
  CHECK(config.auth.timestamp_window_s == 60);
  CHECK(config.auth.platform_private_key == "/srv/gw/keys/p.pem");
  CHECK(config.auth.nonce_store == "redis");
  CHECK(config.auth.secret_key == "/srv/gw/keys/kek.bin");
  CHECK(config.auth.max_nonces_per_merchant == 10);
  CHECK(config.auth.merchant_refresh_ms == 100);
  CHECK(config.limits.max_body_bytes == 2048);
  CHECK(config.limits.max_header_bytes == 4096);
  CHECK(config.limits.max_json_depth == 16);
  CHECK(config.http.header_timeout_ms == 1);
  CHECK(config.http.body_timeout_ms == 2);
  CHECK(config.http.idle_timeout_ms == 3);
  CHECK(config.http.max_connections == 4);
  CHECK(config.http.max_pipelined == 5);
  CHECK(config.http.shutdown_grace_ms == 6);
  REQUIRE(config.upstreams.size() == 2);
  const UpstreamConfig& payment = config.upstreams.at("payment");
  CHECK(payment.endpoints ==
        std::vector<HostPort>{{"127.0.0.1", 8081}, {"backend.internal", 9000}});
  CHECK(payment.transport == Transport::kBuffered);
  CHECK(payment.protocol == Protocol::kCompact);
  CHECK(payment.connect_timeout_ms == 10);
  CHECK(payment.timeout_ms == 20);
  CHECK(payment.max_connections == 30);
  CHECK(payment.eject_ms == 40);
  CHECK(payment.max_pending == 50);
  CHECK(config.upstreams.at("watched").discovery == "etcd");
  CHECK(config.upstreams.at("watched").endpoints.empty());
  REQUIRE(config.etcd.has_value());
  CHECK(config.etcd->endpoints == std::vector<HostPort>{{"127.0.0.1", 2379}});
  REQUIRE(config.redis.has_value());
  CHECK(config.redis->address == HostPort{"127.0.0.1", 6379});
  REQUIRE(config.plugins.size() == 2);
  CHECK(config.plugins[0].name == "rate-limit");
  CHECK(config.plugins[0].path.empty());
  CHECK(config.plugins[0].svc.empty());
  // The plugin's config comes back as YAML text that means the same.
  const YAML::Node plugin_config = YAML::Load(config.plugins[0].config_yaml);
  CHECK(plugin_config["per_merchant"]["rate"].as<int>() == 100);
  CHECK(plugin_config["per_merchant"]["burst"].as<int>() == 200);
  CHECK(config.plugins[1].name.empty());
  CHECK(config.plugins[1].path == "/srv/gw/plugins/libx.so");
  CHECK(config.plugins[1].svc == std::vector<std::string>{"payment"});
  CHECK(config.plugins[1].config_yaml == "{}");
}

TEST_CASE("gateway config: upstream defaults and the other database forms", "[gateway][config]") {
  const GatewayConfig config = parsed(kPayment);
  const UpstreamConfig& payment = config.upstreams.at("payment");
  CHECK(payment.transport == Transport::kFramed);
  CHECK(payment.protocol == Protocol::kBinary);
  CHECK(payment.connect_timeout_ms == 1000);
  CHECK(payment.timeout_ms == 3000);
  CHECK(payment.max_connections == 64);
  CHECK(payment.eject_ms == 5000);
  CHECK(payment.max_pending == 0);
  CHECK(parsed("database: \"postgresql://host=db port=5432 dbname=gw\"").database ==
        "postgresql://host=db port=5432 dbname=gw");
  CHECK(parsed("database: \"sqlite3://db=/abs/gw.db timeout=5\"").database ==
        "sqlite3://db=/abs/gw.db timeout=5");
  CHECK(parsed("access_log: \"\"").access_log.empty());
  CHECK(parsed("tls: {cert: c.pem, key: k.pem}").tls->listen == HostPort{"127.0.0.1", 8443});
  CHECK(parsed("tls: {cert: c.pem, key: k.pem}").tls->min_version == "1.2");
  CHECK(parsed("tls: {cert: c.pem, key: k.pem, min_version: 1.3}").tls->min_version == "1.3");
  CHECK(parsed("tls: {cert: c.pem, key: k.pem}").listen == HostPort{"127.0.0.1", 8080});
  // A relative base directory still yields absolute paths.
  CHECK(parsed("", "relative/dir").idl_dir.is_absolute());
}

TEST_CASE("gateway config: listen \"\" serves TLS only", "[gateway][config]") {
  const GatewayConfig config =
      parsed("listen: \"\"\ntls: {listen: \"127.0.0.1:0\", cert: c, key: k}");
  CHECK_FALSE(config.listen.has_value());
  REQUIRE(config.tls.has_value());
  CHECK(config.tls->listen == HostPort{"127.0.0.1", 0});
  // Both on port 0 are two free ports, not one address twice.
  CHECK(parsed("listen: \"127.0.0.1:0\"\ntls: {listen: \"127.0.0.1:0\", cert: c, key: k}")
            .listen.has_value());
}

TEST_CASE("gateway config: errors name the key and what was wrong", "[gateway][config]") {
  CHECK(error_of("upstreams:\n  payment:\n    endpoints: [\"a:1\"]\n    timeout_ms: abc\n") ==
        "upstreams.payment.timeout_ms: expected a non-negative integer, got \"abc\"");
  CHECK(error_of("upstreams:\n  payment:\n    timeout_ms: 5\n") ==
        "upstreams.payment.endpoints: required");
  CHECK(error_of("upstreams:\n  payment:\n") == "upstreams.payment.endpoints: required");
  CHECK(error_of("upstreams: {payment: {endpoints: []}}") ==
        "upstreams.payment.endpoints: must list at least one HOST:PORT");
  CHECK(error_of("upstreams: {payment: {endpoints: \"a:1\"}}") ==
        "upstreams.payment.endpoints: expected a list of HOST:PORT, got \"a:1\"");
  CHECK(error_of("upstreams: {payment: {endpoints: [\"a:1\", \"a:1\"]}}") ==
        "upstreams.payment.endpoints[1]: a:1 is listed twice");
  CHECK(error_of("upstreams: {payment: {endpoints: [\"a:0\"]}}") ==
        "upstreams.payment.endpoints[0]: port must be 1..65535, got \"0\"");
  CHECK(error_of("upstreams: {payment: {endpoints: [a]}}") ==
        "upstreams.payment.endpoints[0]: expected HOST:PORT, got \"a\"");
  CHECK(error_of("upstreams: {payment: {endpoints: [\"a:1\"], transport: http}}") ==
        "upstreams.payment.transport: expected framed or buffered, got \"http\"");
  CHECK(error_of("upstreams: {payment: {endpoints: [\"a:1\"], protocol: json}}") ==
        "upstreams.payment.protocol: expected binary or compact, got \"json\"");
  CHECK(error_of("upstreams: {payment: {endpoints: [\"a:1\"], max_connections: 0}}") ==
        "upstreams.payment.max_connections: must be between 1 and 65535, got \"0\"");
  CHECK(error_of("upstreams: {payment: {endpoints: [\"a:1\"], retries: 3}}") ==
        "upstreams.payment.retries: unknown key");
  CHECK(error_of("upstreams: {payment: {discovery: etcd}}") ==
        "upstreams.payment.discovery: etcd needs the top-level etcd section");
  CHECK(error_of("etcd: {endpoints: [\"e:1\"]}\nupstreams: {p: {discovery: etcd, "
                 "endpoints: [\"a:1\"]}}") ==
        "upstreams.p.discovery: give either endpoints or discovery");
  CHECK(error_of("upstreams: {p: {discovery: dns}}") ==
        "upstreams.p.discovery: expected etcd, got \"dns\"");
  CHECK(error_of("upstreams: [payment]") ==
        "upstreams: expected a mapping of service names, got a list");
  CHECK(error_of("listen: 8080") == "listen: expected HOST:PORT, got \"8080\"");
  CHECK(error_of("listen: \"::1:8080\"") == "listen: expected HOST:PORT, got \"::1:8080\"");
  CHECK(error_of("listen: \"h:70000\"") == "listen: port must be 0..65535, got \"70000\"");
  CHECK(error_of("listen: \"h:\"") == "listen: port must be 0..65535, got \"\"");
  CHECK(error_of("listen: \"bad host:1\"") == "listen: expected HOST:PORT, got \"bad host:1\"");
  CHECK(error_of("listen: [a, b]") == "listen: expected HOST:PORT, got a list");
  CHECK(error_of("http:\n  idle_timeot_ms: 5\n") == "http.idle_timeot_ms: unknown key");
  CHECK(error_of("idle_timeout_ms: 5") == "idle_timeout_ms: unknown key");
  CHECK(error_of("threads: -1") == "threads: expected a non-negative integer, got \"-1\"");
  CHECK(error_of("threads: 2.5") == "threads: expected a non-negative integer, got \"2.5\"");
  CHECK(error_of("threads: 0x10") == "threads: expected a non-negative integer, got \"0x10\"");
  CHECK(error_of("threads: 99999999999999999999999999") ==
        "threads: must be between 0 and 1024, got \"99999999999999999999999999\"");
  CHECK(error_of("limits: {max_body_bytes: 18446744073709551616}") ==
        "limits.max_body_bytes: must be between 1 and 1073741824, got \"18446744073709551616\"");
  CHECK(error_of("limits: 5") == "limits: expected a mapping, got \"5\"");
  CHECK(error_of("auth: [1]") == "auth: expected a mapping, got a list");
  CHECK(error_of("auth: {nonce_store: disk}") ==
        "auth.nonce_store: expected memory or redis, got \"disk\"");
  CHECK(error_of("auth: {nonce_store: redis}") ==
        "auth.nonce_store: redis needs the top-level redis section");
  CHECK(error_of("auth: {secret_key: \"\"}") == "auth.secret_key: must not be empty");
  CHECK(error_of("auth: {secret_key: {a: 1}}") ==
        "auth.secret_key: expected a string, got a mapping");
  CHECK(error_of("auth: {merchant_refresh_ms: 5000}") ==
        "auth.merchant_refresh_ms: must be between 10 and 1000, got \"5000\"");
  CHECK(error_of("database: \"mysql://x\"") ==
        "database: expected sqlite3://db=PATH or postgresql://...");
  CHECK(error_of("database: \"sqlite3://gw.db\"") == "database: expected sqlite3://db=PATH");
  CHECK(error_of("tls: {cert: c.pem}") == "tls.key: required");
  CHECK(error_of("tls: {key: k.pem}") == "tls.cert: required");
  CHECK(error_of("tls: {cert: c.pem, key: k.pem, cafile: ca.pem}") == "tls.cafile: unknown key");
  CHECK(error_of("tls: {cert: \"\", key: k.pem}") == "tls.cert: must not be empty");
  CHECK(error_of("tls: {cert: c.pem, key: k.pem, min_version: \"1.1\"}") ==
        "tls.min_version: expected 1.2 or 1.3, got \"1.1\"");
  CHECK(error_of("listen: \"\"") ==
        "listen: \"\" turns plain HTTP off, which needs a tls section to listen on");
  CHECK(error_of("listen: \"127.0.0.1:8443\"\ntls: {cert: c.pem, key: k.pem}") ==
        "tls.listen: 127.0.0.1:8443 is already listen's address");
  CHECK(error_of("tls: {cert: c.pem, key: k.pem, min_version: \"1.0\"}") ==
        "tls.min_version: expected 1.2 or 1.3, got \"1.0\"");
  CHECK(error_of("etcd: {}") == "etcd.endpoints: required");
  CHECK(error_of("redis: {address: \"r\"}") == "redis.address: expected HOST:PORT, got \"r\"");
  CHECK(error_of("plugins: {name: x}") == "plugins: expected a list, got a mapping");
  CHECK(error_of("plugins: [x]") == "plugins[0]: expected a mapping, got \"x\"");
  CHECK(error_of("plugins: [{name: a}, {svc: [p]}]") ==
        "plugins[1]: needs a name (built-in) or a path (.so)");
  CHECK(error_of("plugins: [{name: a, path: b.so}]") ==
        "plugins[0]: give either name or path, not both");
  CHECK(error_of("plugins: [{name: a, nmae: b}]") == "plugins[0].nmae: unknown key");
  CHECK(error_of("plugins: [{name: a, config: [1]}]") ==
        "plugins[0].config: expected a mapping, got a list");
  CHECK(error_of("plugins: [{name: a, svc: p}]") ==
        "plugins[0].svc: expected a list of service names, got \"p\"");
  CHECK(error_of("plugins: [{name: a, svc: [\"\"]}]") == "plugins[0].svc[0]: must not be empty");
  CHECK(error_of("listen: \"a:1\"\nlisten: \"b:2\"") == "listen: given more than once");
  CHECK(error_of("upstreams: {p: {endpoints: [\"a:1\"]}, p: {endpoints: [\"b:1\"]}}") ==
        "upstreams.p: given more than once");
  CHECK(error_of("[a]: 1") == "config: keys must be plain names, got a list");
  CHECK(error_of("- a\n- b") == "config: expected a mapping, got a list");
  CHECK(error_of("just text") == "config: expected a mapping, got \"just text\"");
  CHECK(error_of("listen: [unclosed").starts_with("config: not valid YAML at line 1, column"));
  CHECK(error_of("a: 1\n---\nb: 2\n") == "config: expected one YAML document, got more");
  CHECK(error_of(",V") == "config: expected one YAML document, got more");  // no endless loop
  // A value shown in a message is shortened and has its control bytes escaped.
  CHECK(error_of("threads: \"" + std::string(100, '7') + "\"").ends_with("...\""));
  CHECK(error_of("threads: \"a\\tb\"") ==
        "threads: expected a non-negative integer, got \"a\\x09b\"");
  // Keys and yaml-cpp's own messages with line ends still give one line.
  CHECK(error_of("\"k\\nx\": 1") == "k\\x0ax: unknown key");
  CHECK(error_of("a: \"x\\\x01\"") ==
        "config: not valid YAML at line 1, column 8: unknown escape character: \\x01");
  CHECK(error_of(std::string(100, 'k') + ": 1") == std::string(64, 'k') + "...: unknown key");
  CHECK(error_of("\"\": 1") == "\"\": unknown key");
  CHECK(error_of("\"\\0k\": 1") == "\\x00k: unknown key");  // a NUL inside a key
  CHECK(error_of("auth: {\"\": 1}") == "auth.\"\": unknown key");
}

TEST_CASE("gateway config: files resolve paths from their own directory", "[gateway][config]") {
  TempDir dir;
  const std::string file =
      dir.write("conf/gateway.yaml",
                "idl_dir: ../idl\ndatabase: \"sqlite3://db=db/gw.db\"\n" + std::string(kPayment));
  auto config = load_gateway_config(file);
  REQUIRE(config.ok());
  CHECK(config->file == std::filesystem::path(file));
  CHECK(config->idl_dir == dir.path / "idl");
  CHECK(config->database == "sqlite3://db=" + (dir.path / "conf/db/gw.db").string());
  CHECK(config->auth.secret_key == dir.path / "conf/conf/secret_kek.bin");
  CHECK(config->upstreams.size() == 1);

  auto missing = load_gateway_config(dir.path / "absent.yaml");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().path == "config");
  CHECK(missing.error().message == "config: cannot read " + (dir.path / "absent.yaml").string() +
                                       ": No such file or directory");
  auto directory = load_gateway_config(dir.path);
  REQUIRE_FALSE(directory.ok());
  CHECK(directory.error().message.starts_with("config: cannot read"));
}

TEST_CASE("gateway config: parse_upstreams re-reads only the upstreams", "[gateway][config]") {
  // Another section's mistake does not block the hot reload of upstreams.
  auto upstreams = parse_upstreams(std::string("listen: nonsense\nfuture_key: 1\n") + kPayment);
  REQUIRE(upstreams.ok());
  REQUIRE(upstreams->size() == 1);
  CHECK(upstreams->at("payment").endpoints == std::vector<HostPort>{{"127.0.0.1", 8081}});
  CHECK(parse_upstreams("").value().empty());
  CHECK(parse_upstreams("upstreams: {w: {discovery: etcd}}").error().message ==
        "upstreams.w.discovery: etcd needs the top-level etcd section");
  CHECK(parse_upstreams("etcd: {endpoints: [\"e:1\"]}\nupstreams: {w: {discovery: etcd}}")
            .value()
            .at("w")
            .discovery == "etcd");
  CHECK(parse_upstreams("upstreams: {p: {endpoints: [\"a:1\"], timeout_ms: x}}").error().message ==
        "upstreams.p.timeout_ms: expected a non-negative integer, got \"x\"");
  CHECK(parse_upstreams("[1]").error().message == "config: expected a mapping, got a list");

  TempDir dir;
  const std::string file = dir.write("gateway.yaml", kPayment);
  CHECK(load_upstreams(file).value().size() == 1);
  CHECK_FALSE(load_upstreams(dir.path / "absent.yaml").ok());
}

TEST_CASE("gateway config: hostile YAML is an error, never a crash", "[gateway][config]") {
  // Deep nesting, in flow and block style.
  CHECK_FALSE(parse_gateway_config(std::string(100000, '[') + std::string(100000, ']'), "/").ok());
  CHECK_FALSE(parse_gateway_config("plugins: [{name: a, config: {a: " + std::string(50000, '{') +
                                       std::string(50000, '}') + "}}]",
                                   "/")
                  .ok());
  std::string block = "a:\n";
  for (int i = 1; i < 3000; ++i) block += std::string(i, ' ') + "a:\n";
  CHECK_FALSE(parse_gateway_config(block, "/").ok());
  // Billion laughs inside a plugin's free-form config: bounded, then refused.
  std::string laughs = "x0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
  for (int i = 1; i < 9; ++i) {
    laughs += "x" + std::to_string(i) + ": &a" + std::to_string(i) + " [";
    for (int j = 0; j < 10; ++j)
      laughs += std::string(j ? ", " : "") + "*a" + std::to_string(i - 1);
    laughs += "]\n";
  }
  std::string indented;
  for (size_t start = 0; start < laughs.size();) {
    const size_t end = laughs.find('\n', start);
    indented += "      " + laughs.substr(start, end - start + 1);
    start = end + 1;
  }
  CHECK(error_of("plugins:\n  - name: a\n    config:\n" + indented) ==
        "plugins[0].config: too large (more than 100000 values)");
  // Odd scalars, tags, anchors, binary bytes, NULs.
  for (const std::string& yaml :
       {std::string("listen: !!binary aGVsbG8="), std::string("threads: &t 4\nidl_dir: *t"),
        std::string("listen: *undefined"), std::string("\xff\xfe\x00\x01", 4),
        std::string("threads: \"\\0\""), std::string("? |\n  a\n: b"), std::string(":"),
        std::string("upstreams: {p: ~}"), std::string("upstreams: {~: {endpoints: [\"a:1\"]}}"),
        std::string("plugins: [~]"), std::string("auth: {timestamp_window_s: [[]]}"),
        std::string("%YAML 1.2\n---\nlisten: \"a:1\"\n"), std::string("listen: \"a:1\"\n...\n"),
        std::string("\t- x"), std::string("'"), std::string("{"), std::string("!<tag> x")}) {
    INFO(yaml);
    auto config = parse_gateway_config(yaml, "/");
    if (!config) CHECK_FALSE(config.error().message.empty());
  }
  // Random mutations of a valid file: each either parses or fails with one line.
  const std::string valid = std::string(R"(listen: "0.0.0.0:9090"
auth: {timestamp_window_s: 60, nonce_store: memory}
limits: {max_body_bytes: 2048}
plugins:
  - {name: rate-limit, svc: [payment], config: {per_merchant: {rate: 1, burst: 2}}}
)") + kPayment;
  std::mt19937 random(20261201);
  const std::string alphabet = "{}[]:,-&*!|>'\"#%@` \n\t0123456789abcxyz\\~?";
  int errors = 0;
  for (int round = 0; round < 3000; ++round) {
    std::string mutated = valid;
    const int edits = 1 + static_cast<int>(random() % 4);
    for (int e = 0; e < edits; ++e) {
      const size_t at = random() % mutated.size();
      switch (random() % 3) {
        case 0:
          mutated[at] = alphabet[random() % alphabet.size()];
          break;
        case 1:
          mutated.insert(at, 1, alphabet[random() % alphabet.size()]);
          break;
        default:
          mutated.erase(at, 1);
      }
    }
    auto config = parse_gateway_config(mutated, "/");
    auto upstreams = parse_upstreams(mutated);
    if (!config) {
      ++errors;
      const std::string& message = config.error().message;
      INFO(mutated);
      CHECK(message.find('\n') == std::string::npos);
      CHECK(message.find(": ") != std::string::npos);
    }
    (void)upstreams;
  }
  CHECK(errors > 100);  // the mutations did reach the error paths
}
