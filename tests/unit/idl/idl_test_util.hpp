#pragma once
// Test helpers. Loading IDL text from memory: files are keyed by file name, so errors
// read "main.thrift:3:12: ..." whatever the working directory. TempDir: real files, for
// the registry and the command-line tool, which read from disk.

#include <filesystem>
#include <fstream>
#include <map>
#include <random>
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

/// A fresh directory under the system temp dir, removed with everything in it.
class TempDir {
 public:
  explicit TempDir(const std::string& prefix) {
    std::random_device rd;
    dir_ = std::filesystem::temp_directory_path() / (prefix + std::to_string(rd()));
    std::filesystem::create_directories(dir_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  /// Writes (or replaces) `name`, relative to the directory (subdirectories created);
  /// returns its full path.
  std::string write(const std::string& name, const std::string& text) const {
    std::filesystem::create_directories((dir_ / name).parent_path());
    std::ofstream(dir_ / name, std::ios::binary | std::ios::trunc) << text;
    return (dir_ / name).string();
  }
  void remove(const std::string& name) const { std::filesystem::remove(dir_ / name); }
  std::string path() const { return dir_.string(); }

 private:
  std::filesystem::path dir_;
};

}  // namespace opp::idl::test
