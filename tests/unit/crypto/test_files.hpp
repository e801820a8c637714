#pragma once
// Reads the checked-in vectors of tests/unit/crypto/testdata (see its README.md).

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace opp::crypto::test {

inline std::string testdata(const std::string& name) {
  const std::string path = std::string(OPP_SOURCE_DIR) + "/tests/unit/crypto/testdata/" + name;
  std::ifstream file(path, std::ios::binary);
  if (!file) throw std::runtime_error("missing test vector " + path);
  std::ostringstream content;
  content << file.rdbuf();
  return content.str();
}

/// Bytes from a hex literal, for readable test vectors.
inline std::string bytes_of_hex(const std::string& hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  }
  return out;
}

}  // namespace opp::crypto::test
