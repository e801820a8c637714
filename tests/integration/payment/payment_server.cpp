#include "payment_server.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <thrift/protocol/TBinaryProtocol.h>
#include <thrift/protocol/TCompactProtocol.h>
#include <thrift/transport/TBufferTransports.h>
#include <thrift/transport/TSocket.h>

#include <chrono>
#include <ctime>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <vector>

namespace opp::payment::testing {
namespace {

namespace at = ::apache::thrift;

std::filesystem::path fresh_dir() {
  std::random_device random;
  auto dir = std::filesystem::temp_directory_path() /
             ("opp-payment-it-" + std::to_string(random()) + std::to_string(random()));
  std::filesystem::create_directories(dir);
  return dir;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

/// fork + exec with stdout/stderr sent to files; returns the child's pid.
pid_t spawn(const std::vector<std::string>& args, const std::filesystem::path& cwd,
            const std::filesystem::path& out, const std::filesystem::path& err) {
  std::vector<char*> argv;
  std::string binary = OPP_PAYMENT_BINARY;
  argv.push_back(binary.data());
  std::vector<std::string> copies = args;
  for (auto& arg : copies) argv.push_back(arg.data());
  argv.push_back(nullptr);
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    const int out_fd = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int err_fd = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(out_fd, 1);
    dup2(err_fd, 2);
    close_range(3, ~0U, 0);  // none of the test's sockets: the test alone closes them
    if (chdir(cwd.c_str()) != 0) _exit(126);
    execv(binary.c_str(), argv.data());
    _exit(127);
  }
  return pid;
}

int wait_exit_code(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

}  // namespace

PaymentClient::~PaymentClient() {
  try {
    if (transport) transport->close();
  } catch (...) {
    // closing a dead connection is not a test failure
  }
}

PaymentServerProcess::PaymentServerProcess(Options options)
    : options_(std::move(options)), dir_(fresh_dir()) {
  if (options_.database.empty() && opp::test::postgres_requested()) {
    postgres_ = std::make_unique<opp::test::PostgresSchema>("opp_payment_it_");
    options_.database = postgres_->url();
  }
  if (options_.database.empty()) options_.database = "sqlite3://db=data/payment.db";
  std::ofstream(dir_ / "payment.yaml") << "listen: \"127.0.0.1:0\"\n"
                                       << "database: \"" << options_.database << "\"\n"
                                       << "workers: " << options_.workers << "\n"
                                       << "transport: " << options_.transport << "\n"
                                       << "protocol: " << options_.protocol << "\n"
                                       << "platform_private_key: \"conf/platform_key.pem\"\n"
                                       << options_.extra_config;
}

PaymentServerProcess::~PaymentServerProcess() {
  if (pid_ > 0) kill_hard();
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

void PaymentServerProcess::start() {
  const auto out = dir_ / "stdout.log";
  std::filesystem::remove(out);  // never read the previous run's port
  const auto cwd = options_.cwd.empty() ? dir_ : options_.cwd;
  pid_ = spawn({"--config", (dir_ / "payment.yaml").string()}, cwd, out, log_file());
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    const std::string text = read_file(out);
    const auto at = text.find("listening on 127.0.0.1:");
    const auto line_end = text.find('\n', at);
    if (at != std::string::npos && line_end != std::string::npos) {
      port_ = std::stoi(text.substr(at + 23, line_end - at - 23));
      return;
    }
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("opp-payment exited at start: " + log());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  throw std::runtime_error("opp-payment did not print its port: " + log());
}

int PaymentServerProcess::stop() {
  if (pid_ <= 0) return -1;
  kill(pid_, SIGTERM);
  const int code = wait_exit_code(pid_);
  pid_ = -1;
  return code;
}

void PaymentServerProcess::kill_hard() {
  if (pid_ <= 0) return;
  kill(pid_, SIGKILL);
  wait_exit_code(pid_);
  pid_ = -1;
}

std::string PaymentServerProcess::log() const {
  return read_file(log_file());
}

bool PaymentServerProcess::on_postgres() const {
  return options_.database.starts_with("postgresql://");
}

std::unique_ptr<soci::session> PaymentServerProcess::sql() const {
  auto target = opp::sql::parse_database_url(options_.database, dir_);
  if (!target) throw std::runtime_error(target.error().message);
  if (on_postgres()) return std::make_unique<soci::session>("postgresql", target->connect_string);
  return std::make_unique<soci::session>(soci::sqlite3, target->connect_string);
}

std::unique_ptr<soci::session> PaymentServerProcess::hold_write_lock() const {
  auto session = sql();
  if (on_postgres()) {
    *session << "BEGIN";
    *session << "LOCK TABLE orders IN EXCLUSIVE MODE";  // order reads pass, writes wait
  } else {
    *session << "BEGIN IMMEDIATE";
  }
  return session;
}

PaymentClient PaymentServerProcess::connect() const {
  PaymentClient client;
  auto socket = std::make_shared<at::transport::TSocket>("127.0.0.1", port_);
  socket->setRecvTimeout(20'000);
  if (options_.transport == "buffered") {
    client.transport = std::make_shared<at::transport::TBufferedTransport>(socket);
  } else {
    client.transport = std::make_shared<at::transport::TFramedTransport>(socket);
  }
  std::shared_ptr<at::protocol::TProtocol> protocol;
  if (options_.protocol == "compact") {
    protocol = std::make_shared<at::protocol::TCompactProtocol>(client.transport);
  } else {
    protocol = std::make_shared<at::protocol::TBinaryProtocol>(client.transport);
  }
  client.svc = std::make_unique<gen::PaymentSvcClient>(protocol);
  client.transport->open();
  return client;
}

ProcessResult run_payment_binary(const std::vector<std::string>& args,
                                 const std::filesystem::path& cwd) {
  const auto out = cwd / "run.out";
  const auto err = cwd / "run.err";
  ProcessResult result;
  result.exit_code = wait_exit_code(spawn(args, cwd, out, err));
  result.out = read_file(out);
  result.err = read_file(err);
  return result;
}

std::string today_utc() {
  const time_t now = time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char buffer[16];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%d", &utc);
  return buffer;
}

}  // namespace opp::payment::testing
