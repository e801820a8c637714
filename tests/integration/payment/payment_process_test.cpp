// The opp-payment process: command line, configuration errors, first start (database,
// schema and platform key created next to the config), transports, clean stop (also with
// a call in flight), and durability of acknowledged orders across kill -9.
#include <catch2/catch.hpp>

#include <soci/soci.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <future>
#include <random>
#include <thread>

#include "payment_server.hpp"
#include "postgres_target.hpp"

using namespace opp::payment::testing;

namespace {

gen::QRPayReq qr_req(const std::string& no) {
  gen::QRPayReq req;
  req.__set_merchant_id("m1");
  req.__set_out_order_no(no);
  req.__set_total_amount(42);
  req.__set_auth_code("6212345678901234");
  return req;
}

/// A directory of its own per test (ctest runs test cases in parallel), removed after.
struct ScratchDir {
  ScratchDir() {
    std::random_device random;
    path = std::filesystem::temp_directory_path() /
           ("opp-payment-cli-" + std::to_string(random()) + std::to_string(random()));
    std::filesystem::create_directories(path);
  }
  ~ScratchDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
  }
  std::filesystem::path path;
};

}  // namespace

TEST_CASE("payment: opp-payment --help and --version", "[payment][integration]") {
  ScratchDir dir;
  const auto help = run_payment_binary({"--help"}, dir.path);
  CHECK(help.exit_code == 0);
  CHECK(help.out.find("--config FILE") != std::string::npos);
  const auto version = run_payment_binary({"--version"}, dir.path);
  CHECK(version.exit_code == 0);
  CHECK(version.out.starts_with("opp-payment "));
  const auto unknown = run_payment_binary({"--frobnicate"}, dir.path);
  CHECK(unknown.exit_code == 2);
  CHECK(unknown.err == "opp-payment: unknown argument '--frobnicate' (see --help)\n");
}

TEST_CASE("payment: a bad config is one line naming the key, exit 2", "[payment][integration]") {
  ScratchDir dir;
  const auto file = dir.path / "bad.yaml";
  std::ofstream(file) << "listen: \"127.0.0.1:0\"\nworkers: -3\n";
  const auto bad = run_payment_binary({"--config", file.string()}, dir.path);
  CHECK(bad.exit_code == 2);
  CHECK(bad.err == "opp-payment: config error: workers: expected an integer 1..1024, got \"-3\"\n");
  const auto missing =
      run_payment_binary({"--config", (dir.path / "none.yaml").string()}, dir.path);
  CHECK(missing.exit_code == 2);
  CHECK(missing.err.find("config error: config: cannot read") != std::string::npos);
  // Shapes yaml-cpp cannot turn into a key name must not crash the program.
  std::ofstream(file) << "[listen]: 1\n";
  const auto odd_key = run_payment_binary({"--config", file.string()}, dir.path);
  CHECK(odd_key.exit_code == 2);
  CHECK(odd_key.err == "opp-payment: config error: config: keys must be plain names\n");
  std::ofstream(file) << "? |\n  two\n  lines\n: 1\n";
  const auto multi_line = run_payment_binary({"--config", file.string()}, dir.path);
  CHECK(multi_line.exit_code == 2);
  CHECK(std::count(multi_line.err.begin(), multi_line.err.end(), '\n') == 1);
}

TEST_CASE("payment: a notify_ca_file that cannot be used is one line, exit 2",
          "[payment][integration]") {
  ScratchDir dir;
  const auto file = dir.path / "payment.yaml";
  std::ofstream(file) << "listen: \"127.0.0.1:0\"\nnotify_ca_file: conf/extra-ca.pem\n";
  const auto missing = run_payment_binary({"--config", file.string()}, dir.path);
  CHECK(missing.exit_code == 2);
  CHECK(missing.err == "opp-payment: config error: notify_ca_file: cannot use " +
                           (dir.path / "conf/extra-ca.pem").string() +
                           ": No such file or directory\n");
  std::filesystem::create_directories(dir.path / "conf");
  std::ofstream(dir.path / "conf/extra-ca.pem") << "no certificate here\n";
  const auto junk = run_payment_binary({"--config", file.string()}, dir.path);
  CHECK(junk.exit_code == 2);
  CHECK(junk.err.starts_with("opp-payment: config error: notify_ca_file: cannot use " +
                             (dir.path / "conf/extra-ca.pem").string() +
                             ": no PEM certificate loaded ("));
  CHECK(std::count(junk.err.begin(), junk.err.end(), '\n') == 1);
}

