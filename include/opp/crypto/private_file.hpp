#pragma once
// Files holding secrets that a program generates on first start (the platform key, the
// gateway's key-encryption key): created owner-only, published atomically, never
// overwritten, so two programs starting at once end up with the same secret.

#include <filesystem>
#include <functional>
#include <string>

#include "opp/common/result.hpp"

namespace opp::crypto {

/// How a kind of secret file is named in errors: `label` in messages ("platform key"),
/// `sub_code_prefix` before "-unreadable" / "-unwritable" ("platform-key").
struct PrivateFileKind {
  std::string label;
  std::string sub_code_prefix;
};

/// The content of the file at `path` (at most 1 MiB). Errors: 10006
/// `<prefix>-unreadable` ("cannot read <label> PATH"), never showing the content.
Result<std::string> read_private_file(const std::filesystem::path& path,
                                      const PrivateFileKind& kind);

/// The content of the file at `path`; when no file exists there, `generate()` makes the
/// content, which is written (mode 0600, flushed, parent directories created) aside and
/// published with link(), so a file another program published meanwhile wins and its
/// content is returned instead. Errors: those of read_private_file and `generate`, and
/// 10006 `<prefix>-unwritable` ("cannot write <label> PATH: why").
Result<std::string> read_or_create_private_file(
    const std::filesystem::path& path, const PrivateFileKind& kind,
    const std::function<Result<std::string>()>& generate);

/// `error` with "PATH: " before its message, for a file whose content was rejected.
Error naming_file(const std::filesystem::path& path, Error error);

}  // namespace opp::crypto
