#include "admin_command_line.hpp"

#include <set>

#include "opp/crypto/sign_type.hpp"

namespace opp::tools::admin {
namespace {

/// Which options each command accepts, and which of those it requires.
struct CommandSpec {
  std::set<std::string> allowed;
  std::set<std::string> required;
};

const std::map<std::string, CommandSpec>& command_specs() {
  static const std::map<std::string, CommandSpec> specs = {
      {"add", {{"id", "sign-type", "secret", "secret-file", "public-key"}, {"id", "sign-type"}}},
      {"list", {{}, {}}},
      {"enable", {{"id"}, {"id"}}},
      {"disable", {{"id"}, {"id"}}},
      {"rotate", {{"id", "sign-type", "secret", "secret-file", "public-key"}, {"id"}}},
  };
  return specs;
}

const std::set<std::string> kKeyOptions = {"secret", "secret-file", "public-key"};

/// Checks the options given against what `command` accepts.
bool check_options(const CommandLine& line, std::string& error) {
  const CommandSpec& spec = command_specs().at(line.command);
  for (const auto& [name, value] : line.options) {
    if (!spec.allowed.contains(name)) {
      error = "merchant " + line.command + " takes no --" + name;
      return false;
    }
  }
  for (const std::string& name : spec.required) {
    if (!line.options.contains(name)) {
      error = "merchant " + line.command + " needs --" + name;
      return false;
    }
  }
  if (const std::string* name = line.option("sign-type");
      name != nullptr && !opp::crypto::parse_sign_type(*name).ok()) {
    error = "unsupported sign type '" + *name + "' (HMAC-SHA256, HMAC-SM3 or RSA2)";
    return false;
  }
  if (line.command == "add" || line.command == "rotate") {
    int keys = 0;
    for (const std::string& name : kKeyOptions) keys += line.options.contains(name) ? 1 : 0;
    if (keys != 1) {
      error = "merchant " + line.command +
              " needs exactly one of --secret, --secret-file, --public-key";
      return false;
    }
  }
  return true;
}

}  // namespace

const char* const kUsage =
    "usage: opp-admin [--config FILE] merchant <command> [options]\n"
    "\n"
    "Manages the gateway's merchants and keys in its database (SPEC §3.4); changes are\n"
    "live in a running gateway within 2 s. The schema is created when missing.\n"
    "\n"
    "commands:\n"
    "  merchant add --id ID --sign-type HMAC-SHA256|HMAC-SM3 --secret S|--secret-file FILE\n"
    "  merchant add --id ID --sign-type RSA2 --public-key FILE.pem\n"
    "  merchant list                   id, sign type, enabled, key version, updated time\n"
    "  merchant disable --id ID\n"
    "  merchant enable --id ID\n"
    "  merchant rotate --id ID --secret S|--secret-file FILE|--public-key FILE.pem\n"
    "                  [--sign-type T]  replaces the key, bumps the key version\n"
    "\n"
    "options:\n"
    "  --config FILE       gateway.yaml: `database` and `auth.secret_key` (the key file that\n"
    "                      encrypts HMAC secrets at rest); without it, the defaults relative\n"
    "                      to the current directory\n"
    "  --secret -          read the secret from standard input (argv is visible to ps)\n"
    "  --secret-file FILE  read the secret from FILE; one trailing newline is dropped\n"
    "  --help              show this help\n"
    "  --version           show the version\n"
    "\n"
    "Merchant ids are 1-64 characters of A-Z a-z 0-9 _ -.\n"
    "exit status: 0 ok, 1 operation failed, 2 usage or configuration error\n";

std::optional<CommandLine> parse_command_line(const std::vector<std::string>& args,
                                              std::string& error) {
  static const std::set<std::string> kValued = {"config", "id",          "sign-type",
                                                "secret", "secret-file", "public-key"};
  CommandLine line;
  std::vector<std::string> words;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--help" || arg == "-h") {
      line.help = true;
      continue;
    }
    if (arg == "--version") {
      line.version = true;
      continue;
    }
    if (!arg.starts_with("--")) {
      words.push_back(arg);
      continue;
    }
    std::string name = arg.substr(2);
    std::optional<std::string> value;
    if (const size_t equals = name.find('='); equals != std::string::npos) {
      value = name.substr(equals + 1);
      name.resize(equals);
    }
    if (!kValued.contains(name)) {
      error = "unknown option '--" + name + "'";
      return std::nullopt;
    }
    if (!value) {
      // "--secret --id M1" is a forgotten value, not a secret; "--secret=--x" still works.
      if (i + 1 >= args.size() || args[i + 1].starts_with("--")) {
        error = "option --" + name + " needs a value";
        return std::nullopt;
      }
      value = args[++i];
    }
    if (name == "config") {
      if (line.config) {
        error = "option --config given twice";
        return std::nullopt;
      }
      line.config = *value;
    } else if (!line.options.emplace(name, *value).second) {
      error = "option --" + name + " given twice";
      return std::nullopt;
    }
  }
  if (line.help || line.version) return line;
  if (words.empty()) {
    error = "missing command";
    return std::nullopt;
  }
  if (words[0] != "merchant") {
    error = "unknown command '" + words[0] + "'";
    return std::nullopt;
  }
  if (words.size() < 2) {
    error = "merchant needs a command: add, list, enable, disable, rotate";
    return std::nullopt;
  }
  if (words.size() > 2) {
    error = "unexpected argument '" + words[2] + "'";
    return std::nullopt;
  }
  line.command = words[1];
  if (!command_specs().contains(line.command)) {
    error = "unknown merchant command '" + line.command + "'";
    return std::nullopt;
  }
  if (!check_options(line, error)) return std::nullopt;
  return line;
}

}  // namespace opp::tools::admin
