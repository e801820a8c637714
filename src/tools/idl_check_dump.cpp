// `opp-idl check` and `opp-idl dump` (SPEC §6).
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <set>

#include "idl_commands.hpp"
#include "opp/idl/loader.hpp"
#include "opp/idl/thrift_json.hpp"

namespace opp::tools {
namespace {

namespace fs = std::filesystem;

struct ParsedArgs {
  std::vector<std::string> paths;
  std::vector<fs::path> include_dirs;
  std::string error;  ///< a usage error, when not empty
};

// Positional paths plus `-I DIR` / `-IDIR` include directories.
ParsedArgs parse_args(const Args& args) {
  ParsedArgs out;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "-I") {
      if (i + 1 >= args.size()) {
        out.error = "option -I needs a directory";
        return out;
      }
      out.include_dirs.emplace_back(args[++i]);
    } else if (a.rfind("-I", 0) == 0) {
      out.include_dirs.emplace_back(a.substr(2));
    } else if (!a.empty() && a[0] == '-') {
      out.error = "unknown option '" + a + "'";
      return out;
    } else {
      out.paths.push_back(a);
    }
  }
  return out;
}

// Exit status 2 with "opp-idl <command>: <problem>" and the command's usage line.
int usage_error(const char* command, const std::string& problem, const char* usage) {
  std::cerr << "opp-idl " << command << ": " << problem << "\nusage: opp-idl " << command << " "
            << usage << "\n";
  return 2;
}

}  // namespace

int run_check(const Args& args) {
  ParsedArgs parsed = parse_args(args);
  if (parsed.error.empty() && parsed.paths.empty()) parsed.error = "missing DIR or FILE";
  if (!parsed.error.empty()) return usage_error("check", parsed.error, "DIR|FILE... [-I DIR]...");
  bool failed = false;
  std::set<std::string> printed;  // an include shared by several files is reported once
  for (const std::string& path : parsed.paths) {
    std::vector<fs::path> files;
    idl::LoadOptions options;
    options.include_dirs = parsed.include_dirs;
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      for (fs::directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
        if (it->path().extension() == ".thrift") files.push_back(it->path());
      }
      std::sort(files.begin(), files.end());
      options.include_dirs.insert(options.include_dirs.begin(), fs::path(path));
    } else {
      files.emplace_back(path);
    }
    for (const fs::path& file : files) {
      idl::LoadResult result = idl::load_idl_file(file, options);
      for (const idl::IdlError& e : result.errors) {
        std::string line = e.to_string();
        if (printed.insert(line).second) std::cerr << line << "\n";
      }
      failed = failed || !result.errors.empty();
    }
  }
  return failed ? 1 : 0;
}

int run_dump(const Args& args) {
  ParsedArgs parsed = parse_args(args);
  if (parsed.error.empty() && parsed.paths.size() != 1) parsed.error = "expected exactly one FILE";
  if (!parsed.error.empty()) return usage_error("dump", parsed.error, "FILE [-I DIR]...");
  idl::LoadOptions options;
  options.include_dirs = parsed.include_dirs;
  idl::LoadResult result = idl::load_idl_file(parsed.paths.front(), options);
  if (!result.errors.empty()) {
    for (const idl::IdlError& e : result.errors) std::cerr << e.to_string() << "\n";
    return 1;
  }
  std::cout << idl::to_thrift_json(result.schema->root());
  return 0;
}

}  // namespace opp::tools
