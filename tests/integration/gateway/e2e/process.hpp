#pragma once
// A child process for end-to-end tests: started with its output in files, waited for
// until it prints "listening on HOST:PORT", signalled and reaped.

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace opp::gateway::e2e {

class Process {
 public:
  /// Starts `binary args...` in `cwd`; stdout and stderr go to `cwd/<name>.out|.err`.
  Process(std::string name, std::string binary, std::vector<std::string> args,
          std::filesystem::path cwd);
  ~Process();  ///< SIGKILL and reap when still running
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  /// The port of the "listening on HOST:PORT" line; throws when the process exits or
  /// `wait` passes first.
  uint16_t wait_listening(std::chrono::milliseconds wait = std::chrono::seconds(20));
  /// The same for a line "<prefix> HOST:PORT" ("listening for TLS on", say).
  uint16_t wait_port(const std::string& prefix,
                     std::chrono::milliseconds wait = std::chrono::seconds(20));
  void signal(int signal_number);
  /// The exit code (128 + signal when killed), or -1 when still running after `wait`.
  int wait_exit(std::chrono::milliseconds wait = std::chrono::seconds(15));
  bool running();
  std::string out() const;
  std::string err() const;
  pid_t pid() const { return pid_; }

 private:
  std::string name_;
  std::filesystem::path out_, err_;
  pid_t pid_ = -1;
  int exit_code_ = -1;
};

/// Runs a command to its end: exit code and combined output.
struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};
CommandResult run_command(const std::string& binary, const std::vector<std::string>& args,
                          const std::filesystem::path& cwd, const std::string& stdin_text = "");

/// A fresh directory under the system temp dir, removed with everything in it.
class TempDir {
 public:
  explicit TempDir(const std::string& prefix);
  ~TempDir();
  const std::filesystem::path& path() const { return path_; }
  void write(const std::string& name, const std::string& text) const;

 private:
  std::filesystem::path path_;
};

}  // namespace opp::gateway::e2e
