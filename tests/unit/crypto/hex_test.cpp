#include "opp/crypto/hex.hpp"

#include <catch2/catch.hpp>

using namespace opp::crypto;

TEST_CASE("hex_encode writes lowercase pairs", "[crypto][hex]") {
  CHECK(hex_encode("") == "");
  CHECK(hex_encode(std::string("\x00\x01\xab\xff", 4)) == "0001abff");
  CHECK(hex_encode("Hi") == "4869");
}

TEST_CASE("hex_decode accepts both cases and round-trips", "[crypto][hex]") {
  auto lower = hex_decode("0001abff");
  REQUIRE(lower.ok());
  CHECK(*lower == std::string("\x00\x01\xab\xff", 4));
  auto upper = hex_decode("0001ABFF");
  REQUIRE(upper.ok());
  CHECK(*upper == *lower);
  std::string all_bytes;
  for (int i = 0; i < 256; ++i) all_bytes.push_back(static_cast<char>(i));
  auto round_trip = hex_decode(hex_encode(all_bytes));
  REQUIRE(round_trip.ok());
  CHECK(*round_trip == all_bytes);
}

TEST_CASE("hex_decode rejects odd lengths and foreign characters", "[crypto][hex]") {
  auto odd = hex_decode("abc");
  REQUIRE_FALSE(odd.ok());
  CHECK(odd.error().code == opp::ErrorCode::kBadRequest);
  CHECK(odd.error().sub_code == "invalid-hex");
  CHECK(odd.error().message == "hex text has an odd number of characters");

  auto foreign = hex_decode("0g");
  REQUIRE_FALSE(foreign.ok());
  CHECK(foreign.error().sub_code == "invalid-hex");
  CHECK(foreign.error().message == "hex text has a character outside [0-9A-Fa-f]");
  CHECK_FALSE(hex_decode("  ").ok());
}
