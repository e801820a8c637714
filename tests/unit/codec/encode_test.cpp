// JSON → Thrift: wire bytes per protocol and every SPEC §5 input rule.
#include <catch2/catch.hpp>

#include "codec_test_util.hpp"
#include "compiled_codec.hpp"
#include "schema_fixture.hpp"

using namespace opp::codec;
using namespace opp::codec::test;

namespace {

struct Encoded {
  bool ok;
  std::string bytes;
  opp::Error error;
};

Encoded encode(const TestModel& m, const Codec& codec, const opp::idl::StructDescriptor* type,
               const std::string& json, Protocol protocol = Protocol::kBinary) {
  EncodeOptions options;
  options.protocol = protocol;
  std::string out;
  auto r = codec.encode_struct(json, *type, options, out);
  (void)m;
  return {r.ok(), out, r.ok() ? opp::Error{} : r.error()};
}

}  // namespace

TEST_CASE("binary: scalar fields are written with their headers in JSON order", "[codec][encode]") {
  TestModel m;
  auto compiled = compile_codec(m.roots());
  const Codec& codec = *compiled;
  auto e = encode(m, codec, m.small, R"({"y":"hi","x":5})");
  REQUIRE(e.ok);
  // field 3 string "hi", field 1 i32 5, STOP
  CHECK(hex(e.bytes) ==
        "0b000300000002686908000100000005"
        "00");
}

TEST_CASE("compact: field deltas, zigzag varints, negative delta uses long form",
          "[codec][encode]") {
  TestModel m;
  auto compiled = compile_codec(m.roots());
  const Codec& codec = *compiled;
  auto e = encode(m, codec, m.small, R"({"y":"hi","x":-3})", Protocol::kCompact);
  REQUIRE(e.ok);
  // 0x38 = delta 3, binary; "hi"; then id 1 < 3: long form 0x05 + zigzag(1)=2; zigzag(-3)=5
  CHECK(hex(e.bytes) ==
        "38026869"
        "0502"
        "05"
        "00");
}

TEST_CASE("absent fields, null, and unknown keys are not written", "[codec][encode]") {
  TestModel m;
  auto compiled = compile_codec(m.roots());
  const Codec& codec = *compiled;
  auto e = encode(m, codec, m.small,
                  R"({"x":null,"zz":{"deep":[1,2,{"a":null}]},"y":null,"q":[],"w":1.5})");
  REQUIRE(e.ok);
  CHECK(hex(e.bytes) == "00");
}

TEST_CASE("defaults: default-requiredness fields take the IDL default, optional ones do not",
          "[codec][encode]") {
  TestModel m;
  auto compiled = compile_codec(m.roots());
  const Codec& codec = *compiled;
  for (auto protocol : {Protocol::kBinary, Protocol::kCompact}) {
    auto e = encode(m, codec, m.all, "{}", protocol);
    REQUIRE(e.ok);
    std::string json;
    DecodeOptions d;
    d.protocol = protocol;
    REQUIRE(codec.decode_struct(e.bytes, *m.all, d, json).ok());
    CHECK(same_json(json, R"({"dflt":42,"flag":true})"));
  }
  auto inner = encode(m, codec, m.inner, R"({"a":1})");
  REQUIRE(inner.ok);
  CHECK(hex(inner.bytes) ==
        "08000100000001"
        "0b000200000004"
        "64666c74"
        "00");
}

