#include "opp/crypto/constant_time.hpp"

#include <catch2/catch.hpp>
#include <string>

using opp::crypto::constant_time_equal;

TEST_CASE("constant_time_equal compares bytes", "[crypto][constant-time]") {
  CHECK(constant_time_equal("", ""));
  CHECK(constant_time_equal("abc", "abc"));
  CHECK_FALSE(constant_time_equal("abc", "abd"));
  CHECK_FALSE(constant_time_equal("abc", "xbc"));
  CHECK_FALSE(constant_time_equal("abc", "ab"));
  CHECK_FALSE(constant_time_equal("", "a"));
}

TEST_CASE("constant_time_equal sees bytes after a NUL and high bytes", "[crypto][constant-time]") {
  const std::string a("\x00\xff\x01", 3);
  const std::string b("\x00\xff\x02", 3);
  CHECK(constant_time_equal(a, std::string("\x00\xff\x01", 3)));
  CHECK_FALSE(constant_time_equal(a, b));
}

TEST_CASE("constant_time_equal finds a difference at any position", "[crypto][constant-time]") {
  const std::string base(64, 'x');
  for (size_t i = 0; i < base.size(); ++i) {
    std::string changed = base;
    changed[i] = 'y';
    INFO("position " << i);
    CHECK_FALSE(constant_time_equal(base, changed));
  }
}
