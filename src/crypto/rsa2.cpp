#include "opp/crypto/rsa2.hpp"

#include <openssl/rsa.h>

#include "crypto_error.hpp"
#include "openssl_ptr.hpp"
#include "opp/crypto/base64.hpp"

namespace opp::crypto {
namespace {

/// Digest context set up for RSASSA-PKCS1-v1_5 with SHA-256, for signing or verifying.
Result<detail::MdCtxPtr> rsa2_context(EVP_PKEY* key, bool for_signing) {
  detail::MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx) return detail::server_failure("crypto-failure", "cannot allocate a digest context");
  EVP_PKEY_CTX* pkey_ctx = nullptr;
  int ok =
      for_signing
          ? EVP_DigestSignInit_ex(ctx.get(), &pkey_ctx, "SHA256", nullptr, nullptr, key, nullptr)
          : EVP_DigestVerifyInit_ex(ctx.get(), &pkey_ctx, "SHA256", nullptr, nullptr, key, nullptr);
  if (ok != 1 || EVP_PKEY_CTX_set_rsa_padding(pkey_ctx, RSA_PKCS1_PADDING) <= 0) {
    return detail::server_failure("crypto-failure",
                                  detail::with_openssl_reason("RSA2 setup failed"));
  }
  return ctx;
}

Error signing_failed() {
  return detail::server_failure("crypto-failure",
                                detail::with_openssl_reason("RSA2 signing failed"));
}

}  // namespace

Result<std::string> rsa2_sign(const PrivateKey& key, std::string_view data) {
  auto ctx = rsa2_context(key.native(), true);
  if (!ctx) return std::move(ctx).error();
  const auto* bytes = reinterpret_cast<const unsigned char*>(data.data());
  size_t length = 0;
  if (EVP_DigestSign(ctx->get(), nullptr, &length, bytes, data.size()) != 1) {
    return signing_failed();
  }
  std::string signature(length, '\0');
  if (EVP_DigestSign(ctx->get(), reinterpret_cast<unsigned char*>(signature.data()), &length, bytes,
                     data.size()) != 1) {
    return signing_failed();
  }
  signature.resize(length);
  return base64_encode(signature);
}

Result<void> rsa2_verify(const PublicKey& key, std::string_view data,
                         std::string_view signature_base64) {
  auto signature = base64_decode(signature_base64);
  if (!signature) {
    return detail::unauthorized("invalid-signature", "RSA2 signature is not valid base64");
  }
  auto ctx = rsa2_context(key.native(), false);
  if (!ctx) return std::move(ctx).error();
  int verdict = EVP_DigestVerify(
      ctx->get(), reinterpret_cast<const unsigned char*>(signature->data()), signature->size(),
      reinterpret_cast<const unsigned char*>(data.data()), data.size());
  if (verdict != 1) {
    detail::clear_openssl_errors();
    return detail::unauthorized("invalid-signature", "RSA2 signature does not match");
  }
  return {};
}

}  // namespace opp::crypto
