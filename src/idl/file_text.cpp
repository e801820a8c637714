// The loader's default FileReader: an IDL file's bytes from disk.
#include <fstream>
#include <sstream>

#include "opp/idl/loader.hpp"

namespace opp::idl {

std::optional<std::string> read_idl_file(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace opp::idl
