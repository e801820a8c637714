#include "crypto_error.hpp"

#include <openssl/err.h>

namespace opp::crypto::detail {

std::string with_openssl_reason(std::string what) {
  unsigned long code = ERR_peek_last_error();
  if (code != 0) {
    const char* reason = ERR_reason_error_string(code);
    if (reason != nullptr) {
      what += ": ";
      what += reason;
    }
  }
  ERR_clear_error();
  return what;
}

void clear_openssl_errors() noexcept {
  ERR_clear_error();
}

}  // namespace opp::crypto::detail