TEST_CASE("integers: JSON integers and decimal strings, range-checked per width",
          "[codec][encode]") {
  TestModel m;
  auto compiled = compile_codec(m.roots());
  const Codec& codec = *compiled;
  auto ok = encode(m, codec, m.all,
                   R"({"i8":-128,"i16":"32767","i32":-2147483648,"i64":"-9223372036854775808",)"
                   R"("js":9223372036854775807})");
  REQUIRE(ok.ok);
  std::string json;
  REQUIRE(codec.decode_struct(ok.bytes, *m.all, {}, json).ok());
  CHECK(same_json(json, R"({"i8":-128,"i16":32767,"i32":-2147483648,"i64":-9223372036854775808,)"
                        R"("js":"9223372036854775807","dflt":42,"flag":true})"));

  struct Case {
    const char* json;
    const char* message;
  } cases[] = {
      {R"({"i8":128})", "biz_params.i8: 128 is out of range for i8"},
      {R"({"i16":-32769})", "biz_params.i16: -32769 is out of range for i16"},
      {R"({"i32":"2147483648"})", "biz_params.i32: 2147483648 is out of range for i32"},
      {R"({"i64":9223372036854775808})",
       "biz_params.i64: 9223372036854775808 is out of range for i64"},
      {R"({"i64":"abc"})", R"(biz_params.i64: expected i64, got string "abc")"},
      {R"({"i64":""})", R"(biz_params.i64: expected i64, got string "")"},
      {R"({"i64":" 1"})", R"(biz_params.i64: expected i64, got string " 1")"},
      {R"({"i32":1.0})", "biz_params.i32: expected i32, got number 1.0"},
      {R"({"i32":1e3})", "biz_params.i32: expected i32, got number 1e3"},
      {R"({"i32":true})", "biz_params.i32: expected i32, got boolean true"},
      {R"({"i32":[1]})", "biz_params.i32: expected i32, got array"},
      {R"({"i32":{}})", "biz_params.i32: expected i32, got object"},
  };
  for (const auto& c : cases) {
    INFO(c.json);
    auto e = encode(m, codec, m.all, c.json);
    REQUIRE_FALSE(e.ok);
    CHECK(e.error.code == opp::ErrorCode::kBadRequest);
    CHECK(e.error.sub_code == "invalid-biz-params");
    CHECK(e.error.message == c.message);
  }
}

TEST_CASE("errors name the JSON path through lists, maps and structs", "[codec][encode]") {
  TestModel m;
  auto compiled = compile_codec(m.roots());
  const Codec& codec = *compiled;
  auto e = encode(m, codec, m.all, R"({"nested":[[],[{"a":1},{"a":"x"}]]})");
  REQUIRE_FALSE(e.ok);
  CHECK(e.error.path == "biz_params.nested[1][1].a");
  CHECK(e.error.message == R"(biz_params.nested[1][1].a: expected i32, got string "x")");

  e = encode(m, codec, m.all, R"({"msi":{"k1":1,"k2":"v"}})");
  REQUIRE_FALSE(e.ok);
  CHECK(e.error.message == R"(biz_params.msi["k2"]: expected i64, got string "v")");

  e = encode(m, codec, m.all, R"({"li":[1,null]})");
  REQUIRE_FALSE(e.ok);
  CHECK(e.error.message == "biz_params.li[1]: expected i32, got null");

  e = encode(m, codec, m.all, R"({"renamed":"q"})");
  REQUIRE_FALSE(e.ok);
  CHECK(e.error.message == R"(biz_params.renamed: expected i32, got string "q")");
}

TEST_CASE("root name is configurable", "[codec][encode]") {
  TestModel m;
  auto compiled = compile_codec(m.roots());
  const Codec& codec = *compiled;
  EncodeOptions options;
  options.root_name = "req";
  std::string out = "keep";
  auto r = codec.encode_struct(R"({"x":"a"})", *m.small, options, out);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message == R"(req.x: expected i32, got string "a")");
  CHECK(out == "keep");  // restored on error
}

TEST_CASE("required fields, unions and duplicate keys", "[codec][encode]") {
  TestModel m;
  auto compiled = compile_codec(m.roots());
  const Codec& codec = *compiled;
  auto e = encode(m, codec, m.all, R"({"inner":{"b":"x"}})");
  REQUIRE_FALSE(e.ok);
  CHECK(e.error.message == "biz_params.inner.a: missing required field");
  CHECK(e.error.path == "biz_params.inner.a");

  e = encode(m, codec, m.all, R"({"u":{}})");
  REQUIRE_FALSE(e.ok);
  CHECK(e.error.message == "biz_params.u: union Choice needs exactly one field, got 0");
  e = encode(m, codec, m.all, R"({"u":{"n":1,"s":"a"}})");
  REQUIRE_FALSE(e.ok);
  CHECK(e.error.message == "biz_params.u: union Choice needs exactly one field, got 2");
  e = encode(m, codec, m.all, R"({"u":{"n":null,"s":"a"}})");
  CHECK(e.ok);

  e = encode(m, codec, m.small, R"({"x":1,"x":2})");
  REQUIRE_FALSE(e.ok);
  CHECK(e.error.message == "biz_params.x: duplicate key");
}

