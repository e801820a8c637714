#include "gateway/auth/secret_box.hpp"

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>

#include <algorithm>
#include <climits>

#include "opp/crypto/random.hpp"

namespace opp::gateway::auth {
namespace {

/// Leading byte of every sealed value, so a later format can be told apart.
constexpr unsigned char kFormatV1 = 0x01;

struct CipherCtxFree {
  void operator()(EVP_CIPHER_CTX* ctx) const noexcept { EVP_CIPHER_CTX_free(ctx); }
};
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree>;

Error crypto_failure(const char* what) {
  ERR_clear_error();
  return Error{ErrorCode::kServerHandleFail, "crypto-failure", what, {}};
}

Error undecryptable() {
  ERR_clear_error();
  return Error{ErrorCode::kServerHandleFail,
               "secret-undecryptable",
               "sealed secret does not open: wrong secret_key, or the stored value was altered "
               "or moved",
               {}};
}

const unsigned char* bytes(std::string_view text) {
  return reinterpret_cast<const unsigned char*>(text.data());
}

bool fits_int(size_t size) {
  return size <= static_cast<size_t>(INT_MAX);
}

}  // namespace

Result<SecretBox> SecretBox::from_key(std::string_view key) {
  if (key.size() != kKeyBytes) {
    return Error{ErrorCode::kServerHandleFail,
                 "bad-secret-key",
                 "the secret key must be " + std::to_string(kKeyBytes) + " bytes, got " +
                     std::to_string(key.size()),
                 {}};
  }
  auto* copy = new Key();
  std::copy(key.begin(), key.end(), reinterpret_cast<char*>(copy->data()));
  return SecretBox(std::shared_ptr<const Key>(copy, [](const Key* k) {
    OPENSSL_cleanse(const_cast<Key*>(k)->data(), k->size());
    delete k;
  }));
}

Result<std::string> SecretBox::seal(std::string_view plaintext,
                                    std::string_view associated_data) const {
  if (!fits_int(plaintext.size()) || !fits_int(associated_data.size())) {
    return crypto_failure("secret too large to seal");
  }
  auto nonce = crypto::random_bytes(kNonceBytes);
  if (!nonce) return std::move(nonce).error();

  std::string sealed(1 + kNonceBytes + plaintext.size() + kTagBytes, '\0');
  sealed[0] = static_cast<char>(kFormatV1);
  std::copy(nonce->begin(), nonce->end(), sealed.begin() + 1);
  auto* out = reinterpret_cast<unsigned char*>(sealed.data()) + 1 + kNonceBytes;

  CipherCtx ctx(EVP_CIPHER_CTX_new());
  int length = 0;
  int final_length = 0;
  if (!ctx ||
      EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key_->data(), bytes(*nonce)) != 1 ||
      EVP_EncryptUpdate(ctx.get(), nullptr, &length, bytes(associated_data),
                        static_cast<int>(associated_data.size())) != 1 ||
      EVP_EncryptUpdate(ctx.get(), out, &length, bytes(plaintext),
                        static_cast<int>(plaintext.size())) != 1 ||
      EVP_EncryptFinal_ex(ctx.get(), out + length, &final_length) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(kTagBytes),
                          out + plaintext.size()) != 1) {
    return crypto_failure("AES-256-GCM encryption failed");
  }
  return sealed;
}

Result<std::string> SecretBox::open(std::string_view sealed,
                                    std::string_view associated_data) const {
  if (sealed.size() < 1 + kNonceBytes + kTagBytes ||
      static_cast<unsigned char>(sealed[0]) != kFormatV1 || !fits_int(sealed.size()) ||
      !fits_int(associated_data.size())) {
    return undecryptable();
  }
  const std::string_view nonce = sealed.substr(1, kNonceBytes);
  const std::string_view ciphertext =
      sealed.substr(1 + kNonceBytes, sealed.size() - 1 - kNonceBytes - kTagBytes);
  std::string tag(sealed.substr(sealed.size() - kTagBytes));
  std::string plaintext(ciphertext.size(), '\0');
  auto* out = reinterpret_cast<unsigned char*>(plaintext.data());

  CipherCtx ctx(EVP_CIPHER_CTX_new());
  int length = 0;
  int final_length = 0;
  const bool opened =
      ctx &&
      EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key_->data(), bytes(nonce)) == 1 &&
      EVP_DecryptUpdate(ctx.get(), nullptr, &length, bytes(associated_data),
                        static_cast<int>(associated_data.size())) == 1 &&
      EVP_DecryptUpdate(ctx.get(), out, &length, bytes(ciphertext),
                        static_cast<int>(ciphertext.size())) == 1 &&
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(kTagBytes),
                          tag.data()) == 1 &&
      EVP_DecryptFinal_ex(ctx.get(), out + length, &final_length) == 1;
  if (!opened) {
    OPENSSL_cleanse(plaintext.data(), plaintext.size());
    return undecryptable();
  }
  return plaintext;
}

std::string merchant_secret_aad(std::string_view merchant_id, uint32_t key_version) {
  return "opp-merchant-secret/" + std::to_string(merchant_id.size()) + ":" +
         std::string(merchant_id) + "/" + std::to_string(key_version);
}

}  // namespace opp::gateway::auth
