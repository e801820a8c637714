#pragma once
// The command line both servers share (SPEC §1): `[--config FILE] | --help | --version`,
// and the one-line form of start-up errors.

#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>

namespace opp {

struct DaemonCommandLine {
  std::optional<std::filesystem::path> config;
  bool help = false;
  bool version = false;
};

/// Parses argv; prints "<program>: unknown argument ..." and returns nullopt on anything else.
inline std::optional<DaemonCommandLine> parse_daemon_command_line(std::string_view program,
                                                                  int argc, char** argv) {
  DaemonCommandLine line;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      line.help = true;
    } else if (arg == "--version") {
      line.version = true;
    } else if (arg == "--config" && i + 1 < argc) {
      line.config = argv[++i];
    } else if (arg.starts_with("--config=")) {
      line.config = arg.substr(9);
    } else {
      std::cerr << program << ": unknown argument '" << arg << "' (see --help)\n";
      return std::nullopt;
    }
  }
  return line;
}

/// Driver messages (libpq's especially) span lines; an error is reported on one.
inline std::string one_line(std::string text) {
  for (char& c : text)
    if (c == '\n' || c == '\t' || c == '\r') c = ' ';
  while (!text.empty() && text.back() == ' ') text.pop_back();
  return text;
}

}  // namespace opp
