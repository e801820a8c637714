#include "gateway/request/request_params.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "gateway/request/content_type.hpp"

using namespace opp::gateway::request;

namespace {

constexpr const char* kForm = "application/x-www-form-urlencoded";
constexpr const char* kJson = "application/json";

/// The params as (key, value) pairs in iteration order.
std::vector<std::pair<std::string, std::string>> pairs(const RequestParams& params) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& param : params) out.emplace_back(param.key, param.value);
  return out;
}

RequestParams parsed(const char* content_type, std::string_view body) {
  auto params = parse_request_params(content_type, body);
  if (!params) FAIL(params.error().sub_code << ": " << params.error().message);
  return std::move(params).value();
}

opp::Error failure(const char* content_type, std::string_view body) {
  auto params = parse_request_params(content_type, body);
  REQUIRE_FALSE(params.ok());
  CHECK(params.error().code == opp::ErrorCode::kBadRequest);
  return params.error();
}

}  // namespace

TEST_CASE("form bodies decode + and %XX and keep the received order", "[gateway][params]") {
  RequestParams params = parsed(kForm, "b=x+y&a=%41%2b%2F%e4%B8%ad&c=&d&e=1=2");
  using P = std::pair<std::string, std::string>;
  CHECK(pairs(params) ==
        std::vector<P>{{"b", "x y"}, {"a", "A+/\xe4\xb8\xad"}, {"c", ""}, {"d", ""}, {"e", "1=2"}});
  CHECK(params.find("a") == std::optional<std::string_view>("A+/\xe4\xb8\xad"));
  CHECK(params.find("c") == std::optional<std::string_view>(""));
  CHECK(params.find("d") == std::optional<std::string_view>(""));
  CHECK_FALSE(params.find("z").has_value());
  CHECK_FALSE(params.find("").has_value());
  CHECK(params.size() == 5);
}

TEST_CASE("form keys are decoded too, and empty segments are skipped", "[gateway][params]") {
  RequestParams params = parsed(kForm, "&&my+key=1&%6Eonce=2&");
  using P = std::pair<std::string, std::string>;
  CHECK(pairs(params) == std::vector<P>{{"my key", "1"}, {"nonce", "2"}});
  CHECK(parsed(kForm, "").empty());
}

TEST_CASE("a %-escape that is not two hex digits is invalid-param naming the key",
          "[gateway][params]") {
  for (const char* body : {"sign=ab%", "sign=ab%4", "sign=%G1", "sign=%%41", "sign=%4-"}) {
    INFO(body);
    opp::Error error = failure(kForm, body);
    CHECK(error.sub_code == "invalid-param");
    CHECK(error.message == "parameter sign has a bad %-escape");
    CHECK(error.path == "sign");
  }
  opp::Error in_key = failure(kForm, "a=1&bad%zzkey=2");
  CHECK(in_key.sub_code == "invalid-param");
  CHECK(in_key.message == "parameter bad%zzkey has a bad %-escape in its name");
}

TEST_CASE("an empty parameter name is invalid-param", "[gateway][params]") {
  for (const char* body : {"=1", "a=1&=2", "%3d=1&="}) {
    INFO(body);
    opp::Error error = failure(kForm, body);
    CHECK(error.sub_code == "invalid-param");
    CHECK(error.message == "a parameter has an empty name");
  }
  // An escaped '=' is part of the key, not a separator.
  CHECK(parsed(kForm, "%3d=1").find("=") == std::optional<std::string_view>("1"));
  opp::Error json = failure(kJson, R"({"":"x"})");
  CHECK(json.sub_code == "invalid-param");
  CHECK(json.message == "a parameter has an empty name");
}

TEST_CASE("a key given twice is duplicate-param naming it", "[gateway][params]") {
  opp::Error form = failure(kForm, "nonce_str=a&sign=x&nonce_str=b");
  CHECK(form.sub_code == "duplicate-param");
  CHECK(form.message == "parameter nonce_str is given twice");
  CHECK(form.path == "nonce_str");
  // Same key once encoded and once not: equal after decoding.
  CHECK(failure(kForm, "sign=1&%73ign=2").sub_code == "duplicate-param");
  opp::Error json = failure(kJson, R"({"sign":"a","method":"m","sign":"b"})");
  CHECK(json.sub_code == "duplicate-param");
  CHECK(json.message == "parameter sign is given twice");
}

