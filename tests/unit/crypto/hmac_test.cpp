#include "opp/crypto/hmac.hpp"

#include <catch2/catch.hpp>

#include "opp/crypto/hex.hpp"
#include "test_files.hpp"

using namespace opp::crypto;
using opp::crypto::test::bytes_of_hex;

namespace {

struct Vector {
  std::string key;
  std::string data;
  const char* sha256;  // RFC 4231
  const char* sm3;     // openssl mac -digest SM3 -macopt hexkey:<key> HMAC (OpenSSL 3.0)
};

std::vector<Vector> vectors() {
  const std::string long_key(131, '\xaa');
  return {
      {std::string(20, '\x0b'), "Hi There",
       "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
       "51b00d1fb49832bfb01c3ce27848e59f871d9ba938dc563b338ca964755cce70"},
      {"Jefe", "what do ya want for nothing?",
       "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
       "2e87f1d16862e6d964b50a5200bf2b10b764faa9680a296a2405f24bec39f882"},
      {std::string(20, '\xaa'), std::string(50, '\xdd'),
       "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe",
       "dd9421e1c725bdf52ec1aa34edadb3c97f5951a83a2fa93f73a7902bc1dcc777"},
      {bytes_of_hex("0102030405060708090a0b0c0d0e0f10111213141516171819"), std::string(50, '\xcd'),
       "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b",
       "b57c79be03472aeb8cada581dea332cb2ba83d19cb1b052dd07194def75fb8cd"},
      {long_key, "Test Using Larger Than Block-Size Key - Hash Key First",
       "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
       "b4fd844e13342002f0b2e0690ea7741f1497d993a70494cea601e657bedf67a0"},
      {long_key,
       "This is a test using a larger than block-size key and a larger than block-size "
       "data. The key needs to be hashed before being used by the HMAC algorithm.",
       "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
       "5acbdeb0c8c1ef3a99088fe51c0a1d5f4e1c175935f016aee74eb8056db18acb"},
      // Empty key and message: `openssl mac -digest <D> -macopt hexkey: HMAC < /dev/null`.
      {"", "", "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad",
       "0d23f72ba15e9c189a879aefc70996b06091de6e64d31b7a84004356dd915261"},
  };
}

}  // namespace

TEST_CASE("HMAC-SHA256 matches RFC 4231", "[crypto][hmac]") {
  int index = 0;
  for (const Vector& v : vectors()) {
    INFO("vector " << index++);
    auto mac = hmac_sha256(v.key, v.data);
    REQUIRE(mac.ok());
    CHECK(mac->size() == 32);
    CHECK(hex_encode(*mac) == v.sha256);
  }
}

TEST_CASE("HMAC-SM3 matches vectors computed with the openssl CLI", "[crypto][hmac]") {
  int index = 0;
  for (const Vector& v : vectors()) {
    INFO("vector " << index++);
    auto mac = hmac_sm3(v.key, v.data);
    REQUIRE(mac.ok());
    CHECK(mac->size() == 32);
    CHECK(hex_encode(*mac) == v.sm3);
  }
}

TEST_CASE("HMAC depends on the key and on every byte of the data", "[crypto][hmac]") {
  auto base = hmac_sha256("secret", "amount=100");
  auto other_key = hmac_sha256("secreT", "amount=100");
  auto other_data = hmac_sha256("secret", "amount=101");
  auto sm3 = hmac_sm3("secret", "amount=100");
  REQUIRE((base.ok() && other_key.ok() && other_data.ok() && sm3.ok()));
  CHECK(*base != *other_key);
  CHECK(*base != *other_data);
  CHECK(*base != *sm3);
}
