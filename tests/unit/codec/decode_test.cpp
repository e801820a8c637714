// Thrift → JSON: output forms of SPEC §5 and rejection of malformed bytes.
#include <catch2/catch.hpp>

#include "codec_test_util.hpp"
#include "compiled_codec.hpp"
#include "schema_fixture.hpp"

using namespace opp::codec;
using namespace opp::codec::test;

namespace {

opp::Result<std::string> decode(const Codec& codec, const opp::idl::StructDescriptor* type,
                                const std::string& bytes, Protocol protocol = Protocol::kBinary) {
  DecodeOptions options;
  options.protocol = protocol;
  std::string out;
  auto r = codec.decode_struct(bytes, *type, options, out);
  if (!r) return r.error();
  return out;
}

std::string encode(const Codec& codec, const opp::idl::StructDescriptor* type,
                   const std::string& json, Protocol protocol = Protocol::kBinary) {
  EncodeOptions options;
  options.protocol = protocol;
  std::string out;
  auto r = codec.encode_struct(json, *type, options, out);
  REQUIRE(r.ok());
  return out;
}

}  // namespace

TEST_CASE("every type round-trips through both protocols", "[codec][decode]") {
  TestModel m;
  auto compiled = compile_codec(m.roots());
  const Codec& codec = *compiled;
  const std::string json =
      R"({"b":true,"i8":-5,"i16":300,"i32":-70000,"i64":1234567890123,"d":-0.25,)"
      R"("s":"h\u00e9\"\\\n\u0001/","bin":"AAECAwQ=","color":2,"li":[1,2,3],"ss":["a","b"],)"
      R"("msi":{"k":-1},"mis":{"3":"x"},"mci":{"1":{"a":1,"b":"y"}},"inner":{"a":9,"b":"z"},)"
      R"("nested":[[{"a":1,"b":"q"}],[]],"u":{"s":"w"},"opt":8,"dflt":1,"js":"77",)"
      R"("id":"00112233-4455-6677-8899-aabbccddeeff","mbd":{"false":2.5},"lb":[true,false],)"
      R"("renamed":4,"flag":false})";
  for (auto protocol : {Protocol::kBinary, Protocol::kCompact}) {
    INFO(static_cast<int>(protocol));
    auto bytes = encode(codec, m.all, json, protocol);
    auto back = decode(codec, m.all, bytes, protocol);
    REQUIRE(back.ok());
    CHECK(same_json(*back, json));
  }
}

TEST_CASE("output forms: js_conv strings, padded base64, doubles keep a fraction",
          "[codec][decode]") {
  TestModel m;
  auto compiled = compile_codec(m.roots());
  const Codec& codec = *compiled;
  auto bytes = encode(codec, m.all, R"({"js":-12,"bin":"AQ","d":3,"i64":"99"})");
  auto json = decode(codec, m.all, bytes);
  REQUIRE(json.ok());
  CHECK(*json == R"({"js":"-12","bin":"AQ==","d":3.0,"i64":99,"dflt":42,"flag":true})");
}

TEST_CASE("unknown field ids are skipped, whatever their type", "[codec][decode]") {
  TestModel m;
  auto compiled = compile_codec(m.roots());
  const Codec& codec = *compiled;
  // Encode an All, decode it as Small: ids 1 (bool) and 3 (i16) collide with Small's ids and
  // must be rejected as wrong wire types, so use a payload with only unknown ids instead.
  auto bytes = encode(codec, m.all,
                      R"({"li":[1],"msi":{"a":1},"inner":{"a":1},"nested":[[{"a":2}]],"d":1.5,)"
                      R"("s":"x","id":"00112233-4455-6677-8899-aabbccddeeff","lb":[true]})");
  for (auto protocol : {Protocol::kBinary, Protocol::kCompact}) {
    auto b =
        encode(codec, m.all, R"({"flag":true,"li":[1],"inner":{"a":1},"msi":{"a":1}})", protocol);
    auto json = decode(codec, m.node, b, protocol);  // Node knows ids 1 and 2 only
    REQUIRE(json.ok());
    CHECK(*json == "{}");
  }
  auto json = decode(codec, m.node, bytes);
  CHECK(json.ok());
}

