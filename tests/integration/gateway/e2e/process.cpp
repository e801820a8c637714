#include "process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <random>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace opp::gateway::e2e {
namespace {

std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

pid_t spawn(const std::string& binary, const std::vector<std::string>& args,
            const std::filesystem::path& cwd, const std::filesystem::path& out,
            const std::filesystem::path& err, const std::filesystem::path& in) {
  std::vector<std::string> copies = args;
  std::vector<char*> argv;
  std::string program = binary;
  argv.push_back(program.data());
  for (auto& arg : copies) argv.push_back(arg.data());
  argv.push_back(nullptr);
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    const int in_fd = in.empty() ? open("/dev/null", O_RDONLY) : open(in.c_str(), O_RDONLY);
    const int out_fd = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int err_fd = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(in_fd, 0);
    dup2(out_fd, 1);
    dup2(err_fd, 2);
    // Nothing else of the test's: a child holding a test client's socket would keep that
    // connection open after the test closed it (and a gateway draining it at SIGTERM).
    close_range(3, ~0U, 0);
    if (chdir(cwd.c_str()) != 0) _exit(126);
    execv(program.c_str(), argv.data());
    _exit(127);
  }
  return pid;
}

int decode_status(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

}  // namespace

Process::Process(std::string name, std::string binary, std::vector<std::string> args,
                 std::filesystem::path cwd)
    : name_(std::move(name)), out_(cwd / (name_ + ".out")), err_(cwd / (name_ + ".err")) {
  // A process started again under the same name must not be read through its
  // predecessor's files before the child truncates them (wait_listening would find the old
  // port).
  std::error_code ignored;
  std::filesystem::remove(out_, ignored);
  std::filesystem::remove(err_, ignored);
  pid_ = spawn(binary, args, cwd, out_, err_, {});
}

Process::~Process() {
  if (running()) {
    kill(pid_, SIGKILL);
    int status = 0;
    waitpid(pid_, &status, 0);
  }
}

bool Process::running() {
  if (exit_code_ != -1) return false;
  int status = 0;
  pid_t r = waitpid(pid_, &status, WNOHANG);
  if (r == pid_) {
    exit_code_ = decode_status(status);
    return false;
  }
  return true;
}

uint16_t Process::wait_listening(std::chrono::milliseconds wait) {
  return wait_port("listening on", wait);
}

uint16_t Process::wait_port(const std::string& prefix, std::chrono::milliseconds wait) {
  const std::regex kListening(prefix + R"( [^\s:]+:(\d+))");
  const auto deadline = std::chrono::steady_clock::now() + wait;
  while (std::chrono::steady_clock::now() < deadline) {
    std::smatch match;
    const std::string text = out();
    if (std::regex_search(text, match, kListening)) return uint16_t(std::stoi(match[1]));
    if (!running())
      throw std::runtime_error(name_ + " exited with " + std::to_string(exit_code_) + ": " + err());
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  throw std::runtime_error(name_ + " did not start listening: " + err());
}

void Process::signal(int signal_number) {
  if (running()) kill(pid_, signal_number);
}

int Process::wait_exit(std::chrono::milliseconds wait) {
  const auto deadline = std::chrono::steady_clock::now() + wait;
  while (running()) {
    if (std::chrono::steady_clock::now() >= deadline) return -1;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return exit_code_;
}

std::string Process::out() const {
  return slurp(out_);
}
std::string Process::err() const {
  return slurp(err_);
}

CommandResult run_command(const std::string& binary, const std::vector<std::string>& args,
                          const std::filesystem::path& cwd, const std::string& stdin_text) {
  static int counter = 0;
  const std::string base = "cmd-" + std::to_string(getpid()) + "-" + std::to_string(++counter);
  const auto out = cwd / (base + ".out"), err = cwd / (base + ".err"), in = cwd / (base + ".in");
  std::filesystem::path input;
  if (!stdin_text.empty()) {
    std::ofstream(in, std::ios::binary) << stdin_text;
    input = in;
  }
  const pid_t pid = spawn(binary, args, cwd, out, err, input);
  int status = 0;
  waitpid(pid, &status, 0);
  CommandResult result{decode_status(status), slurp(out), slurp(err)};
  std::error_code ec;
  std::filesystem::remove(out, ec);
  std::filesystem::remove(err, ec);
  std::filesystem::remove(in, ec);
  return result;
}

TempDir::TempDir(const std::string& prefix) {
  std::random_device random;
  path_ = std::filesystem::temp_directory_path() /
          (prefix + std::to_string(random()) + std::to_string(random()));
  std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

void TempDir::write(const std::string& name, const std::string& text) const {
  std::filesystem::create_directories((path_ / name).parent_path());
  std::ofstream(path_ / name, std::ios::binary | std::ios::trunc) << text;
}

}  // namespace opp::gateway::e2e
