#pragma once
// The key-encryption key of merchant secrets (SPEC §7 `auth.secret_key`): 32 random
// bytes in a file of their own, so a copy of the database alone reveals no secret.
// Generated on first use by whichever program opens the merchant store first.

#include <filesystem>

#include "gateway/auth/secret_box.hpp"
#include "opp/common/result.hpp"

namespace opp::gateway::auth {

/// The box under the key in `path`; when no file exists there, 32 fresh random bytes
/// are written (mode 0600, parent directories created, published atomically, never
/// overwritten: programs starting together end with the same key). Errors: 10006
/// `secret-key-unreadable`, `secret-key-unwritable`, and `bad-secret-key` for a file
/// that does not hold exactly 32 bytes.
Result<SecretBox> load_or_create_kek(const std::filesystem::path& path);

/// The box under the key in `path`, which must exist (a database whose secrets were
/// sealed already needs that very key, never a fresh one). Errors: as above.
Result<SecretBox> load_kek(const std::filesystem::path& path);

}  // namespace opp::gateway::auth
