#pragma once
// The command line of `opp-admin` (SPEC §3.4), parsed into what to do before anything
// is opened: a usage error is found without touching a configuration or a database.

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace opp::tools::admin {

struct CommandLine {
  bool help = false;
  bool version = false;
  std::optional<std::filesystem::path> config;
  std::string command;  ///< "add", "list", "enable", "disable", "rotate"
  /// Options of the command by name without dashes ("id", "sign-type", "secret", ...).
  std::map<std::string, std::string> options;

  const std::string* option(const std::string& name) const {
    auto found = options.find(name);
    return found == options.end() ? nullptr : &found->second;
  }
};

/// The usage text printed by --help and after a usage error.
extern const char* const kUsage;

/// Parses argv (without the program name). On a usage error, `error` says what is wrong
/// and the result is nullopt.
std::optional<CommandLine> parse_command_line(const std::vector<std::string>& args,
                                              std::string& error);

}  // namespace opp::tools::admin
