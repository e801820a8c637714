#pragma once
// Reading an IDL file's bytes from disk, shared by the loader and the registry.

#include <filesystem>
#include <optional>
#include <string>

namespace opp::idl {

/// The whole content of the regular file at `path`; nullopt when it is missing, is not a
/// regular file (a directory, say) or cannot be read.
std::optional<std::string> read_text_file(const std::filesystem::path& path);

}  // namespace opp::idl