TEST_CASE("payment: first start creates the database, schema and platform key next to the config",
          "[payment][integration]") {
  ScratchDir elsewhere;  // the working directory: relative paths must not land here
  PaymentServerProcess::Options options;
  options.cwd = elsewhere.path;
  PaymentServerProcess server(options);
  server.start();
  const auto key_file = server.dir() / "conf" / "platform_key.pem";
  if (server.on_postgres()) {
    int applied = 0;  // the schema's migrations, applied at start
    *server.sql() << "SELECT COUNT(*) FROM schema_version", soci::into(applied);
    CHECK(applied >= 1);
  } else {
    CHECK(std::filesystem::exists(server.database_file()));
  }
  REQUIRE(std::filesystem::exists(key_file));
  std::ifstream key_in(key_file);
  const std::string key((std::istreambuf_iterator<char>(key_in)), {});
  CHECK(key.starts_with("-----BEGIN"));
  CHECK(key.find("PRIVATE KEY-----") != std::string::npos);
  CHECK(std::filesystem::is_empty(elsewhere.path));
  {
    auto client = server.connect();
    gen::QRPayResp paid;
    client->QRPay(paid, qr_req("first"));
    CHECK(paid.order_status == 1);
  }
  REQUIRE(server.stop() == 0);

  server.start();  // the second start reuses both: same key, same orders
  std::ifstream again_in(key_file);
  CHECK(std::string((std::istreambuf_iterator<char>(again_in)), {}) == key);
  auto client = server.connect();
  gen::QueryOrderReq query;
  query.__set_merchant_id("m1");
  query.__set_out_order_no("first");
  gen::QueryOrderResp order;
  client->QueryOrder(order, query);
  CHECK(order.order_status == 1);
  CHECK(server.stop() == 0);
}

TEST_CASE("payment: buffered transport with the compact protocol", "[payment][integration]") {
  PaymentServerProcess server({"buffered", "compact", 2});
  server.start();
  auto client = server.connect();
  gen::QRPayResp paid;
  client->QRPay(paid, qr_req("c1"));
  CHECK(paid.order_status == 1);
  CHECK(paid.pay_way == "unionpay");
  CHECK(server.stop() == 0);  // with the client still connected
}

TEST_CASE("payment: SIGTERM stops the server cleanly with exit 0", "[payment][integration]") {
  PaymentServerProcess server;
  server.start();
  auto idle = server.connect();  // stays connected through the stop
  {
    auto client = server.connect();
    gen::QRPayResp paid;
    client->QRPay(paid, qr_req("s1"));
  }
  CHECK(server.stop() == 0);
  INFO(server.log());
  CHECK(server.log().find("stopping") != std::string::npos);
}

