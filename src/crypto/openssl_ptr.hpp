#pragma once
// Owning pointers for the OpenSSL objects the crypto library creates.

#include <openssl/bio.h>
#include <openssl/evp.h>

#include <memory>
#include <string>

namespace opp::crypto::detail {

struct BioFree {
  void operator()(BIO* bio) const noexcept { BIO_free(bio); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* ctx) const noexcept { EVP_MD_CTX_free(ctx); }
};
using BioPtr = std::unique_ptr<BIO, BioFree>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;

/// Shared ownership of a key; EVP_PKEY is safe to use from several threads once built.
inline std::shared_ptr<EVP_PKEY> share_key(EVP_PKEY* key) {
  return std::shared_ptr<EVP_PKEY>(key, [](EVP_PKEY* k) { EVP_PKEY_free(k); });
}

/// Everything written to a memory BIO so far.
inline std::string bio_contents(BIO* bio) {
  char* data = nullptr;
  long size = BIO_get_mem_data(bio, &data);
  return size > 0 ? std::string(data, static_cast<size_t>(size)) : std::string();
}

}  // namespace opp::crypto::detail
