#include "opp/crypto/hmac.hpp"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <memory>

#include "crypto_error.hpp"

namespace opp::crypto {
namespace {

struct MacFree {
  void operator()(EVP_MAC* mac) const noexcept { EVP_MAC_free(mac); }
};
struct MacCtxFree {
  void operator()(EVP_MAC_CTX* ctx) const noexcept { EVP_MAC_CTX_free(ctx); }
};

/// Fetching an algorithm walks the provider tables; do it once per process.
EVP_MAC* hmac_algorithm() {
  static const std::unique_ptr<EVP_MAC, MacFree> mac(EVP_MAC_fetch(nullptr, "HMAC", nullptr));
  return mac.get();
}

const char* digest_name(HmacDigest digest) {
  return digest == HmacDigest::kSha256 ? "SHA256" : "SM3";
}

/// The algorithm's name in error messages, e.g. "HMAC-SHA256".
std::string hmac_name(HmacDigest digest) {
  return std::string("HMAC-") + digest_name(digest);
}

using MacCtxPtr = std::unique_ptr<EVP_MAC_CTX, MacCtxFree>;

/// A context with the digest already chosen. Choosing it fetches the digest from the
/// provider (a locked lookup), so each thread does that once per digest and later
/// calls only set a new key.
EVP_MAC_CTX* thread_context(HmacDigest digest) {
  thread_local MacCtxPtr contexts[2];
  MacCtxPtr& ctx = contexts[digest == HmacDigest::kSha256 ? 0 : 1];
  if (ctx) return ctx.get();
  EVP_MAC* mac = hmac_algorithm();
  if (mac == nullptr) return nullptr;
  MacCtxPtr fresh(EVP_MAC_CTX_new(mac));
  char* name = const_cast<char*>(digest_name(digest));
  OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, name, 0),
                         OSSL_PARAM_construct_end()};
  if (!fresh || EVP_MAC_CTX_set_params(fresh.get(), params) != 1) return nullptr;
  ctx = std::move(fresh);
  return ctx.get();
}

}  // namespace

Result<std::string> hmac(HmacDigest digest, std::string_view key, std::string_view data) {
  EVP_MAC_CTX* ctx = thread_context(digest);
  if (ctx == nullptr) {
    return detail::server_failure(
        "crypto-failure", detail::with_openssl_reason(hmac_name(digest) + " is unavailable"));
  }
  // A non-null pointer even for an empty key: OpenSSL reads a null key as "keep the
  // previous key", which would be another caller's.
  static const unsigned char kNoKey = 0;
  const auto* key_bytes =
      key.empty() ? &kNoKey : reinterpret_cast<const unsigned char*>(key.data());
  std::string out(EVP_MAX_MD_SIZE, '\0');
  size_t out_len = 0;
  if (EVP_MAC_init(ctx, key_bytes, key.size(), nullptr) != 1 ||
      EVP_MAC_update(ctx, reinterpret_cast<const unsigned char*>(data.data()), data.size()) != 1 ||
      EVP_MAC_final(ctx, reinterpret_cast<unsigned char*>(out.data()), &out_len, out.size()) != 1) {
    return detail::server_failure("crypto-failure",
                                  detail::with_openssl_reason(hmac_name(digest) + " failed"));
  }
  out.resize(out_len);
  return out;
}

}  // namespace opp::crypto
