#include "opp/crypto/platform_key.hpp"

#include "opp/crypto/private_file.hpp"

namespace opp::crypto {
namespace {

const PrivateFileKind kPlatformKeyFile{"platform key", "platform-key"};

/// Parses the PEM read from `path`; a bad file is named, its content never shown.
Result<PrivateKey> parse_key_file(const std::filesystem::path& path, const std::string& pem) {
  auto key = PrivateKey::from_pem(pem);
  if (!key) return naming_file(path, std::move(key).error());
  return key;
}

}  // namespace

Result<PrivateKey> load_private_key_file(const std::filesystem::path& path) {
  auto pem = read_private_file(path, kPlatformKeyFile);
  if (!pem) return std::move(pem).error();
  return parse_key_file(path, *pem);
}

Result<PrivateKey> load_or_create_platform_key(const std::filesystem::path& path, int bits) {
  auto pem = read_or_create_private_file(path, kPlatformKeyFile, [bits]() -> Result<std::string> {
    auto key = PrivateKey::generate(bits);
    if (!key) return std::move(key).error();
    return key->to_pem();
  });
  if (!pem) return std::move(pem).error();
  return parse_key_file(path, *pem);
}

}  // namespace opp::crypto
