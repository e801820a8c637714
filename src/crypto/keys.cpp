#include "opp/crypto/keys.hpp"

#include <openssl/core_names.h>
#include <openssl/decoder.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "crypto_error.hpp"
#include "openssl_ptr.hpp"

namespace opp::crypto {
namespace {

struct DecoderFree {
  void operator()(OSSL_DECODER_CTX* ctx) const noexcept { OSSL_DECODER_CTX_free(ctx); }
};

/// Encrypted PEM keys are refused rather than prompting on a terminal.
int refuse_passphrase(char*, size_t, size_t*, const OSSL_PARAM*, void*) {
  return 0;
}

Error too_short() {
  return detail::bad_input("invalid-key",
                           "RSA keys must have at least " + std::to_string(kMinRsaBits) + " bits");
}

/// Decodes an RSA key from PEM; the decoder recognises PKCS#8/SPKI and PKCS#1 alike.
Result<std::shared_ptr<EVP_PKEY>> decode_rsa_pem(std::string_view pem, int selection,
                                                 const char* what) {
  EVP_PKEY* raw = nullptr;
  std::unique_ptr<OSSL_DECODER_CTX, DecoderFree> decoder(
      OSSL_DECODER_CTX_new_for_pkey(&raw, "PEM", nullptr, "RSA", selection, nullptr, nullptr));
  if (!decoder) {
    return detail::server_failure("crypto-failure",
                                  detail::with_openssl_reason("no PEM decoder for RSA keys"));
  }
  OSSL_DECODER_CTX_set_passphrase_cb(decoder.get(), refuse_passphrase, nullptr);
  const auto* data = reinterpret_cast<const unsigned char*>(pem.data());
  size_t length = pem.size();
  if (OSSL_DECODER_from_data(decoder.get(), &data, &length) != 1 || raw == nullptr) {
    detail::clear_openssl_errors();
    return detail::bad_input("invalid-key",
                             std::string("not a PEM RSA ") + what + " (or an encrypted one)");
  }
  std::shared_ptr<EVP_PKEY> key = detail::share_key(raw);
  if (EVP_PKEY_get_bits(key.get()) < kMinRsaBits) {
    return too_short();
  }
  return key;
}

}  // namespace

Result<PublicKey> PublicKey::from_pem(std::string_view pem) {
  auto key = decode_rsa_pem(pem, OSSL_KEYMGMT_SELECT_PUBLIC_KEY, "public key");
  if (!key) return std::move(key).error();
  return PublicKey(std::move(*key));
}

std::string PublicKey::to_pem() const {
  detail::BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PUBKEY(bio.get(), key_.get()) != 1) return {};
  return detail::bio_contents(bio.get());
}

int PublicKey::bits() const {
  return EVP_PKEY_get_bits(key_.get());
}

Result<PrivateKey> PrivateKey::from_pem(std::string_view pem) {
  auto key = decode_rsa_pem(pem, OSSL_KEYMGMT_SELECT_KEYPAIR, "private key");
  if (!key) return std::move(key).error();
  return PrivateKey(std::move(*key));
}

Result<PrivateKey> PrivateKey::generate(int bits) {
  if (bits < kMinRsaBits) {
    return too_short();
  }
  EVP_PKEY* raw = EVP_RSA_gen(static_cast<unsigned>(bits));
  if (raw == nullptr) {
    return detail::server_failure("crypto-failure",
                                  detail::with_openssl_reason("RSA key generation failed"));
  }
  return PrivateKey(detail::share_key(raw));
}

std::string PrivateKey::to_pem() const {
  detail::BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio ||
      PEM_write_bio_PrivateKey(bio.get(), key_.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    return {};
  }
  return detail::bio_contents(bio.get());
}

PublicKey PrivateKey::public_key() const {
  // Round-trip through SPKI DER so the public key object holds no private material.
  unsigned char* der = nullptr;
  int length = i2d_PUBKEY(key_.get(), &der);
  const unsigned char* cursor = der;
  EVP_PKEY* raw = length > 0 ? d2i_PUBKEY(nullptr, &cursor, length) : nullptr;
  OPENSSL_free(der);
  // Re-encoding a key this process holds fails only on allocation failure.
  if (raw == nullptr) return PublicKey(key_);
  return PublicKey(detail::share_key(raw));
}

int PrivateKey::bits() const {
  return EVP_PKEY_get_bits(key_.get());
}

}  // namespace opp::crypto
