#pragma once
// Nonces for signed responses (SPEC §3.3 X-Opp-Nonce), drawn from OpenSSL's CSPRNG in
// blocks: each thread keeps a buffer of random bytes and refills it with one RAND_bytes
// call per 256 nonces, so a response costs no lock and no call into the generator.

#include <string>

#include "opp/common/result.hpp"

namespace opp::gateway::auth {

/// 32 lowercase hex characters (128 random bits), valid as a nonce_str. A forked child
/// never repeats its parent's buffered bytes. Errors: 10006 `crypto-failure` when the
/// CSPRNG fails.
Result<std::string> next_response_nonce();

}  // namespace opp::gateway::auth
