#pragma once
// The platform's RSA key pair (SPEC §7): signs RSA2 responses and notifications; its
// public half is served at GET /gateway/platform-key. Generated on first start.

#include <filesystem>

#include "opp/common/result.hpp"
#include "opp/crypto/keys.hpp"

namespace opp::crypto {

/// Reads a PEM private key file. Errors: 10006 `platform-key-unreadable` (missing or
/// unreadable file), 10001 `invalid-key` (content is not an RSA private key).
Result<PrivateKey> load_private_key_file(const std::filesystem::path& path);

/// Loads the key at `path`, or, when no file exists there, generates an RSA key of
/// `bits` and writes it (PKCS#8 PEM, mode 0600, parent directories created). Two
/// programs starting at once end up with the same key: the file is published
/// atomically and never overwritten. Errors: as load_private_key_file, and 10006
/// `platform-key-unwritable`.
Result<PrivateKey> load_or_create_platform_key(const std::filesystem::path& path,
                                               int bits = kMinRsaBits);

}  // namespace opp::crypto
