#include "opp/crypto/random.hpp"

#include <openssl/rand.h>

#include <climits>

#include "crypto_error.hpp"
#include "opp/crypto/hex.hpp"

namespace opp::crypto {

Result<std::string> random_bytes(size_t count) {
  std::string out(count, '\0');
  if (count > static_cast<size_t>(INT_MAX) ||
      RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(count)) != 1) {
    return detail::server_failure("crypto-failure",
                                  detail::with_openssl_reason("random generator failed"));
  }
  return out;
}

Result<std::string> generate_nonce() {
  auto bytes = random_bytes(16);
  if (!bytes) return std::move(bytes).error();
  return hex_encode(*bytes);
}

}  // namespace opp::crypto
