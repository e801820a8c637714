#include "opp/crypto/base64.hpp"

#include <catch2/catch.hpp>

using namespace opp::crypto;

TEST_CASE("base64_encode matches RFC 4648 section 10", "[crypto][base64]") {
  CHECK(base64_encode("") == "");
  CHECK(base64_encode("f") == "Zg==");
  CHECK(base64_encode("fo") == "Zm8=");
  CHECK(base64_encode("foo") == "Zm9v");
  CHECK(base64_encode("foob") == "Zm9vYg==");
  CHECK(base64_encode("fooba") == "Zm9vYmE=");
  CHECK(base64_encode("foobar") == "Zm9vYmFy");
}

TEST_CASE("url-safe base64 uses - and _ and no padding", "[crypto][base64]") {
  const std::string data("\xfb\xff\xbf", 3);
  CHECK(base64_encode(data) == "+/+/");
  CHECK(base64_encode(data, Base64Alphabet::kUrlSafe) == "-_-_");
  CHECK(base64_encode("f", Base64Alphabet::kUrlSafe) == "Zg");
  auto decoded = base64_decode("-_-_", Base64Alphabet::kUrlSafe);
  REQUIRE(decoded.ok());
  CHECK(*decoded == data);
  CHECK_FALSE(base64_decode("-_-_").ok());
  CHECK_FALSE(base64_decode("+/+/", Base64Alphabet::kUrlSafe).ok());
}

TEST_CASE("base64_decode takes padding as optional", "[crypto][base64]") {
  for (const char* text : {"Zm9vYg==", "Zm9vYg"}) {
    auto decoded = base64_decode(text);
    REQUIRE(decoded.ok());
    CHECK(*decoded == "foob");
  }
  auto padded_url = base64_decode("Zm8=", Base64Alphabet::kUrlSafe);
  REQUIRE(padded_url.ok());
  CHECK(*padded_url == "fo");
}

TEST_CASE("base64 round-trips every byte value", "[crypto][base64]") {
  std::string data;
  for (int i = 0; i < 256; ++i) data.push_back(static_cast<char>(255 - i));
  for (size_t length = 0; length <= data.size(); length += 37) {
    const std::string slice = data.substr(0, length);
    for (auto alphabet : {Base64Alphabet::kStandard, Base64Alphabet::kUrlSafe}) {
      auto decoded = base64_decode(base64_encode(slice, alphabet), alphabet);
      REQUIRE(decoded.ok());
      CHECK(*decoded == slice);
    }
  }
}

TEST_CASE("base64_decode rejects malformed text", "[crypto][base64]") {
  struct Case {
    const char* text;
    const char* message;
  };
  const Case cases[] = {
      {"Zm9v!AAA", "base64 text has a character outside the alphabet"},
      {"Zm9 vAAA", "base64 text has a character outside the alphabet"},
      {"Zm9vY", "base64 text has an impossible length"},
      {"Zg=", "base64 text has misplaced '=' padding"},
      {"Zm8==", "base64 text has misplaced '=' padding"},
      {"Zh==", "base64 text has non-zero trailing bits"},
      {"Z===", "base64 text has a character outside the alphabet"},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    auto decoded = base64_decode(c.text);
    REQUIRE_FALSE(decoded.ok());
    CHECK(decoded.error().code == opp::ErrorCode::kBadRequest);
    CHECK(decoded.error().sub_code == "invalid-base64");
    CHECK(decoded.error().message == c.message);
  }
}
