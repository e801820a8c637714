// The streaming JSON reader behind the encoder: escapes, UTF-8 and grammar.
#include <catch2/catch.hpp>

#include "codec_test_util.hpp"
#include "compiled_codec.hpp"
#include "schema_fixture.hpp"

using namespace opp::codec;
using namespace opp::codec::test;

namespace {

struct Fixture {
  SchemaFixture fx;
  opp::idl::StructDescriptor* text = fx.structure("Text");
  Fixture() {
    fx.field(text, 1, "s", fx.base(TypeKind::kString));
    fx.field(text, 2, "n", fx.base(TypeKind::kI64));
    fx.field(text, 3, "d", fx.base(TypeKind::kDouble));
    fx.field(text, 4, "l", fx.list(fx.base(TypeKind::kString)));
  }
};

// The string field's bytes as encoded (binary protocol: header, length, bytes).
opp::Result<std::string> string_of(const std::string& json_value) {
  Fixture f;
  auto compiled = compile_codec({f.text});
  const Codec& codec = *compiled;
  std::string out;
  auto r = codec.encode_struct(R"({"s":)" + json_value + "}", *f.text, {}, out);
  if (!r) return r.error();
  return out.substr(7, out.size() - 8);
}

std::string error_of(const std::string& json) {
  Fixture f;
  auto compiled = compile_codec({f.text});
  const Codec& codec = *compiled;
  std::string out;
  auto r = codec.encode_struct(json, *f.text, {}, out);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == opp::ErrorCode::kBadRequest);
  CHECK(r.error().sub_code == "invalid-biz-params");
  return r.error().message;
}

}  // namespace

TEST_CASE("escapes are unescaped, including surrogate pairs", "[codec][json]") {
  CHECK(*string_of(R"("a\"b\\c\/d\b\f\n\r\t")") == "a\"b\\c/d\b\f\n\r\t");
  CHECK(*string_of(R"("\u0041\u00e9\u4f60")") == "A\xc3\xa9\xe4\xbd\xa0");
  CHECK(*string_of(R"("\ud83d\ude00")") == "\xf0\x9f\x98\x80");
  CHECK(*string_of("\"plain ascii longer than eight bytes\"") ==
        "plain ascii longer than eight bytes");
  CHECK(*string_of("\"\xe4\xbd\xa0\xe5\xa5\xbd, \\n \xe4\xb8\x96\xe7\x95\x8c long tail text\"") ==
        "\xe4\xbd\xa0\xe5\xa5\xbd, \n \xe4\xb8\x96\xe7\x95\x8c long tail text");
}

TEST_CASE("invalid strings are rejected", "[codec][json]") {
  for (const char* bad :
       {R"("\ud83d")", R"("\ude00")", R"("\ud83d\u0041")", R"("\x")", R"("\u12")", "\"a\nb\"",
        "\"\xc3\"", "\"\xed\xa0\x80\"", "\"\xf4\x90\x80\x80\"", "\"\xc0\xaf\"", "\"abc"}) {
    INFO(bad);
    auto r = string_of(bad);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message.rfind("biz_params.s: invalid JSON at offset ", 0) == 0);
  }
}

TEST_CASE("grammar errors name the offset", "[codec][json]") {
  // The path names the last member read before the error.
  CHECK(error_of(R"({"s":"a",})") ==
        "biz_params.s: invalid JSON at offset 9: expected a member name");
  CHECK(error_of(R"({"s" "a"})") ==
        "biz_params.s: invalid JSON at offset 5: expected ':' after a member name");
  CHECK(error_of(R"({"n":01})") ==
        "biz_params.n: invalid JSON at offset 6: expected ',' or '}' in an object");
  CHECK(error_of(R"({"n":-})") == "biz_params.n: invalid JSON at offset 6: invalid value");
  CHECK(error_of(R"({"d":1.})") ==
        "biz_params.d: invalid JSON at offset 7: missing digits after the decimal point");
  CHECK(error_of(R"({"d":1e})") ==
        "biz_params.d: invalid JSON at offset 7: missing digits in the exponent");
  CHECK(error_of(R"({"l":["a" "b"]})") ==
        "biz_params.l[0]: invalid JSON at offset 10: expected ',' or ']' in an array");
  CHECK(error_of(R"({"s":tru})") == "biz_params.s: invalid JSON at offset 5: invalid literal");
  CHECK(error_of(R"({} x)") ==
        "biz_params: invalid JSON at offset 3: unexpected data after the root value");
  CHECK(error_of(R"({"s":)") == "biz_params.s: invalid JSON at offset 5: unexpected end of input");
}

TEST_CASE("numbers: exponents and fractions for doubles, whitespace anywhere", "[codec][json]") {
  Fixture f;
  auto compiled = compile_codec({f.text});
  const Codec& codec = *compiled;
  std::string out, json;
  REQUIRE(codec.encode_struct(" {\n\t\"d\" : -1.5e-3 , \"n\" : -0 }\r\n", *f.text, {}, out).ok());
  REQUIRE(codec.decode_struct(out, *f.text, {}, json).ok());
  CHECK(json == R"({"d":-0.0015,"n":0})");
}