TEST_CASE("enums by name or number, members only", "[codec][encode]") {
  TestModel m;
  auto compiled = compile_codec(m.roots());
  const Codec& codec = *compiled;
  auto by_name = encode(m, codec, m.all, R"({"color":"BLUE"})");
  auto by_number = encode(m, codec, m.all, R"({"color":5})");
  auto by_text = encode(m, codec, m.all, R"({"color":"5"})");
  REQUIRE(by_name.ok);
  CHECK(by_name.bytes == by_number.bytes);
  CHECK(by_name.bytes == by_text.bytes);
  auto bad = encode(m, codec, m.all, R"({"color":3})");
  REQUIRE_FALSE(bad.ok);
  CHECK(bad.error.message == "biz_params.color: 3 is not a member of enum Color");
  bad = encode(m, codec, m.all, R"({"color":"PURPLE"})");
  REQUIRE_FALSE(bad.ok);
  CHECK(bad.error.message == R"(biz_params.color: "PURPLE" is not a member of enum Color)");
}

TEST_CASE("binary: base64 standard or URL-safe, padding optional", "[codec][encode]") {
  TestModel m;
  auto compiled = compile_codec(m.roots());
  const Codec& codec = *compiled;
  auto padded = encode(m, codec, m.all, R"({"bin":"+/8="})");
  auto url = encode(m, codec, m.all, R"({"bin":"-_8"})");
  REQUIRE(padded.ok);
  REQUIRE(url.ok);
  CHECK(padded.bytes == url.bytes);
  CHECK(hex(padded.bytes).substr(0, 18) == "0b000800000002fbff");
  for (const char* bad : {R"({"bin":"a"})", R"({"bin":"ab!d"})", R"({"bin":"ab=d"})"}) {
    INFO(bad);
    auto e = encode(m, codec, m.all, bad);
    REQUIRE_FALSE(e.ok);
    CHECK(e.error.message == "biz_params.bin: invalid base64");
  }
}

TEST_CASE("doubles accept integers and reject non-numbers", "[codec][encode]") {
  TestModel m;
  auto compiled = compile_codec(m.roots());
  const Codec& codec = *compiled;
  auto i = encode(m, codec, m.all, R"({"d":2})");
  auto f = encode(m, codec, m.all, R"({"d":2.0})");
  REQUIRE(i.ok);
  CHECK(i.bytes == f.bytes);
  auto s = encode(m, codec, m.all, R"({"d":"2"})");
  REQUIRE_FALSE(s.ok);
  CHECK(s.error.message == R"(biz_params.d: expected double, got string "2")");
  auto big = encode(m, codec, m.all, R"({"d":1e999})");
  REQUIRE_FALSE(big.ok);
  CHECK(big.error.message == "biz_params.d: 1e999 is out of range for double");
}

TEST_CASE("map keys are converted for integer, enum, bool and double key types",
          "[codec][encode]") {
  TestModel m;
  auto compiled = compile_codec(m.roots());
  const Codec& codec = *compiled;
  auto e = encode(m, codec, m.all,
                  R"({"mis":{"-7":"a"},"mci":{"GREEN":{"a":1},"5":{"a":2}},"mbd":{"true":1.5}})");
  REQUIRE(e.ok);
  std::string json;
  REQUIRE(codec.decode_struct(e.bytes, *m.all, {}, json).ok());
  CHECK(same_json(json,
                  R"({"mis":{"-7":"a"},"mci":{"2":{"a":1,"b":"dflt"},"5":{"a":2,"b":"dflt"}},)"
                  R"("mbd":{"true":1.5},"dflt":42,"flag":true})"));
  auto bad = encode(m, codec, m.all, R"({"mis":{"x":"a"}})");
  REQUIRE_FALSE(bad.ok);
  CHECK(bad.error.message == R"(biz_params.mis["x"]: expected i32, got string "x")");
  bad = encode(m, codec, m.all, R"({"mci":{"BLACK":{"a":1}}})");
  REQUIRE_FALSE(bad.ok);
  CHECK(bad.error.message == R"(biz_params.mci["BLACK"]: "BLACK" is not a member of enum Color)");
}

TEST_CASE("uuid as canonical text", "[codec][encode]") {
  TestModel m;
  auto compiled = compile_codec(m.roots());
  const Codec& codec = *compiled;
  auto e = encode(m, codec, m.all, R"({"id":"00112233-4455-6677-8899-AABBCCDDEEFF"})");
  REQUIRE(e.ok);
  CHECK(hex(e.bytes).substr(0, 38) == "10001600112233445566778899aabbccddeeff");
  auto bad = encode(m, codec, m.all, R"({"id":"0011223344556677"})");
  REQUIRE_FALSE(bad.ok);
  CHECK(bad.error.message == R"(biz_params.id: expected uuid, got string "0011223344556677")");
}

