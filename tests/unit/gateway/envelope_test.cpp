#include "gateway/request/envelope.hpp"

#include <catch2/catch.hpp>
#include <map>
#include <string>

#include "gateway/request/canonical_params.hpp"
#include "opp/crypto/signature.hpp"

using namespace opp::gateway::request;

namespace {

using Params = std::map<std::string, std::string>;

Params valid_params() {
  return {{"merchant_id", "M100"},
          {"method", "unifypay"},
          {"biz_params", "{\"a\":1}"},
          {"timestamp", "1700000000"},
          {"nonce_str", "abc12345"},
          {"sign_type", "HMAC-SHA256"},
          {"sign", "00ff"}};
}

/// A JSON body of `params` (values need no escaping in these tests).
std::string json_body(const Params& params) {
  std::string body = "{";
  for (const auto& [key, value] : params) {
    if (body.size() > 1) body += ",";
    std::string escaped;
    for (char c : value) {
      if (c == '"' || c == '\\') escaped += '\\';
      escaped += c;
    }
    body += "\"" + key + "\":\"" + escaped + "\"";
  }
  return body + "}";
}

RequestParams request_of(const Params& params) {
  auto parsed = parse_request_params("application/json", json_body(params));
  REQUIRE(parsed.ok());
  return std::move(parsed).value();
}

opp::Error envelope_failure(const Params& params) {
  RequestParams request = request_of(params);
  auto envelope = check_envelope(request);
  REQUIRE_FALSE(envelope.ok());
  CHECK(envelope.error().code == opp::ErrorCode::kBadRequest);
  return envelope.error();
}

}  // namespace

TEST_CASE("a complete envelope is read as views of the params", "[gateway][envelope]") {
  RequestParams request = request_of(valid_params());
  auto envelope = check_envelope(request);
  REQUIRE(envelope.ok());
  CHECK(envelope->merchant_id == "M100");
  CHECK(envelope->method == "unifypay");
  CHECK(envelope->biz_params == "{\"a\":1}");
  CHECK(envelope->timestamp_s == 1700000000);
  CHECK(envelope->nonce_str == "abc12345");
  CHECK(envelope->sign_type == "HMAC-SHA256");
  CHECK(envelope->sign == "00ff");
  CHECK(envelope->sign.data() == request.find("sign")->data());
}

TEST_CASE("biz_params absent or empty reads as {}", "[gateway][envelope]") {
  Params params = valid_params();
  params.erase("biz_params");
  RequestParams absent = request_of(params);
  auto envelope = check_envelope(absent);
  REQUIRE(envelope.ok());
  CHECK(envelope->biz_params == "{}");
  params["biz_params"] = "";
  RequestParams empty = request_of(params);
  auto empty_envelope = check_envelope(empty);
  REQUIRE(empty_envelope.ok());
  CHECK(empty_envelope->biz_params == "{}");
}

TEST_CASE("each required param, absent or empty, is missing-param naming it",
          "[gateway][envelope]") {
  for (const char* key : {"merchant_id", "method", "timestamp", "nonce_str", "sign_type", "sign"}) {
    for (bool empty : {false, true}) {
      INFO(key << (empty ? " empty" : " absent"));
      Params params = valid_params();
      if (empty) {
        params[key] = "";
      } else {
        params.erase(key);
      }
      opp::Error error = envelope_failure(params);
      CHECK(error.sub_code == "missing-param");
      CHECK(error.message == std::string("missing parameter ") + key);
      CHECK(error.path == key);
    }
  }
}

TEST_CASE("the first failing param in SPEC order answers", "[gateway][envelope]") {
  Params params = valid_params();
  params.erase("sign");
  params["timestamp"] = "soon";
  params.erase("method");
  CHECK(envelope_failure(params).path == "method");
  params["method"] = "m";
  CHECK(envelope_failure(params).path == "timestamp");
  params["timestamp"] = "1";
  CHECK(envelope_failure(params).path == "sign");
}

