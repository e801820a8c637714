#pragma once
// Loading IDL text from memory in tests: files are keyed by file name, so errors read
// "main.thrift:3:12: ..." whatever the working directory.

#include <map>
#include <string>

#include "opp/idl/loader.hpp"

namespace opp::idl::test {

using Files = std::map<std::string, std::string>;

inline LoadResult load_files(const Files& files, const std::string& root = "main.thrift") {
  LoadOptions options;
  options.reader = [files](const std::filesystem::path& path) -> std::optional<std::string> {
    auto it = files.find(path.filename().string());
    if (it == files.end()) return std::nullopt;
    return it->second;
  };
  return load_idl_file(root, options);
}

inline LoadResult load_text(const std::string& text) {
  return load_files({{"main.thrift", text}});
}

/// The first error as "file:line:col: message", or "" when the text loads.
inline std::string first_error(const std::string& text) {
  LoadResult r = load_text(text);
  return r.errors.empty() ? "" : r.errors.front().to_string();
}

}  // namespace opp::idl::test
