#include "opp/crypto/platform_key.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <sstream>
#include <system_error>

#include "crypto_error.hpp"
#include "opp/crypto/hex.hpp"
#include "opp/crypto/random.hpp"

namespace opp::crypto {
namespace {

Error unwritable(const std::filesystem::path& path, const std::string& why) {
  return detail::server_failure("platform-key-unwritable",
                                "cannot write platform key " + path.string() + ": " + why);
}

/// Writes `content` to a new file readable by the owner only, flushed to disk.
Result<void> write_new_private_file(const std::filesystem::path& path, const std::string& content) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return unwritable(path, std::generic_category().message(errno));
  size_t written = 0;
  while (written < content.size()) {
    ssize_t n = ::write(fd, content.data() + written, content.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      int error = errno;
      ::close(fd);
      return unwritable(path, std::generic_category().message(error));
    }
    written += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) {
    int error = errno;
    ::close(fd);
    return unwritable(path, std::generic_category().message(error));
  }
  ::close(fd);
  return {};
}

}  // namespace

Result<PrivateKey> load_private_key_file(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    return detail::server_failure("platform-key-unreadable",
                                  "cannot read platform key " + path.string());
  }
  std::ostringstream content;
  content << file.rdbuf();
  auto key = PrivateKey::from_pem(content.str());
  if (!key) {
    Error error = std::move(key).error();
    error.message = path.string() + ": " + error.message;
    return error;
  }
  return key;
}

Result<PrivateKey> load_or_create_platform_key(const std::filesystem::path& path, int bits) {
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) return load_private_key_file(path);

  if (path.has_parent_path()) {
    std::filesystem::create_directories(path.parent_path(), ec);
    if (ec) return unwritable(path, ec.message());
  }
  auto key = PrivateKey::generate(bits);
  if (!key) return key;
  auto suffix = random_bytes(6);
  if (!suffix) return std::move(suffix).error();

  // Written aside, then published with link(), which fails rather than replace a key
  // that another program (the gateway or opp-payment) published meanwhile.
  std::filesystem::path staging = path;
  staging += ".tmp-" + hex_encode(*suffix);
  if (auto written = write_new_private_file(staging, key->to_pem()); !written) {
    std::filesystem::remove(staging, ec);
    return std::move(written).error();
  }
  const bool published = ::link(staging.c_str(), path.c_str()) == 0;
  const int link_error = errno;
  std::filesystem::remove(staging, ec);
  if (published) return key;
  if (link_error == EEXIST) return load_private_key_file(path);
  return unwritable(path, std::generic_category().message(link_error));
}

}  // namespace opp::crypto
