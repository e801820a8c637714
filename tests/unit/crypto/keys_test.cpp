#include "opp/crypto/keys.hpp"

#include <catch2/catch.hpp>

#include "test_files.hpp"

using namespace opp::crypto;
using opp::crypto::test::testdata;

TEST_CASE("private keys load from PKCS#1 and PKCS#8 PEM", "[crypto][keys]") {
  auto pkcs1 = PrivateKey::from_pem(testdata("rsa_pkcs1.pem"));
  auto pkcs8 = PrivateKey::from_pem(testdata("rsa_pkcs8.pem"));
  REQUIRE(pkcs1.ok());
  REQUIRE(pkcs8.ok());
  CHECK(pkcs1->bits() == 2048);
  CHECK(pkcs1->to_pem() == testdata("rsa_pkcs8.pem"));
  CHECK(pkcs8->public_key().to_pem() == testdata("pub_spki.pem"));
}

TEST_CASE("public keys load from SPKI and PKCS#1 PEM", "[crypto][keys]") {
  auto spki = PublicKey::from_pem(testdata("pub_spki.pem"));
  auto pkcs1 = PublicKey::from_pem(testdata("pub_pkcs1.pem"));
  REQUIRE(spki.ok());
  REQUIRE(pkcs1.ok());
  CHECK(spki->bits() == 2048);
  CHECK(pkcs1->to_pem() == testdata("pub_spki.pem"));
}

TEST_CASE("a derived public key carries no private half", "[crypto][keys]") {
  auto key = PrivateKey::from_pem(testdata("rsa_pkcs8.pem"));
  REQUIRE(key.ok());
  const std::string public_pem = key->public_key().to_pem();
  CHECK(public_pem.find("PRIVATE") == std::string::npos);
  CHECK_FALSE(PrivateKey::from_pem(public_pem).ok());
}

TEST_CASE("unusable key material is refused with invalid-key", "[crypto][keys]") {
  struct Case {
    const char* what;
    std::string pem;
    bool as_private;
    const char* message;
  };
  const Case cases[] = {
      {"garbage", "not a key", true, "not a PEM RSA private key (or an encrypted one)"},
      {"empty", "", false, "not a PEM RSA public key (or an encrypted one)"},
      {"EC key", testdata("ec.pem"), true, "not a PEM RSA private key (or an encrypted one)"},
      {"encrypted key", testdata("enc.pem"), true,
       "not a PEM RSA private key (or an encrypted one)"},
      {"public as private", testdata("pub_spki.pem"), true,
       "not a PEM RSA private key (or an encrypted one)"},
      {"1024-bit key", testdata("small_pub.pem"), false, "RSA keys must have at least 2048 bits"},
  };
  for (const Case& c : cases) {
    INFO(c.what);
    opp::Error error;
    if (c.as_private) {
      auto key = PrivateKey::from_pem(c.pem);
      REQUIRE_FALSE(key.ok());
      error = key.error();
    } else {
      auto key = PublicKey::from_pem(c.pem);
      REQUIRE_FALSE(key.ok());
      error = key.error();
    }
    CHECK(error.code == opp::ErrorCode::kBadRequest);
    CHECK(error.sub_code == "invalid-key");
    CHECK(error.message == c.message);
  }
}

TEST_CASE("generated keys have the requested size and parse back", "[crypto][keys]") {
  auto key = PrivateKey::generate(2048);
  REQUIRE(key.ok());
  CHECK(key->bits() == 2048);
  auto reloaded = PrivateKey::from_pem(key->to_pem());
  REQUIRE(reloaded.ok());
  CHECK(reloaded->public_key().to_pem() == key->public_key().to_pem());

  auto small = PrivateKey::generate(1024);
  REQUIRE_FALSE(small.ok());
  CHECK(small.error().sub_code == "invalid-key");
}
