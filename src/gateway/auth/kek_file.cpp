#include "gateway/auth/kek_file.hpp"

#include <openssl/crypto.h>

#include "opp/crypto/private_file.hpp"
#include "opp/crypto/random.hpp"

namespace opp::gateway::auth {
namespace {

const crypto::PrivateFileKind kKekFile{"secret key", "secret-key"};

/// The box under the bytes read from `path`, which are wiped afterwards.
Result<SecretBox> box_of(const std::filesystem::path& path, Result<std::string> key) {
  if (!key) return std::move(key).error();
  auto box = SecretBox::from_key(*key);
  OPENSSL_cleanse(key->data(), key->size());
  if (!box) return crypto::naming_file(path, std::move(box).error());
  return box;
}

}  // namespace

Result<SecretBox> load_or_create_kek(const std::filesystem::path& path) {
  return box_of(path, crypto::read_or_create_private_file(path, kKekFile, [] {
                  return crypto::random_bytes(SecretBox::kKeyBytes);
                }));
}

Result<SecretBox> load_kek(const std::filesystem::path& path) {
  return box_of(path, crypto::read_private_file(path, kKekFile));
}

}  // namespace opp::gateway::auth