TEST_CASE("duplicates are found among many params", "[gateway][params]") {
  std::string body;
  for (int i = 0; i < 20000; ++i) body += "k" + std::to_string(i) + "=v&";
  RequestParams many = parsed(kForm, body);
  CHECK(many.size() == 20000);
  CHECK(many.find("k19999") == std::optional<std::string_view>("v"));
  CHECK(many.find("k0") == std::optional<std::string_view>("v"));
  CHECK_FALSE(many.find("k20000").has_value());
  body += "k7=again";
  opp::Error error = failure(kForm, body);
  CHECK(error.sub_code == "duplicate-param");
  CHECK(error.path == "k7");
}

TEST_CASE("keys and values must be UTF-8 after decoding", "[gateway][params]") {
  const char* bad_values[] = {
      "v=%FF",           // not a UTF-8 byte
      "v=%C3",           // truncated sequence
      "v=%C0%AF",        // overlong '/'
      "v=%ED%A0%80",     // surrogate U+D800
      "v=%F4%90%80%80",  // above U+10FFFF
      "v=abcdefgh%80",   // stray continuation after the ASCII fast path
  };
  for (const char* body : bad_values) {
    INFO(body);
    opp::Error error = failure(kForm, body);
    CHECK(error.sub_code == "invalid-param");
    CHECK(error.message == "parameter v is not valid UTF-8");
  }
  opp::Error key = failure(kForm, "k%FF=1");
  CHECK(key.sub_code == "invalid-param");
  CHECK(key.message == "a parameter name is not valid UTF-8");
  // Raw (unescaped) bytes in a form body are judged the same way.
  CHECK(failure(kForm, "v=\xff").sub_code == "invalid-param");
  CHECK(parsed(kForm, "v=\xf0\x9f\x98\x80%F0%9F%98%80").find("v") ==
        std::optional<std::string_view>("\xf0\x9f\x98\x80\xf0\x9f\x98\x80"));
}

TEST_CASE("a key named in a message is shortened and made printable", "[gateway][params]") {
  std::string long_key(100, 'k');
  opp::Error error = failure(kForm, long_key + "=%zz");
  CHECK(error.message == "parameter " + std::string(64, 'k') + "... has a bad %-escape");
  opp::Error control = failure(kForm, "a%0Ab=%zz");
  CHECK(control.message == "parameter a?b has a bad %-escape");
}

TEST_CASE("JSON bodies are one object of strings, unescaped", "[gateway][params]") {
  RequestParams params =
      parsed(kJson,
             " {\"b\":\"x y\",\"a\":\"\\u4e2d\\\"\\\\\\n\",\"biz_params\":\"{\\\"k\\\":1}\","
             "\"e\":\"\"} \n");
  using P = std::pair<std::string, std::string>;
  CHECK(pairs(params) ==
        std::vector<P>{
            {"b", "x y"}, {"a", "\xe4\xb8\xad\"\\\n"}, {"biz_params", "{\"k\":1}"}, {"e", ""}});
  CHECK(parsed(kJson, "{}").empty());
  CHECK(parsed(kJson, R"({"s":"\ud83d\ude00"})").find("s") ==
        std::optional<std::string_view>("\xf0\x9f\x98\x80"));
}

TEST_CASE("a JSON value that is not a string is invalid-param naming the key",
          "[gateway][params]") {
  for (const char* body :
       {R"({"a":"1","timestamp":1700000000})", R"({"timestamp":true})", R"({"timestamp":null})",
        R"({"timestamp":{"x":"y"}})", R"({"timestamp":["1"]})", R"({"timestamp":-1.5e3})"}) {
    INFO(body);
    opp::Error error = failure(kJson, body);
    CHECK(error.sub_code == "invalid-param");
    CHECK(error.message == "parameter timestamp must be a JSON string");
    CHECK(error.path == "timestamp");
  }
}

TEST_CASE("a JSON body that is not one object is invalid-param", "[gateway][params]") {
  for (const char* body : {R"(["a"])", R"("a")", "1", "null", "[[[[[[[[[[[[[[[[[["}) {
    INFO(body);
    opp::Error error = failure(kJson, body);
    CHECK(error.sub_code == "invalid-param");
    CHECK(error.message == "body must be a JSON object");
  }
}

