// Result helpers: and_then, map, OPP_TRY, OPP_TRY_ASSIGN.
#include <catch2/catch.hpp>

#include <string>

#include "opp/common/enum_table.hpp"
#include "opp/common/result.hpp"

using opp::Error;
using opp::ErrorCode;
using opp::Result;

namespace {

Result<int> parse_positive(int v) {
  if (v <= 0) return Error{ErrorCode::kBadRequest, "invalid-param", "not positive", ""};
  return v;
}

Result<void> check_even(int v) {
  if (v % 2) return Error{ErrorCode::kBadRequest, "odd", "odd", ""};
  return {};
}

int steps = 0;

Result<int> doubled_if_even(int v) {
  OPP_TRY_ASSIGN(int positive, parse_positive(v));
  ++steps;
  OPP_TRY(check_even(positive));
  ++steps;
  return positive * 2;
}

}  // namespace

TEST_CASE("result: and_then and map chain values and pass errors through", "[result]") {
  auto ok = parse_positive(3).and_then([](int v) { return parse_positive(v - 1); }).map([](int v) {
    return std::to_string(v);
  });
  REQUIRE(ok);
  CHECK(*ok == "2");

  bool called = false;
  auto failed = parse_positive(-1).map([&](int v) {
    called = true;
    return v;
  });
  REQUIRE_FALSE(failed);
  CHECK_FALSE(called);
  CHECK(failed.error().sub_code == "invalid-param");

  auto void_chain = check_even(4).and_then([] { return parse_positive(5); });
  REQUIRE(void_chain);
  CHECK(*void_chain == 5);
  CHECK(check_even(3).and_then([] { return parse_positive(5); }).error().sub_code == "odd");
}

TEST_CASE("result: OPP_TRY and OPP_TRY_ASSIGN return the first error", "[result]") {
  steps = 0;
  auto ok = doubled_if_even(4);
  REQUIRE(ok);
  CHECK(*ok == 8);
  CHECK(steps == 2);

  steps = 0;
  CHECK(doubled_if_even(-2).error().sub_code == "invalid-param");
  CHECK(steps == 0);

  steps = 0;
  CHECK(doubled_if_even(3).error().sub_code == "odd");
  CHECK(steps == 1);
}

TEST_CASE("enum table: names both ways", "[enum]") {
  enum class Color { kRed, kBlue, kGreen };
  static constexpr std::array<opp::EnumName<Color>, 2> kNames{{
      {Color::kRed, "red"},
      {Color::kBlue, "blue"},
  }};
  CHECK(opp::name_of(kNames, Color::kBlue) == "blue");
  CHECK(opp::name_of(kNames, Color::kGreen, "?") == "?");
  CHECK(opp::value_of(kNames, "red") == Color::kRed);
  CHECK_FALSE(opp::value_of(kNames, "Red"));
}
