#include "opp/crypto/random.hpp"

#include <catch2/catch.hpp>
#include <set>

using namespace opp::crypto;

TEST_CASE("random_bytes returns the requested count", "[crypto][random]") {
  for (size_t count : {0u, 1u, 16u, 1000u}) {
    auto bytes = random_bytes(count);
    REQUIRE(bytes.ok());
    CHECK(bytes->size() == count);
  }
  auto a = random_bytes(32);
  auto b = random_bytes(32);
  REQUIRE((a.ok() && b.ok()));
  CHECK(*a != *b);
}

TEST_CASE("nonces are valid nonce_str values and do not repeat", "[crypto][random]") {
  // nonce_str is 8-64 chars of [A-Za-z0-9_-] (SPEC §3.1).
  const auto is_nonce_str = [](const std::string& text) {
    return text.size() >= 8 && text.size() <= 64 &&
           text.find_first_not_of(
               "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
               "0123456789_-") == std::string::npos;
  };
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    auto nonce = generate_nonce();
    REQUIRE(nonce.ok());
    CHECK(is_nonce_str(*nonce));
    seen.insert(*nonce);
  }
  CHECK(seen.size() == 1000);
}
