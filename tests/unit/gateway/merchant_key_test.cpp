// Merchant ids and key material are checked before anything is stored.
#include "gateway/auth/merchant_key.hpp"

#include <catch2/catch.hpp>

#include "gateway_test_support.hpp"
#include "opp/crypto/keys.hpp"

using namespace opp::gateway::auth;
using opp::crypto::SignType;

namespace {

std::string crypto_testdata(const std::string& name) {
  return opp::gateway::testing::read_file(std::string(OPP_SOURCE_DIR) +
                                          "/tests/unit/crypto/testdata/" + name);
}

opp::Error error_of(SignType type, KeyMaterial::Kind kind, const std::string& bytes) {
  auto result = normalize_key_material(type, KeyMaterial{kind, bytes});
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().message.find("s3cret") == std::string::npos);
  return result.error();
}

constexpr auto kSecret = KeyMaterial::Kind::kSecret;
constexpr auto kPem = KeyMaterial::Kind::kPublicKeyPem;

}  // namespace

TEST_CASE("merchant ids: 1-64 characters of [A-Za-z0-9_-]", "[gateway][merchant-key]") {
  for (const std::string& id :
       std::vector<std::string>{"M", "M1", "shop_42-east", std::string(64, 'a'), "0"}) {
    CHECK(validate_merchant_id(id).ok());
  }
  for (const std::string& id :
       {std::string(), std::string(65, 'a'), std::string("M 1"), std::string("M/1"),
        std::string("M.1"), std::string("m\xc3\xa9"), std::string("M1\n"),
        std::string("M\0"
                    "1",
                    3),
        std::string("'")}) {
    INFO(id);
    auto valid = validate_merchant_id(id);
    REQUIRE_FALSE(valid.ok());
    CHECK(valid.error().code == opp::ErrorCode::kBadRequest);
    CHECK(valid.error().sub_code == "invalid-merchant-id");
    CHECK(valid.error().message == "merchant id must be 1-64 characters of A-Z a-z 0-9 _ -");
  }
}

TEST_CASE("merchant keys: secrets for HMAC, public keys for RSA2", "[gateway][merchant-key]") {
  CHECK(normalize_key_material(SignType::kHmacSha256, {kSecret, "s3cret"}).value() == "s3cret");
  CHECK(normalize_key_material(SignType::kHmacSm3, {kSecret, std::string(4096, 'x')}).ok());
  // Any SPKI or PKCS#1 RSA public key is stored as SPKI PEM.
  const std::string spki = crypto_testdata("pub_spki.pem");
  CHECK(normalize_key_material(SignType::kRsa2, {kPem, crypto_testdata("pub_pkcs1.pem")}).value() ==
        spki);
  CHECK(normalize_key_material(SignType::kRsa2, {kPem, spki}).value() == spki);

  const opp::Error rsa_secret = error_of(SignType::kRsa2, kSecret, "s3cret");
  CHECK(rsa_secret.sub_code == "sign-type-mismatch");
  CHECK(rsa_secret.message == "sign type RSA2 takes an RSA public key, not a secret");
  const opp::Error hmac_key = error_of(SignType::kHmacSm3, kPem, spki);
  CHECK(hmac_key.sub_code == "sign-type-mismatch");
  CHECK(hmac_key.message == "sign type HMAC-SM3 takes a secret, not a public key");
  const opp::Error empty = error_of(SignType::kHmacSha256, kSecret, "");
  CHECK(empty.sub_code == "empty-secret");
  CHECK(empty.message == "the secret must not be empty");
  CHECK(error_of(SignType::kHmacSha256, kSecret, std::string(4097, 'x')).message ==
        "the secret must be at most 4096 bytes");
  const opp::Error small = error_of(SignType::kRsa2, kPem, crypto_testdata("small_pub.pem"));
  CHECK(small.sub_code == "invalid-key");
  CHECK(small.message == "RSA keys must have at least 2048 bits");
  CHECK(error_of(SignType::kRsa2, kPem, "s3cret, not a key").message ==
        "not a PEM RSA public key (or an encrypted one)");
  CHECK(error_of(SignType::kRsa2, kPem, crypto_testdata("ec.pem")).sub_code == "invalid-key");
}