TEST_CASE("malformed bytes are rejected with bad-upstream-reply", "[codec][decode]") {
  TestModel m;
  auto compiled = compile_codec(m.roots());
  const Codec& codec = *compiled;
  struct Case {
    std::string bytes;
    const char* message;
  } cases[] = {
      {"", "data: truncated input"},
      {unhex("080001000000"), "data.x: truncated input"},
      {unhex("0800010000000100ff"), "data: 1 trailing bytes after the value"},
      {unhex("0b000100000001"
             "61"
             "00"),
       "data.x: wrong wire type string for field of type i32"},
      {unhex("0b0003ffffffff00"), "data.y: malformed input"},
      {unhex("0b000300000002ff"
             "fe00"),
       "data.y: string is not valid UTF-8"},
      {unhex("0f000a08fffffffe00"), "data#10: negative container size"},
      {unhex("09000a00"), "data#10: invalid wire type 9"},
  };
  for (const auto& c : cases) {
    INFO(hex(c.bytes));
    auto r = decode(codec, m.small, c.bytes);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == opp::ErrorCode::kResponseUnableParse);
    CHECK(r.error().sub_code == "bad-upstream-reply");
    CHECK(r.error().message == c.message);
  }
}

TEST_CASE("container element types and sizes are checked", "[codec][decode]") {
  TestModel m;
  auto compiled = compile_codec(m.roots());
  const Codec& codec = *compiled;
  // li: list<i32> announced with i64 elements
  auto r = decode(codec, m.all, unhex("0f000a0a00000001000000000000000100"));
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message == "data.li: wrong element wire type i64 for list<i32>");
  // li: claims a billion elements in a few bytes
  r = decode(codec, m.all, unhex("0f000a083b9aca000000000100"));
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message == "data.li: truncated input");
  // an i32 element cut short inside the list
  r = decode(codec, m.all, unhex("0f000a0800000002000000010000"));
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message == "data.li[1]: truncated input");
}

TEST_CASE("decode depth is bounded", "[codec][decode]") {
  TestModel m;
  auto compiled = compile_codec(m.roots());
  const Codec& codec = *compiled;
  std::string bytes;
  for (int i = 0; i < 70; ++i) bytes += unhex("0c0002");
  bytes += std::string(71, '\0');
  auto r = decode(codec, m.node, bytes);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.find("nesting deeper than 64") != std::string::npos);
  // Unknown nested structs are bounded as well.
  std::string skipped;
  for (int i = 0; i < 70; ++i) skipped += unhex("0c0009");
  skipped += std::string(71, '\0');
  r = decode(codec, m.node, skipped);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.find("nesting deeper than 64") != std::string::npos);
}

TEST_CASE("doubles without a JSON form are rejected", "[codec][decode]") {
  TestModel m;
  auto compiled = compile_codec(m.roots());
  const Codec& codec = *compiled;
  auto r = decode(codec, m.all,
                  unhex("0400067ff8000000000000"
                        "00"));
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.rfind("data.d: double", 0) == 0);
}

TEST_CASE("compact: bool fields carry their value in the header", "[codec][decode]") {
  TestModel m;
  auto compiled = compile_codec(m.roots());
  const Codec& codec = *compiled;
  auto bytes =
      encode(codec, m.all, R"({"b":false,"flag":true,"lb":[true,false]})", Protocol::kCompact);
  // b: delta 1, type 2 (false); lb: id 24 long form; flag: delta 2, type 1 (true)
  CHECK(hex(bytes).substr(0, 2) == "12");
  auto json = decode(codec, m.all, bytes, Protocol::kCompact);
  REQUIRE(json.ok());
  CHECK(same_json(*json, R"({"b":false,"lb":[true,false],"flag":true,"dflt":42})"));
}
