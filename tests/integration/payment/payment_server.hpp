#pragma once
// Runs the real opp-payment binary for tests: a temporary directory with its config and
// SQLite database, an ephemeral loopback port read from its "listening on" line, and
// Thrift clients generated from idl/payment.thrift.

#include <sys/types.h>

#include <filesystem>
#include <memory>
#include <string>

#include "PaymentSvc.h"

namespace apache::thrift::transport {
class TTransport;
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
    std::string database = "sqlite3://db=data/payment.db";
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
  std::filesystem::path log_file() const { return dir_ / "server.log"; }
  std::string log() const;

  PaymentClient connect() const;

 private:
  Options options_;
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
