#include "opp/crypto/private_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <system_error>

#include "crypto_error.hpp"
#include "opp/crypto/hex.hpp"
#include "opp/crypto/random.hpp"

namespace opp::crypto {
namespace {

/// Secret files are small; a larger one is not what the configuration meant to name.
constexpr std::uintmax_t kMaxPrivateFileBytes = 1 << 20;

Error unreadable(const std::filesystem::path& path, const PrivateFileKind& kind) {
  return detail::server_failure(kind.sub_code_prefix + "-unreadable",
                                "cannot read " + kind.label + " " + path.string());
}

Error unwritable(const std::filesystem::path& path, const PrivateFileKind& kind,
                 const std::string& why) {
  return detail::server_failure(kind.sub_code_prefix + "-unwritable",
                                "cannot write " + kind.label + " " + path.string() + ": " + why);
}

/// Writes `content` to a new file readable by the owner only, flushed to disk; returns
/// the errno of the failure, or 0.
int write_new_private_file(const std::filesystem::path& path, const std::string& content) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return errno;
  size_t written = 0;
  while (written < content.size()) {
    ssize_t n = ::write(fd, content.data() + written, content.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int error = n < 0 ? errno : EIO;
      ::close(fd);
      return error;
    }
    written += static_cast<size_t>(n);
  }
  const int error = ::fsync(fd) == 0 ? 0 : errno;
  ::close(fd);
  return error;
}

}  // namespace

Result<std::string> read_private_file(const std::filesystem::path& path,
                                      const PrivateFileKind& kind) {
  std::error_code ec;
  const std::uintmax_t size = std::filesystem::file_size(path, ec);
  if (ec || size > kMaxPrivateFileBytes) return unreadable(path, kind);
  std::ifstream file(path, std::ios::binary);
  if (!file) return unreadable(path, kind);
  std::string content(static_cast<size_t>(size), '\0');
  file.read(content.data(), static_cast<std::streamsize>(content.size()));
  if (static_cast<std::uintmax_t>(file.gcount()) != size) return unreadable(path, kind);
  return content;
}

Result<std::string> read_or_create_private_file(
    const std::filesystem::path& path, const PrivateFileKind& kind,
    const std::function<Result<std::string>()>& generate) {
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) return read_private_file(path, kind);

  if (path.has_parent_path()) {
    std::filesystem::create_directories(path.parent_path(), ec);
    if (ec) return unwritable(path, kind, ec.message());
  }
  auto content = generate();
  if (!content) return content;
  auto suffix = random_bytes(6);
  if (!suffix) return std::move(suffix).error();

  // Written aside, then published with link(), which fails rather than replace a file
  // that another program published meanwhile.
  std::filesystem::path staging = path;
  staging += ".tmp-" + hex_encode(*suffix);
  if (const int error = write_new_private_file(staging, *content); error != 0) {
    std::filesystem::remove(staging, ec);
    return unwritable(path, kind, std::generic_category().message(error));
  }
  const bool published = ::link(staging.c_str(), path.c_str()) == 0;
  const int link_error = errno;
  std::filesystem::remove(staging, ec);
  if (published) return content;
  if (link_error == EEXIST) return read_private_file(path, kind);
  return unwritable(path, kind, std::generic_category().message(link_error));
}

Error naming_file(const std::filesystem::path& path, Error error) {
  error.message = path.string() + ": " + error.message;
  return error;
}

}  // namespace opp::crypto
