// `opp-admin` as an operator runs it (SPEC §3.4): every command and every error against
// a temporary SQLite database, with exit codes, and changes that a running cache sees.
#include <sys/wait.h>

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdlib>
#include <thread>

#include "gateway/auth/merchant_cache.hpp"
#include "gateway/auth/merchant_store.hpp"
#include "gateway_test_support.hpp"

using opp::gateway::testing::read_file;
using opp::gateway::testing::TempDir;

namespace {

struct Run {
  int exit_code = -1;
  std::string out;
  std::string err;
};

/// Single-quotes `text` for /bin/sh.
std::string shell_quote(const std::string& text) {
  std::string quoted = "'";
  for (char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

/// A gateway directory with a config whose database and key file live inside it.
struct Workspace {
  TempDir dir;
  std::string config;
  Workspace() {
    config = dir.write("conf/gateway.yaml",
                       "database: \"sqlite3://db=../data/gateway.db\"\n"
                       "auth: {secret_key: \"keys/secret_kek.bin\"}\n");
  }
  std::filesystem::path database() const { return dir.path / "data" / "gateway.db"; }
  std::filesystem::path kek() const { return dir.path / "conf" / "keys" / "secret_kek.bin"; }

  /// Runs opp-admin with `args` (each quoted), `input` on stdin, in this directory.
  Run run(const std::vector<std::string>& args, const std::string& input = "") const {
    const std::string in = dir.write("stdin.txt", input);
    std::string command = "cd " + shell_quote(dir.path.string()) + " && " + OPP_ADMIN_BINARY;
    for (const std::string& arg : args) command += " " + shell_quote(arg);
    command += " <" + shell_quote(in) + " >" + shell_quote((dir.path / "out.txt").string()) +
               " 2>" + shell_quote((dir.path / "err.txt").string());
    const int status = std::system(command.c_str());
    Run r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = read_file(dir.path / "out.txt");
    r.err = read_file(dir.path / "err.txt");
    return r;
  }
  /// opp-admin --config <this config> merchant <args...>
  Run merchant(std::vector<std::string> args, const std::string& input = "") const {
    args.insert(args.begin(), {"--config", config, "merchant"});
    return run(args, input);
  }
};

std::string testdata(const std::string& name) {
  return std::string(OPP_SOURCE_DIR) + "/tests/unit/crypto/testdata/" + name;
}

/// The rows of `merchant list` after its header.
std::vector<std::string> list_rows(const Workspace& ws) {
  Run listed = ws.merchant({"list"});
  REQUIRE(listed.exit_code == 0);
  std::vector<std::string> rows;
  size_t start = listed.out.find('\n') + 1;
  while (start < listed.out.size()) {
    const size_t end = listed.out.find('\n', start);
    rows.push_back(listed.out.substr(start, end - start));
    start = end + 1;
  }
  return rows;
}

/// A one-line error on stderr with the given exit code, nothing on stdout.
void check_failure(const Run& run, int exit_code, const std::string& message) {
  INFO("stderr: " << run.err);
  CHECK(run.exit_code == exit_code);
  CHECK(run.out.empty());
  CHECK(run.err.find(message) != std::string::npos);
  if (exit_code == 1) CHECK(run.err == "opp-admin: " + message + "\n");
}

}  // namespace

TEST_CASE("opp-admin: --help, --version, usage errors exit 2", "[gateway][admin]") {
  Workspace ws;
  Run help = ws.run({"--help"});
  CHECK(help.exit_code == 0);
  CHECK(help.out.starts_with("usage: opp-admin [--config FILE] merchant <command>"));
  CHECK(help.out.find("merchant rotate") != std::string::npos);
  Run version = ws.run({"--version"});
  CHECK(version.exit_code == 0);
  CHECK(version.out == std::string("opp-admin ") + OPP_VERSION + "\n");

  const std::vector<std::pair<std::vector<std::string>, std::string>> usage_errors = {
      {{}, "missing command"},
      {{"shop"}, "unknown command 'shop'"},
      {{"merchant"}, "merchant needs a command"},
      {{"merchant", "delete"}, "unknown merchant command 'delete'"},
      {{"merchant", "list", "extra"}, "unexpected argument 'extra'"},
      {{"merchant", "list", "--id", "M1"}, "merchant list takes no --id"},
      {{"merchant", "add", "--sign-type", "HMAC-SHA256", "--secret", "s"},
       "merchant add needs --id"},
      {{"merchant", "add", "--id", "M1", "--secret", "s"}, "merchant add needs --sign-type"},
      {{"merchant", "add", "--id", "M1", "--sign-type", "HMAC-SHA256"},
       "needs exactly one of --secret, --secret-file, --public-key"},
      {{"merchant", "add", "--id", "M1", "--sign-type", "RSA2", "--secret", "s", "--public-key",
        "k.pem"},
       "needs exactly one of --secret, --secret-file, --public-key"},
      {{"merchant", "add", "--id", "M1", "--id", "M2"}, "option --id given twice"},
      {{"merchant", "enable"}, "merchant enable needs --id"},
      {{"merchant", "disable", "--id"}, "option --id needs a value"},
      {{"merchant", "rotate", "--id", "M1", "--secret", "--id"}, "option --secret needs a value"},
      {{"merchant", "list", "--verbose"}, "unknown option '--verbose'"},
      {{"--config"}, "option --config needs a value"},
      {{"merchant", "add", "--id", "M1", "--sign-type", "MD5", "--secret", "s"},
       "unsupported sign type 'MD5' (HMAC-SHA256, HMAC-SM3 or RSA2)"},
  };
  for (const auto& [args, message] : usage_errors) {
    std::vector<std::string> with_config = {"--config", ws.config};
    with_config.insert(with_config.end(), args.begin(), args.end());
    Run r = ws.run(with_config);
    INFO("args: " << Catch::Detail::stringify(args));
    check_failure(r, 2, message);
    CHECK(r.err.starts_with("opp-admin: "));
  }
  // Usage errors are found before anything is created.
  CHECK_FALSE(std::filesystem::exists(ws.database()));
}

TEST_CASE("opp-admin: a bad config is one line naming the key, exit 2", "[gateway][admin]") {
  Workspace ws;
  const std::string bad = ws.dir.write("bad.yaml", "http:\n  idle_timeot_ms: 5\n");
  Run r = ws.run({"--config", bad, "merchant", "list"});
  CHECK(r.exit_code == 2);
  CHECK(r.err == "opp-admin: http.idle_timeot_ms: unknown key\n");
  const std::string bad_db = ws.dir.write("bad_db.yaml", "database: \"mysql://x\"\n");
  CHECK(ws.run({"--config", bad_db, "merchant", "list"}).err ==
        "opp-admin: database: expected sqlite3://db=PATH or postgresql://...\n");
  Run missing = ws.run({"--config", (ws.dir.path / "absent.yaml").string(), "merchant", "list"});
  CHECK(missing.exit_code == 2);
  CHECK(missing.err.starts_with("opp-admin: config: cannot read "));
}

TEST_CASE("opp-admin: every merchant command against a fresh database", "[gateway][admin]") {
  Workspace ws;
  // Works before any gateway ever ran: schema and key file are created.
  Run empty = ws.merchant({"list"});
  CHECK(empty.exit_code == 0);
  CHECK(empty.out == "ID  SIGN_TYPE    ENABLED  KEY_VERSION  UPDATED_AT\n");
  CHECK(std::filesystem::exists(ws.database()));
  CHECK(std::filesystem::file_size(ws.kek()) == 32);

  Run add =
      ws.merchant({"add", "--id", "M1", "--sign-type", "HMAC-SHA256", "--secret", "s3cret-1"});
  CHECK(add.exit_code == 0);
  CHECK(add.out == "added merchant M1 (HMAC-SHA256, key version 1)\n");
  CHECK(add.err.empty());
  const std::string secret_file = ws.dir.write("sm3.secret", "file-secret\n");
  CHECK(ws.merchant(
              {"add", "--id", "SM3_shop", "--sign-type", "HMAC-SM3", "--secret-file", secret_file})
            .out == "added merchant SM3_shop (HMAC-SM3, key version 1)\n");
  CHECK(ws.merchant({"add", "--id=stdin-shop", "--sign-type=HMAC-SHA256", "--secret", "-"},
                    "piped-secret\n")
            .exit_code == 0);
  CHECK(ws.merchant({"add", "--id", "R1", "--sign-type", "RSA2", "--public-key",
                     testdata("pub_spki.pem")})
            .out == "added merchant R1 (RSA2, key version 1)\n");

  auto rows = list_rows(ws);
  REQUIRE(rows.size() == 4);
  CHECK(rows[0].starts_with("M1          HMAC-SHA256  yes      1            20"));
  CHECK(rows[1].starts_with("R1          RSA2         yes      1            "));
  CHECK(rows[2].starts_with("SM3_shop    HMAC-SM3     yes      1            "));
  CHECK(rows[3].starts_with("stdin-shop  HMAC-SHA256  yes      1            "));
  CHECK(rows[0].ends_with("Z"));
  const std::string listing = ws.merchant({"list"}).out;
  CHECK(listing.find("s3cret") == std::string::npos);
  CHECK(listing.find("file-secret") == std::string::npos);

  CHECK(ws.merchant({"disable", "--id", "M1"}).out == "disabled merchant M1\n");
  CHECK(list_rows(ws)[0].starts_with("M1          HMAC-SHA256  no       1"));
  CHECK(ws.merchant({"enable", "--id", "M1"}).out == "enabled merchant M1\n");
  CHECK(list_rows(ws)[0].starts_with("M1          HMAC-SHA256  yes      1"));
  CHECK(ws.merchant({"rotate", "--id", "M1", "--secret", "s3cret-2"}).out ==
        "rotated merchant M1 to key version 2 (HMAC-SHA256)\n");
  CHECK(ws.merchant({"rotate", "--id", "R1", "--public-key", testdata("pub_pkcs1.pem")}).out ==
        "rotated merchant R1 to key version 2 (RSA2)\n");
  CHECK(ws.merchant({"rotate", "--id", "SM3_shop", "--sign-type", "HMAC-SHA256", "--secret", "-"},
                    "new\r\n")
            .out == "rotated merchant SM3_shop to key version 2 (HMAC-SHA256)\n");
  rows = list_rows(ws);
  CHECK(rows[0].starts_with("M1          HMAC-SHA256  yes      2"));
  CHECK(rows[1].starts_with("R1          RSA2         yes      2"));
  CHECK(rows[2].starts_with("SM3_shop    HMAC-SHA256  yes      2"));

  // The keys stored are the ones given (line ends of files and stdin dropped), and the
  // database file holds none of the secrets.
  auto store =
      opp::gateway::auth::MerchantStore::open("sqlite3://db=" + ws.database().string(), ws.kek())
          .value();
  std::map<std::string, std::string> keys;
  const auto changes = store->changed_since(0).value();
  for (const auto& change : changes) keys[change.info.id] = change.key_material.value();
  CHECK(keys["M1"] == "s3cret-2");
  CHECK(keys["stdin-shop"] == "piped-secret");
  CHECK(keys["SM3_shop"] == "new");
  CHECK(keys["R1"] == read_file(testdata("pub_spki.pem")));
  const std::string db_bytes =
      read_file(ws.database()) + read_file(ws.database().string() + "-wal");
  for (const char* secret : {"s3cret-1", "s3cret-2", "piped-secret", "file-secret"}) {
    CHECK(db_bytes.find(secret) == std::string::npos);
  }
}

TEST_CASE("opp-admin: operation errors are one line, exit 1", "[gateway][admin]") {
  Workspace ws;
  REQUIRE(
      ws.merchant({"add", "--id", "M1", "--sign-type", "HMAC-SHA256", "--secret", "s"}).exit_code ==
      0);
  REQUIRE(ws.merchant({"add", "--id", "R1", "--sign-type", "RSA2", "--public-key",
                       testdata("pub_spki.pem")})
              .exit_code == 0);
  check_failure(ws.merchant({"add", "--id", "M1", "--sign-type", "HMAC-SM3", "--secret", "x"}), 1,
                "a merchant with id M1 already exists");
  check_failure(ws.merchant({"disable", "--id", "nobody"}), 1, "no merchant with id nobody");
  check_failure(ws.merchant({"enable", "--id", "nobody"}), 1, "no merchant with id nobody");
  check_failure(ws.merchant({"rotate", "--id", "nobody", "--secret", "x"}), 1,
                "no merchant with id nobody");
  check_failure(
      ws.merchant({"add", "--id", "bad id!", "--sign-type", "HMAC-SHA256", "--secret", "x"}), 1,
      "merchant id must be 1-64 characters of A-Z a-z 0-9 _ -");
  check_failure(ws.merchant({"add", "--id", std::string(65, 'a'), "--sign-type", "HMAC-SHA256",
                             "--secret", "x"}),
                1, "merchant id must be 1-64 characters of A-Z a-z 0-9 _ -");
  check_failure(ws.merchant({"disable", "--id", "a/b"}), 1,
                "merchant id must be 1-64 characters of A-Z a-z 0-9 _ -");
  check_failure(ws.merchant({"add", "--id", "M2", "--sign-type", "RSA2", "--secret", "x"}), 1,
                "sign type RSA2 takes an RSA public key, not a secret");
  check_failure(ws.merchant({"add", "--id", "M2", "--sign-type", "HMAC-SHA256", "--public-key",
                             testdata("pub_spki.pem")}),
                1, "sign type HMAC-SHA256 takes a secret, not a public key");
  check_failure(ws.merchant({"rotate", "--id", "M1", "--public-key", testdata("pub_spki.pem")}), 1,
                "sign type HMAC-SHA256 takes a secret, not a public key");
  check_failure(ws.merchant({"rotate", "--id", "R1", "--secret", "x"}), 1,
                "sign type RSA2 takes an RSA public key, not a secret");
  check_failure(ws.merchant({"add", "--id", "R2", "--sign-type", "RSA2", "--public-key",
                             testdata("small_pub.pem")}),
                1, "RSA keys must have at least 2048 bits");
  check_failure(ws.merchant({"add", "--id", "R2", "--sign-type", "RSA2", "--public-key",
                             testdata("rsa2_message.txt")}),
                1, "not a PEM RSA public key (or an encrypted one)");
  check_failure(ws.merchant({"add", "--id", "M2", "--sign-type", "HMAC-SHA256", "--secret", ""}), 1,
                "the secret must not be empty");
  check_failure(
      ws.merchant({"add", "--id", "M2", "--sign-type", "HMAC-SHA256", "--secret", "-"}, "\n"), 1,
      "the secret must not be empty");
  check_failure(
      ws.merchant({"rotate", "--id", "M1", "--secret-file", ws.dir.write("empty.secret", "")}), 1,
      "the secret must not be empty");
  const std::string absent = (ws.dir.path / "absent.secret").string();
  check_failure(
      ws.merchant({"add", "--id", "M2", "--sign-type", "HMAC-SHA256", "--secret-file", absent}), 1,
      "cannot read secret file " + absent);
  check_failure(ws.merchant({"add", "--id", "R3", "--sign-type", "RSA2", "--public-key", absent}),
                1, "cannot read public key file " + absent);
  check_failure(ws.merchant({"add", "--id", "M2", "--sign-type", "HMAC-SHA256", "--secret", "-"},
                            std::string(5000, 's')),
                1, "the secret must be at most 4096 bytes");
  // None of it changed anything.
  auto rows = list_rows(ws);
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].starts_with("M1  HMAC-SHA256  yes      1"));
  CHECK(rows[1].starts_with("R1  RSA2         yes      1"));

