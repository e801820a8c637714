#pragma once
// RSA keys parsed once from PEM and shared cheaply: a merchant's public key is parsed
// when it is loaded from the database, not per request.

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "opp/common/result.hpp"

struct evp_pkey_st;  // OpenSSL's EVP_PKEY, kept out of this header

namespace opp::crypto {

/// Keys shorter than this are refused: RSA2 means RSA with SHA-256 at >= 2048 bits.
inline constexpr int kMinRsaBits = 2048;

class PublicKey {
 public:
  /// Parses an RSA public key: SPKI ("BEGIN PUBLIC KEY") or PKCS#1 ("BEGIN RSA PUBLIC
  /// KEY"). Errors: 10001 `invalid-key` (not PEM, not RSA, or shorter than 2048 bits).
  static Result<PublicKey> from_pem(std::string_view pem);

  /// SPKI PEM ("BEGIN PUBLIC KEY"), the form served at GET /gateway/platform-key.
  std::string to_pem() const;
  int bits() const;
  evp_pkey_st* native() const noexcept { return key_.get(); }

 private:
  explicit PublicKey(std::shared_ptr<evp_pkey_st> key) : key_(std::move(key)) {}
  friend class PrivateKey;
  std::shared_ptr<evp_pkey_st> key_;
};

class PrivateKey {
 public:
  /// Parses an unencrypted RSA private key: PKCS#8 ("BEGIN PRIVATE KEY") or PKCS#1
  /// ("BEGIN RSA PRIVATE KEY"). Errors: 10001 `invalid-key`.
  static Result<PrivateKey> from_pem(std::string_view pem);
  /// A fresh RSA key. Errors: 10006 `crypto-failure`.
  static Result<PrivateKey> generate(int bits = kMinRsaBits);

  /// Unencrypted PKCS#8 PEM. Contains the secret: write it only to protected files.
  std::string to_pem() const;
  PublicKey public_key() const;
  int bits() const;
  evp_pkey_st* native() const noexcept { return key_.get(); }

 private:
  explicit PrivateKey(std::shared_ptr<evp_pkey_st> key) : key_(std::move(key)) {}
  std::shared_ptr<evp_pkey_st> key_;
};

}  // namespace opp::crypto
