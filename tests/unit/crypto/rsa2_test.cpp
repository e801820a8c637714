#include "opp/crypto/rsa2.hpp"

#include <catch2/catch.hpp>

#include "opp/crypto/base64.hpp"
#include "test_files.hpp"

using namespace opp::crypto;
using opp::crypto::test::testdata;

namespace {

PrivateKey test_private_key() {
  auto key = PrivateKey::from_pem(testdata("rsa_pkcs1.pem"));
  REQUIRE(key.ok());
  return *key;
}

PublicKey test_public_key(const char* file = "pub_spki.pem") {
  auto key = PublicKey::from_pem(testdata(file));
  REQUIRE(key.ok());
  return *key;
}

}  // namespace

TEST_CASE("RSA2 signature equals the openssl CLI's", "[crypto][rsa2]") {
  // PKCS#1 v1.5 is deterministic: same key and message, same bytes.
  auto signature = rsa2_sign(test_private_key(), testdata("rsa2_message.txt"));
  REQUIRE(signature.ok());
  CHECK(*signature == testdata("rsa2_message.sig.b64"));
}

TEST_CASE("RSA2 verifies a signature made by the openssl CLI", "[crypto][rsa2]") {
  const std::string message = testdata("rsa2_message.txt");
  const std::string signature = testdata("rsa2_message.sig.b64");
  CHECK(rsa2_verify(test_public_key("pub_spki.pem"), message, signature).ok());
  CHECK(rsa2_verify(test_public_key("pub_pkcs1.pem"), message, signature).ok());
}

TEST_CASE("RSA2 sign/verify round trip and tamper detection", "[crypto][rsa2]") {
  const PrivateKey key = test_private_key();
  const std::string message = "merchant_id=M1&total_amount=100";
  auto signature = rsa2_sign(key, message);
  REQUIRE(signature.ok());
  CHECK(rsa2_verify(key.public_key(), message, *signature).ok());

  SECTION("changed message") {
    auto result = rsa2_verify(key.public_key(), "merchant_id=M1&total_amount=101", *signature);
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().code == opp::ErrorCode::kUnauthorized);
    CHECK(result.error().sub_code == "invalid-signature");
    CHECK(result.error().message == "RSA2 signature does not match");
  }
  SECTION("flipped signature bit") {
    auto raw = base64_decode(*signature);
    REQUIRE(raw.ok());
    (*raw)[raw->size() / 2] ^= 0x01;
    auto result = rsa2_verify(key.public_key(), message, base64_encode(*raw));
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().sub_code == "invalid-signature");
  }
  SECTION("truncated signature") {
    auto result = rsa2_verify(key.public_key(), message, signature->substr(0, 100));
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().sub_code == "invalid-signature");
  }
  SECTION("another key") {
    auto other = PrivateKey::generate();
    REQUIRE(other.ok());
    auto result = rsa2_verify(other->public_key(), message, *signature);
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().sub_code == "invalid-signature");
  }
  SECTION("not base64") {
    auto result = rsa2_verify(key.public_key(), message, "%%%");
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().code == opp::ErrorCode::kUnauthorized);
    CHECK(result.error().sub_code == "invalid-signature");
    CHECK(result.error().message == "RSA2 signature is not valid base64");
  }
}

TEST_CASE("RSA2 verify accepts an unpadded signature", "[crypto][rsa2]") {
  std::string signature = testdata("rsa2_message.sig.b64");
  while (!signature.empty() && signature.back() == '=') signature.pop_back();
  CHECK(rsa2_verify(test_public_key(), testdata("rsa2_message.txt"), signature).ok());
}