TEST_CASE("timestamp is 1 to 19 decimal digits within int64", "[gateway][envelope]") {
  const std::pair<const char*, int64_t> accepted[] = {
      {"0", 0},
      {"1700000000", 1700000000},
      {"0001700000000", 1700000000},
      {"9223372036854775807", INT64_MAX},
  };
  for (const auto& [text, value] : accepted) {
    INFO(text);
    Params params = valid_params();
    params["timestamp"] = text;
    RequestParams request = request_of(params);
    auto envelope = check_envelope(request);
    REQUIRE(envelope.ok());
    CHECK(envelope->timestamp_s == value);
  }
  for (const char* text :
       {"-1", "+1700000000", "1700000000.5", "17e8", " 1700000000", "0x10", "abc",
        "9223372036854775808", "9999999999999999999", "00000000000000000001"}) {
    INFO(text);
    Params params = valid_params();
    params["timestamp"] = text;
    opp::Error error = envelope_failure(params);
    CHECK(error.sub_code == "invalid-param");
    CHECK(error.message == "parameter timestamp must be Unix seconds: 1 to 19 decimal digits");
    CHECK(error.path == "timestamp");
  }
}

TEST_CASE("nonce_str is 8 to 64 of [A-Za-z0-9_-]", "[gateway][envelope]") {
  for (std::string nonce : {std::string(8, 'a'), std::string(64, 'Z'), std::string("aZ09_-aZ")}) {
    INFO(nonce);
    Params params = valid_params();
    params["nonce_str"] = nonce;
    RequestParams request = request_of(params);
    auto envelope = check_envelope(request);
    REQUIRE(envelope.ok());
    CHECK(envelope->nonce_str == nonce);
  }
  for (std::string nonce :
       {std::string(7, 'a'), std::string(65, 'a'), std::string("abcd efg"), std::string("abcd+efg"),
        std::string("abcd.efg"), std::string("abcdefg\xc3\xa9")}) {
    INFO(nonce);
    Params params = valid_params();
    params["nonce_str"] = nonce;
    opp::Error error = envelope_failure(params);
    CHECK(error.sub_code == "invalid-param");
    CHECK(error.message == "parameter nonce_str must be 8 to 64 characters of [A-Za-z0-9_-]");
  }
}

TEST_CASE("any sign_type value passes the envelope, authentication judges it",
          "[gateway][envelope]") {
  Params params = valid_params();
  params["sign_type"] = "MD5";
  RequestParams request = request_of(params);
  auto envelope = check_envelope(request);
  REQUIRE(envelope.ok());
  CHECK(envelope->sign_type == "MD5");
}

TEST_CASE("the canonical string leaves out sign and empty values, sorted, raw",
          "[gateway][envelope]") {
  auto request = parse_request_params("application/x-www-form-urlencoded",
                                      "sign=zz&b=2&a=x+y%26z%3D&empty=&c=%E4%B8%AD&A=upper");
  REQUIRE(request.ok());
  CHECK(canonical_string(*request) == "A=upper&a=x y&z=&b=2&c=\xe4\xb8\xad");
}

TEST_CASE("the canonical string of a form request matches the crypto known answer",
          "[gateway][envelope]") {
  // Same params as tests/unit/crypto/signature_test.cpp, sent URL-encoded in another order.
  auto request = parse_request_params(
      "application/x-www-form-urlencoded",
      "sign=ae3e634f52ec65a342f2114ea73bb1735abe443385169c8da8152025c30840a1&nonce_str=abc12345"
      "&biz_params=%7B%22out_order_no%22%3A%22A1%22%2C%22total_amount%22%3A100%7D"
      "&merchant_id=M100&timestamp=1700000000&method=unifypay&sign_type=HMAC-SHA256");
  REQUIRE(request.ok());
  const std::string canonical = canonical_string(*request);
  CHECK(canonical ==
        "biz_params={\"out_order_no\":\"A1\",\"total_amount\":100}&merchant_id=M100&method="
        "unifypay&nonce_str=abc12345&sign_type=HMAC-SHA256&timestamp=1700000000");
  CHECK(opp::crypto::verify_merchant_signature(opp::crypto::SignType::kHmacSha256,
                                               opp::crypto::HmacSecret{"merchant-secret-1"},
                                               canonical, *request->find("sign"))
            .ok());
}