TEST_CASE("malformed JSON is invalid-param with the reader's reason", "[gateway][params]") {
  const char* bodies[] = {"",
                          "{",
                          R"({"a":"b")",
                          R"({"a":"b"} {})",
                          R"({"a":"b",})",
                          R"({a:"b"})",
                          "{\"a\":\"\x01\"}",
                          R"({"a":"\x"})"};
  for (const char* body : bodies) {
    INFO(body);
    opp::Error error = failure(kJson, body);
    CHECK(error.sub_code == "invalid-param");
    CHECK_THAT(error.message, Catch::StartsWith("body is not valid JSON: "));
    CHECK_THAT(error.message, Catch::Contains(" at offset "));
  }
  CHECK(failure(kJson, R"({"a":"b"} x)").message ==
        "body is not valid JSON: The document root must not be followed by other values. at "
        "offset 10");
  // Text after a NUL byte would otherwise go unread.
  opp::Error nul = failure(kJson, std::string_view("{\"a\":\"b\"}\0{}", 12));
  CHECK(nul.message == "body is not valid JSON: a NUL byte at offset 9");
}

TEST_CASE("JSON strings must be UTF-8, escaped or not", "[gateway][params]") {
  for (const char* body : {"{\"v\":\"\xff\"}", "{\"v\":\"\xc3\"}", R"({"v":"\udc00"})"}) {
    INFO(body);
    opp::Error error = failure(kJson, body);
    CHECK(error.sub_code == "invalid-param");
    CHECK(error.message == "parameter v is not valid UTF-8");
  }
}

TEST_CASE("moving params keeps their views valid", "[gateway][params]") {
  RequestParams original = parsed(kForm, "a=1&b=2");  // short: would fit a string's SSO
  const char* value = original.find("b")->data();
  RequestParams moved = std::move(original);
  REQUIRE(moved.find("b").has_value());
  CHECK(moved.find("b")->data() == value);
  CHECK(*moved.find("b") == "2");
}

TEST_CASE("content types: form and JSON, case-insensitive, UTF-8 charset only",
          "[gateway][params]") {
  const std::pair<const char*, BodyFormat> accepted[] = {
      {"application/x-www-form-urlencoded", BodyFormat::kForm},
      {"Application/X-WWW-Form-URLEncoded; charset=UTF-8", BodyFormat::kForm},
      {" application/x-www-form-urlencoded ;charset=\"utf-8\" ", BodyFormat::kForm},
      {"application/json", BodyFormat::kJson},
      {"application/json; charset=utf-8", BodyFormat::kJson},
      {"application/json;charset=us-ascii;foo=bar", BodyFormat::kJson},
  };
  for (const auto& [content_type, format] : accepted) {
    INFO(content_type);
    auto result = body_format(content_type);
    REQUIRE(result.ok());
    CHECK(*result == format);
  }
  const std::pair<const char*, const char*> refused[] = {
      {"", "Content-Type is missing; use application/x-www-form-urlencoded or application/json"},
      {" ; charset=utf-8",
       "Content-Type is missing; use application/x-www-form-urlencoded or application/json"},
      {"text/plain",
       "Content-Type text/plain is not supported; use application/x-www-form-urlencoded or "
       "application/json"},
      {"multipart/form-data; boundary=x",
       "Content-Type multipart/form-data is not supported; use "
       "application/x-www-form-urlencoded or application/json"},
      {"application/jsonx",
       "Content-Type application/jsonx is not supported; use "
       "application/x-www-form-urlencoded or application/json"},
      {"application/x-www-form-urlencoded; charset=GBK",
       "charset GBK is not supported; params are UTF-8"},
      {"application/json; charset=\"latin1\"", "charset latin1 is not supported; params are UTF-8"},
  };
  for (const auto& [content_type, message] : refused) {
    INFO(content_type);
    auto params = parse_request_params(content_type, "a=1");
    REQUIRE_FALSE(params.ok());
    CHECK(params.error().code == opp::ErrorCode::kBadRequest);
    CHECK(params.error().sub_code == "unsupported-content-type");
    CHECK(params.error().message == message);
  }
}
