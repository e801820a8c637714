#include "opp/crypto/response_signature.hpp"

#include <catch2/catch.hpp>
#include <chrono>

#include "opp/crypto/hex.hpp"
#include "opp/crypto/hmac.hpp"
#include "opp/crypto/rsa2.hpp"
#include "test_files.hpp"

using namespace opp::crypto;
using opp::crypto::test::testdata;

namespace {

const std::string kBody = R"({"err_code":0,"err_message":"ok","request_id":"r-1","data":{}})";

PrivateKey platform_key() {
  auto key = PrivateKey::from_pem(testdata("rsa_pkcs8.pem"));
  REQUIRE(key.ok());
  return *key;
}

}  // namespace

TEST_CASE("the signed string is timestamp, nonce and body, each newline-terminated",
          "[crypto][response]") {
  CHECK(response_signing_string("1700000000", "n1", "{}") == "1700000000\nn1\n{}\n");
  CHECK(response_signing_string("1", "n", "") == "1\nn\n\n");
}

TEST_CASE("HMAC response signatures cover exactly the signed string", "[crypto][response]") {
  auto headers =
      sign_response(SignType::kHmacSha256, HmacSecret{"s3cret"}, kBody, 1700000000, "nonce-1");
  REQUIRE(headers.ok());
  CHECK(headers->timestamp == "1700000000");
  CHECK(headers->nonce == "nonce-1");
  CHECK(headers->sign_type == "HMAC-SHA256");
  auto expected = hmac_sha256("s3cret", "1700000000\nnonce-1\n" + kBody + "\n");
  REQUIRE(expected.ok());
  CHECK(headers->signature == hex_encode(*expected));
  CHECK(verify_response(HmacSecret{"s3cret"}, *headers, kBody).ok());

  auto sm3 = sign_response(SignType::kHmacSm3, HmacSecret{"s3cret"}, kBody, 1700000000, "n");
  REQUIRE(sm3.ok());
  CHECK(sm3->sign_type == "HMAC-SM3");
  CHECK(verify_response(HmacSecret{"s3cret"}, *sm3, kBody).ok());
}

TEST_CASE("RSA2 response signatures verify with the platform public key", "[crypto][response]") {
  const PrivateKey key = platform_key();
  auto headers = sign_response(SignType::kRsa2, key, kBody, 1700000000, "nonce-2");
  REQUIRE(headers.ok());
  CHECK(headers->sign_type == "RSA2");
  CHECK(rsa2_verify(key.public_key(), "1700000000\nnonce-2\n" + kBody + "\n", headers->signature)
            .ok());
  CHECK(verify_response(key.public_key(), *headers, kBody).ok());
}

TEST_CASE("response verification detects any changed part", "[crypto][response]") {
  const PrivateKey key = platform_key();
  auto signed_headers = sign_response(SignType::kRsa2, key, kBody, 1700000000, "nonce-3");
  REQUIRE(signed_headers.ok());

  SECTION("body") {
    auto result = verify_response(key.public_key(), *signed_headers, kBody + " ");
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().sub_code == "invalid-signature");
  }
  SECTION("timestamp") {
    ResponseSignature headers = *signed_headers;
    headers.timestamp = "1700000001";
    auto result = verify_response(key.public_key(), headers, kBody);
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().sub_code == "invalid-signature");
  }
  SECTION("nonce") {
    ResponseSignature headers = *signed_headers;
    headers.nonce = "nonce-4";
    auto result = verify_response(key.public_key(), headers, kBody);
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().sub_code == "invalid-signature");
  }
  SECTION("sign type") {
    ResponseSignature headers = *signed_headers;
    headers.sign_type = "RSA";
    auto result = verify_response(key.public_key(), headers, kBody);
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().sub_code == "unsupported-sign-type");
    headers.sign_type = "HMAC-SHA256";
    auto mismatch = verify_response(key.public_key(), headers, kBody);
    REQUIRE_FALSE(mismatch.ok());
    CHECK(mismatch.error().sub_code == "sign-type-mismatch");
  }
}

TEST_CASE("signing without a timestamp uses now and a fresh nonce", "[crypto][response]") {
  const auto before = std::chrono::duration_cast<std::chrono::seconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  auto first = sign_response(SignType::kHmacSha256, HmacSecret{"k"}, kBody);
  auto second = sign_response(SignType::kHmacSha256, HmacSecret{"k"}, kBody);
  REQUIRE((first.ok() && second.ok()));
  const int64_t stamped = std::stoll(first->timestamp);
  CHECK(stamped >= before);
  CHECK(stamped <= before + 5);
  CHECK(first->nonce.size() == 32);
  CHECK(first->nonce != second->nonce);
  CHECK(verify_response(HmacSecret{"k"}, *first, kBody).ok());
}
