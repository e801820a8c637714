#pragma once
// Runs the real opp-payment binary for tests: a temporary directory with its config and
// SQLite database (or a schema of its own on the test PostgreSQL when the run asks for it,
// OPP_TEST_DATABASE=postgresql), an ephemeral loopback port read from its "listening on"
// line, and Thrift clients generated from idl/payment.thrift.

#include <sys/types.h>

#include <filesystem>
#include <memory>
#include <string>

#include "PaymentSvc.h"
#include "test_postgres.hpp"

namespace apache::thrift::transport {
class TTransport;
}
namespace soci {
class session;
}

namespace opp::payment::testing {

namespace gen = ::opp::payment::thrift;

/// A connected PaymentSvc client; closes its connection when destroyed.
struct PaymentClient {
  std::shared_ptr<apache::thrift::transport::TTransport> transport;
  std::unique_ptr<gen::PaymentSvcClient> svc;
  PaymentClient() = default;
  PaymentClient(PaymentClient&&) = default;
  ~PaymentClient();
  gen::PaymentSvcClient* operator->() { return svc.get(); }
};

class PaymentServerProcess {
 public:
  struct Options {
    std::string transport = "framed";
    std::string protocol = "binary";
    int workers = 4;
    /// Empty: the run's database (data/payment.db, or a fresh PostgreSQL schema).
    std::string database = {};
    /// Working directory of the process; empty = the configuration's directory.
    std::filesystem::path cwd = {};
    /// YAML lines appended to payment.yaml.
    std::string extra_config = {};
  };

  /// A server on a new temporary directory.
  explicit PaymentServerProcess(Options options);
  PaymentServerProcess() : PaymentServerProcess(Options{}) {}
  ~PaymentServerProcess();

  /// Starts the binary and waits for its "listening on" line (throws if it exits first).
  void start();
  /// SIGTERM, then waits; returns the exit code (or 128 + signal).
  int stop();
  /// SIGKILL, then waits for the process to be gone.
  void kill_hard();

  int port() const { return port_; }
  const std::filesystem::path& dir() const { return dir_; }
  std::filesystem::path database_file() const { return dir_ / "data" / "payment.db"; }
  bool on_postgres() const;
  /// A connection of the test's own to the server's database, to look at or set up rows.
  std::unique_ptr<soci::session> sql() const;
  /// A connection holding the lock every order write needs (SQLite's write lock, or the
  /// orders table on PostgreSQL) until it rolls back: writes wait inside the server.
  std::unique_ptr<soci::session> hold_write_lock() const;
  std::filesystem::path log_file() const { return dir_ / "server.log"; }
  std::string log() const;

  PaymentClient connect() const;

 private:
  Options options_;
  std::unique_ptr<opp::test::PostgresSchema> postgres_;  ///< outlives the process
  std::filesystem::path dir_;
  pid_t pid_ = -1;
  int port_ = 0;
};

/// Runs `opp-payment args...` to completion; returns its exit code and captured output.
struct ProcessResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};
ProcessResult run_payment_binary(const std::vector<std::string>& args,
                                 const std::filesystem::path& cwd);

/// Today's UTC date as "YYYY-MM-DD", the form DownloadBill's bill_date takes.
std::string today_utc();

}  // namespace opp::payment::testing