TEST_CASE("payment: SIGTERM lets a call in flight finish and answer", "[payment][integration]") {
  for (const char* transport : {"framed", "buffered"}) {
    INFO(transport);
    PaymentServerProcess::Options options;
    options.transport = transport;
    PaymentServerProcess server(options);
    server.start();
    auto client = server.connect();
    // Hold the write lock so the call waits inside the server (SQLite: busy timeout 15 s).
    auto lock = server.hold_write_lock();
    auto call = std::async(std::launch::async, [&] {
      gen::QRPayResp paid;
      client->QRPay(paid, qr_req("in-flight"));
      return paid;
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(300));  // the call is waiting
    auto stopped = std::async(std::launch::async, [&] { return server.stop(); });
    std::this_thread::sleep_for(std::chrono::milliseconds(300));  // SIGTERM is delivered
    *lock << "ROLLBACK";
    CHECK(call.get().order_status == 1);
    CHECK(stopped.get() == 0);
  }
}

TEST_CASE("payment: acknowledged orders survive kill -9", "[payment][integration]") {
  PaymentServerProcess server({"framed", "binary", 4});
  server.start();
  constexpr int kOrders = 200;
  {
    auto client = server.connect();
    for (int i = 0; i < kOrders; ++i) {
      gen::QRPayResp paid;
      client->QRPay(paid, qr_req("k" + std::to_string(i)));
      REQUIRE(paid.order_status == 1);
    }
  }
  server.kill_hard();  // right after the last acknowledgement
  server.start();      // same directory, same database
  auto client = server.connect();
  int present = 0;
  for (int i = 0; i < kOrders; ++i) {
    gen::QueryOrderReq query;
    query.__set_merchant_id("m1");
    query.__set_out_order_no("k" + std::to_string(i));
    gen::QueryOrderResp order;
    client->QueryOrder(order, query);
    if (order.order_status == 1 && order.total_amount == 42) ++present;
  }
  CHECK(present == kOrders);
}

TEST_CASE("payment: a port already in use is a start-up error, exit 1", "[payment][integration]") {
  PaymentServerProcess first;
  first.start();
  ScratchDir dir;
  const auto file = dir.path / "taken.yaml";
  std::ofstream(file) << "listen: \"127.0.0.1:" << first.port() << "\"\n"
                      << "database: \"sqlite3://db=taken/payment.db\"\n";
  const auto second = run_payment_binary({"--config", file.string()}, dir.path);
  CHECK(second.exit_code == 1);
  CHECK(second.err.find("opp-payment: listen 127.0.0.1:" + std::to_string(first.port()) + ": ") !=
        std::string::npos);
  CHECK(second.out.find("listening on") == std::string::npos);
}

TEST_CASE("payment: opp-payment on PostgreSQL keeps acknowledged orders across kill -9",
          "[payment][integration]") {
  OPP_POSTGRES_URL_OR_SKIP(url);
  PaymentServerProcess server({"framed", "binary", 4, url});
  server.start();
  const std::string prefix = "pg" + std::to_string(std::time(nullptr)) + "-";
  {
    auto client = server.connect();
    for (int i = 0; i < 20; ++i) {
      gen::QRPayResp paid;
      client->QRPay(paid, qr_req(prefix + std::to_string(i)));
      REQUIRE(paid.order_status == 1);
    }
  }
  server.kill_hard();
  server.start();
  auto client = server.connect();
  for (int i = 0; i < 20; ++i) {
    gen::QueryOrderReq query;
    query.__set_merchant_id("m1");
    query.__set_out_order_no(prefix + std::to_string(i));
    gen::QueryOrderResp order;
    client->QueryOrder(order, query);
    CHECK(order.order_status == 1);
  }
  CHECK(server.stop() == 0);
}

TEST_CASE("payment: an unreachable database is one start-up error line, exit 1",
          "[payment][integration]") {
  ScratchDir dir;
  const auto file = dir.path / "pg.yaml";
  // Port 1 on loopback: nothing listens there.
  std::ofstream(file) << "listen: \"127.0.0.1:0\"\n"
                      << "database: \"postgresql://host=127.0.0.1 port=1 dbname=x user=x "
                         "connect_timeout=2\"\n";
  const auto result = run_payment_binary({"--config", file.string()}, dir.path);
  CHECK(result.exit_code == 1);
  CHECK(result.err.starts_with("opp-payment: "));
  CHECK(result.err.find("port 1 failed") != std::string::npos);
  CHECK(std::count(result.err.begin(), result.err.end(), '\n') == 1);
  CHECK(result.out.empty());
}
