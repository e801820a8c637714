#include "opp/crypto/signature.hpp"

#include <catch2/catch.hpp>

#include "opp/crypto/canonical_string.hpp"
#include "test_files.hpp"

using namespace opp::crypto;
using opp::crypto::test::testdata;

namespace {

// Expected values from `printf '%s' "$CANONICAL" | openssl dgst -sha256|-sm3 -hmac
// merchant-secret-1` with the canonical string of merchant_request(sign_type).
const char* const kSecret = "merchant-secret-1";
const char* const kSha256Sign = "ae3e634f52ec65a342f2114ea73bb1735abe443385169c8da8152025c30840a1";
const char* const kSm3Sign = "cf9ea629964f686b61932cd7a7de7dd6f944f04b90408a9af4ab4259b1d60563";

std::string merchant_request(const char* sign_type, const char* sign) {
  const std::vector<std::pair<std::string, std::string>> params = {
      {"merchant_id", "M100"},
      {"method", "unifypay"},
      {"biz_params", "{\"out_order_no\":\"A1\",\"total_amount\":100}"},
      {"timestamp", "1700000000"},
      {"nonce_str", "abc12345"},
      {"sign_type", sign_type},
      {"sign", sign},
  };
  return canonical_string(params);
}

std::string upper(std::string text) {
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

VerifyKey secret(const char* bytes) {
  return HmacSecret{bytes};
}

}  // namespace

TEST_CASE("sign types parse by their exact wire names", "[crypto][signature]") {
  for (SignType type : {SignType::kHmacSha256, SignType::kHmacSm3, SignType::kRsa2}) {
    auto parsed = parse_sign_type(sign_type_name(type));
    REQUIRE(parsed.ok());
    CHECK(*parsed == type);
  }
  for (const char* name : {"hmac-sha256", "RSA", "MD5", ""}) {
    INFO(name);
    auto parsed = parse_sign_type(name);
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.error().code == opp::ErrorCode::kUnauthorized);
    CHECK(parsed.error().sub_code == "unsupported-sign-type");
    CHECK(parsed.error().message == "sign_type must be HMAC-SHA256, HMAC-SM3 or RSA2");
  }
}

TEST_CASE("HMAC merchant signatures match known answers", "[crypto][signature]") {
  const std::string sha256_canonical = merchant_request("HMAC-SHA256", kSha256Sign);
  const std::string sm3_canonical = merchant_request("HMAC-SM3", kSm3Sign);
  CHECK(verify_merchant_signature(SignType::kHmacSha256, secret(kSecret), sha256_canonical,
                                  kSha256Sign)
            .ok());
  CHECK(
      verify_merchant_signature(SignType::kHmacSm3, secret(kSecret), sm3_canonical, kSm3Sign).ok());

  auto produced = sign(SignType::kHmacSha256, HmacSecret{kSecret}, sha256_canonical);
  REQUIRE(produced.ok());
  CHECK(*produced == kSha256Sign);
}

TEST_CASE("HMAC signature hex is case-insensitive", "[crypto][signature]") {
  const std::string canonical = merchant_request("HMAC-SHA256", kSha256Sign);
  CHECK(verify_merchant_signature(SignType::kHmacSha256, secret(kSecret), canonical,
                                  upper(kSha256Sign))
            .ok());
}

TEST_CASE("wrong HMAC signatures are invalid-signature", "[crypto][signature]") {
  const std::string canonical = merchant_request("HMAC-SHA256", kSha256Sign);
  std::string flipped = kSha256Sign;
  flipped[10] = flipped[10] == '0' ? '1' : '0';
  const std::string cases[] = {
      flipped,                          // one nibble off
      std::string(kSha256Sign, 62),     // truncated
      std::string(kSha256Sign) + "00",  // too long
      std::string(64, 'z'),             // not hex
      "",                               // empty
      kSm3Sign,                         // the other digest
  };
  for (const std::string& sign_value : cases) {
    INFO(sign_value);
    auto result =
        verify_merchant_signature(SignType::kHmacSha256, secret(kSecret), canonical, sign_value);
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().code == opp::ErrorCode::kUnauthorized);
    CHECK(result.error().sub_code == "invalid-signature");
    CHECK(result.error().message == "signature does not match");
  }
  auto wrong_secret =
      verify_merchant_signature(SignType::kHmacSha256, secret("other"), canonical, kSha256Sign);
  REQUIRE_FALSE(wrong_secret.ok());
  CHECK(wrong_secret.error().sub_code == "invalid-signature");
}

TEST_CASE("RSA2 merchant signatures verify with the registered public key", "[crypto][signature]") {
  auto key = make_verify_key(SignType::kRsa2, testdata("pub_spki.pem"));
  REQUIRE(key.ok());
  CHECK(verify_merchant_signature(SignType::kRsa2, *key, testdata("rsa2_message.txt"),
                                  testdata("rsa2_message.sig.b64"))
            .ok());
  auto tampered = verify_merchant_signature(SignType::kRsa2, *key, "merchant_id=M101",
                                            testdata("rsa2_message.sig.b64"));
  REQUIRE_FALSE(tampered.ok());
  CHECK(tampered.error().sub_code == "invalid-signature");
}

TEST_CASE("a key that does not fit the sign type is sign-type-mismatch", "[crypto][signature]") {
  auto public_key = make_verify_key(SignType::kRsa2, testdata("pub_spki.pem"));
  REQUIRE(public_key.ok());
  auto hmac_with_rsa_key = verify(SignType::kHmacSm3, *public_key, "m", "00");
  REQUIRE_FALSE(hmac_with_rsa_key.ok());
  CHECK(hmac_with_rsa_key.error().code == opp::ErrorCode::kUnauthorized);
  CHECK(hmac_with_rsa_key.error().sub_code == "sign-type-mismatch");
  CHECK(hmac_with_rsa_key.error().message == "sign_type HMAC-SM3 needs a shared secret");

  auto rsa_with_secret = verify(SignType::kRsa2, secret(kSecret), "m", "AAAA");
  REQUIRE_FALSE(rsa_with_secret.ok());
  CHECK(rsa_with_secret.error().sub_code == "sign-type-mismatch");
  CHECK(rsa_with_secret.error().message == "sign_type RSA2 needs an RSA key");

  auto signing = sign(SignType::kRsa2, HmacSecret{kSecret}, "m");
  REQUIRE_FALSE(signing.ok());
  CHECK(signing.error().sub_code == "sign-type-mismatch");
}

TEST_CASE("make_verify_key rejects unusable key material", "[crypto][signature]") {
  auto empty_secret = make_verify_key(SignType::kHmacSha256, "");
  REQUIRE_FALSE(empty_secret.ok());
  CHECK(empty_secret.error().code == opp::ErrorCode::kBadRequest);
  CHECK(empty_secret.error().sub_code == "invalid-key");
  CHECK(empty_secret.error().message == "HMAC secret is empty");

  auto bad_pem = make_verify_key(SignType::kRsa2, "-----BEGIN PUBLIC KEY-----\nxx\n");
  REQUIRE_FALSE(bad_pem.ok());
  CHECK(bad_pem.error().sub_code == "invalid-key");

  auto hmac_key = make_verify_key(SignType::kHmacSm3, kSecret);
  REQUIRE(hmac_key.ok());
  REQUIRE(std::holds_alternative<HmacSecret>(*hmac_key));
  CHECK(std::get<HmacSecret>(*hmac_key).bytes == kSecret);
}
