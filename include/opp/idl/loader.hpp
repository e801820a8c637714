#pragma once
// Front door of the IDL front end: file(s) → lexer → parser → AST → resolver → Schema.

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "opp/idl/descriptor.hpp"

namespace opp::idl {

/// Reads a file's text; std::nullopt when it cannot be read. Injected so tests and the
/// fuzzer can load from memory.
using FileReader = std::function<std::optional<std::string>(const std::filesystem::path&)>;

/// The default FileReader: the whole content of the regular file at `path`; nullopt when
/// it is missing, is not a regular file (a directory, say) or cannot be read.
std::optional<std::string> read_idl_file(const std::filesystem::path& path);

struct LoadOptions {
  /// Searched, in order, after the including file's own directory.
  std::vector<std::filesystem::path> include_dirs;
  FileReader reader;  ///< empty = read from disk
};

struct LoadResult {
  std::shared_ptr<const Schema> schema;  ///< null when errors is non-empty
  std::vector<IdlError> errors;          ///< in source order, first error first
};

/// Parses and resolves `file` with its includes. Bad input is reported in `errors`, not
/// thrown: each file stops at its first syntax error; resolution runs only when every
/// file parsed, and reports every error it finds.
LoadResult load_idl_file(const std::filesystem::path& file, const LoadOptions& options = {});

}  // namespace opp::idl