TEST_CASE("JSON syntax, encoding and depth errors", "[codec][encode]") {
  TestModel m;
  auto compiled = compile_codec(m.roots());
  const Codec& codec = *compiled;
  auto e = encode(m, codec, m.small, R"({"x":1)");
  REQUIRE_FALSE(e.ok);
  CHECK(e.error.code == opp::ErrorCode::kBadRequest);
  CHECK(e.error.message.rfind("biz_params.x: invalid JSON at offset ", 0) == 0);

  e = encode(m, codec, m.small, "{\"y\":\"\xff\"}");
  REQUIRE_FALSE(e.ok);
  CHECK(e.error.message.find("invalid JSON at offset") != std::string::npos);

  e = encode(m, codec, m.small, "[1]");
  REQUIRE_FALSE(e.ok);
  CHECK(e.error.message == "biz_params: expected struct Small, got array");

  e = encode(m, codec, m.small, "{} {}");
  REQUIRE_FALSE(e.ok);

  std::string deep_unknown = R"({"zz":)" + std::string(70, '[') + std::string(70, ']') + "}";
  e = encode(m, codec, m.small, deep_unknown);
  REQUIRE_FALSE(e.ok);
  CHECK(e.error.message == "biz_params.zz: nesting deeper than 64");

  std::string ok_unknown = R"({"zz":)" + std::string(62, '[') + std::string(62, ']') + "}";
  CHECK(encode(m, codec, m.small, ok_unknown).ok);

  std::string chain;
  for (int i = 0; i < 70; ++i) chain += R"({"next":)";
  chain += "{}" + std::string(70, '}');
  e = encode(m, codec, m.node, chain);
  REQUIRE_FALSE(e.ok);
  CHECK(e.error.message.find("nesting deeper than 64") != std::string::npos);

  CHECK(encode(m, codec, m.small, "  \n").ok);  // empty text reads as {}
}

TEST_CASE("compact: long lists and large maps get multi-byte size headers", "[codec][encode]") {
  TestModel m;
  auto compiled = compile_codec(m.roots());
  const Codec& codec = *compiled;
  std::string list = "[";
  std::string map = "{";
  for (int i = 0; i < 200; ++i) {
    list += (i ? "," : "") + std::to_string(i);
    map += (i ? ",\"" : "\"") + std::to_string(i) + "\":\"v\"";
  }
  std::string json = R"({"li":)" + list + R"(],"mis":)" + map + R"(},"ss":[],"msi":{}})";
  for (auto protocol : {Protocol::kBinary, Protocol::kCompact}) {
    auto e = encode(m, codec, m.all, json, protocol);
    REQUIRE(e.ok);
    std::string back;
    DecodeOptions d;
    d.protocol = protocol;
    auto r = codec.decode_struct(e.bytes, *m.all, d, back);
    REQUIRE(r.ok());
    std::string expected = json.substr(0, json.size() - 1) + R"(,"dflt":42,"flag":true})";
    CHECK(same_json(back, expected));
  }
}

TEST_CASE("merchant binding fills and guards a top-level string field", "[codec][encode]") {
  SchemaFixture fx;
  auto* req = fx.structure("Req");
  fx.field(req, 1, "merchant_id", fx.base(TypeKind::kString));
  fx.field(req, 2, "amount", fx.base(TypeKind::kI64));
  auto compiled = compile_codec({req});
  const Codec& codec = *compiled;
  EncodeOptions options;
  options.bound_key = "merchant_id";
  options.bound_value = "m1";
  for (const char* json : {R"({"amount":1})", R"({"amount":1,"merchant_id":""})",
                           R"({"merchant_id":"m1","amount":1})"}) {
    INFO(json);
    std::string out, back;
    REQUIRE(codec.encode_struct(json, *req, options, out).ok());
    REQUIRE(codec.decode_struct(out, *req, {}, back).ok());
    CHECK(same_json(back, R"({"merchant_id":"m1","amount":1})"));
  }
  std::string out;
  auto r = codec.encode_struct(R"({"merchant_id":"m2"})", *req, options, out);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == opp::ErrorCode::kUnauthorized);
  CHECK(r.error().sub_code == "merchant-mismatch");
  CHECK(r.error().message == "biz_params.merchant_id: does not match the authenticated merchant");
}
