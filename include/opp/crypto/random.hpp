#pragma once
// Randomness from OpenSSL's CSPRNG (RAND_bytes), for nonces and identifiers.

#include <cstddef>
#include <string>

#include "opp/common/result.hpp"

namespace opp::crypto {

/// `count` random bytes. Errors: 10006 `crypto-failure` when the CSPRNG is unavailable.
Result<std::string> random_bytes(size_t count);

/// A fresh nonce: 32 lowercase hex characters (128 bits), valid as a `nonce_str`.
Result<std::string> generate_nonce();

}  // namespace opp::crypto