  // A key file that is not the one the database was sealed with.
  std::filesystem::remove(ws.kek());
  std::ofstream(ws.kek(), std::ios::binary) << std::string(32, 'x');
  Run mismatch = ws.merchant({"list"});
  CHECK(mismatch.exit_code == 1);
  CHECK(
      mismatch.err.starts_with("opp-admin: cannot open the merchant database: the secret key "
                               "file does not hold the key"));
}

TEST_CASE("opp-admin: without --config, defaults relative to the current directory",
          "[gateway][admin]") {
  Workspace ws;
  Run r = ws.run({"merchant", "add", "--id", "D1", "--sign-type", "HMAC-SM3", "--secret", "d"});
  CHECK(r.exit_code == 0);
  CHECK(std::filesystem::exists(ws.dir.path / "data" / "gateway.db"));
  CHECK(std::filesystem::file_size(ws.dir.path / "conf" / "secret_kek.bin") == 32);
  CHECK(ws.run({"merchant", "list"}).out.find("D1") != std::string::npos);
}

TEST_CASE("opp-admin: a running cache sees its changes within 2 s", "[gateway][admin]") {
  Workspace ws;
  REQUIRE(ws.merchant({"add", "--id", "LIVE", "--sign-type", "HMAC-SHA256", "--secret", "one"})
              .exit_code == 0);
  auto store =
      opp::gateway::auth::MerchantStore::open("sqlite3://db=" + ws.database().string(), ws.kek())
          .value();
  auto cache = opp::gateway::auth::MerchantCache::create(*store).value();  // default interval
  cache->start();
  const auto secret = [&] {
    auto merchant = cache->find("LIVE");
    return merchant ? std::get<opp::crypto::HmacSecret>(merchant->verify_key).bytes : "";
  };
  const auto within_2s = [&](auto&& condition) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    while (!condition() && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return condition();
  };
  CHECK(secret() == "one");
  REQUIRE(ws.merchant({"rotate", "--id", "LIVE", "--secret", "two"}).exit_code == 0);
  CHECK(within_2s([&] { return secret() == "two"; }));
  REQUIRE(ws.merchant({"disable", "--id", "LIVE"}).exit_code == 0);
  CHECK(within_2s([&] { return !cache->find("LIVE")->enabled; }));
  REQUIRE(
      ws.merchant({"add", "--id", "NEW", "--sign-type", "HMAC-SM3", "--secret", "n"}).exit_code ==
      0);
  CHECK(within_2s([&] { return cache->find("NEW") != nullptr; }));
  cache->stop();
}
