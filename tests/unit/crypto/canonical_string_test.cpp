#include "opp/crypto/canonical_string.hpp"

#include <catch2/catch.hpp>

using opp::crypto::canonical_string;
using opp::crypto::SignedParam;
using Params = std::vector<std::pair<std::string, std::string>>;

TEST_CASE("canonical string sorts, drops sign and empty values", "[crypto][canonical]") {
  const Params params = {
      {"timestamp", "1700000000"}, {"sign", "abcdef"},
      {"method", "unifypay"},      {"merchant_id", "M100"},
      {"empty_extra", ""},         {"sign_type", "HMAC-SHA256"},
      {"nonce_str", "abc12345"},   {"biz_params", "{\"out_order_no\":\"A1\",\"x\":\"a&b=c\"}"},
  };
  CHECK(canonical_string(params) ==
        "biz_params={\"out_order_no\":\"A1\",\"x\":\"a&b=c\"}&merchant_id=M100"
        "&method=unifypay&nonce_str=abc12345&sign_type=HMAC-SHA256&timestamp=1700000000");
}

TEST_CASE("canonical string orders keys by bytes, not by locale", "[crypto][canonical]") {
  // 'B' (0x42) < '_' (0x5f) < 'a' (0x61) < 'é' (0xc3 0xa9, as unsigned bytes).
  const Params params = {
      {"a", "1"}, {"\xc3\xa9t\xc3\xa9", "2"}, {"_x", "3"}, {"B", "4"}, {"ab", "5"}};
  CHECK(canonical_string(params) == "B=4&_x=3&a=1&ab=5&\xc3\xa9t\xc3\xa9=2");
}

TEST_CASE("canonical string keeps values raw", "[crypto][canonical]") {
  const std::map<std::string, std::string> params = {
      {"subject", "咖啡 + tea%20&"}, {"amount", " 1 "}, {"sign", "x"}};
  CHECK(canonical_string(params) == "amount= 1 &subject=咖啡 + tea%20&");
}

TEST_CASE("canonical string of nothing signable is empty", "[crypto][canonical]") {
  CHECK(canonical_string(Params{}).empty());
  CHECK(canonical_string(Params{{"sign", "abc"}, {"x", ""}}).empty());
}

TEST_CASE("canonical string over views matches the owning overloads", "[crypto][canonical]") {
  const std::vector<SignedParam> views = {{"b", "2"}, {"a", "1"}, {"sign", "s"}};
  CHECK(canonical_string(std::span<const SignedParam>(views)) == "a=1&b=2");
  // Duplicate keys (rejected earlier by the gateway) still give a stable order.
  const std::vector<SignedParam> duplicates = {{"k", "2"}, {"k", "1"}};
  CHECK(canonical_string(std::span<const SignedParam>(duplicates)) == "k=1&k=2");
}
