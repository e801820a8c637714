// Shapes that take the plan's less common paths: sparse and negative field ids, more than
// 64 fields (multi-word "seen" sets), long keys that differ only in the middle.
#include <catch2/catch.hpp>

#include "codec_test_util.hpp"
#include "compiled_codec.hpp"
#include "schema_fixture.hpp"

using namespace opp::codec;
using namespace opp::codec::test;
using opp::idl::Requiredness;

namespace {

std::string round_trip(const Codec& codec, const opp::idl::StructDescriptor& type,
                       const std::string& json, Protocol protocol) {
  EncodeOptions eo;
  eo.protocol = protocol;
  DecodeOptions dopt;
  dopt.protocol = protocol;
  std::string bytes, back;
  auto e = codec.encode_struct(json, type, eo, bytes);
  REQUIRE(e.ok());
  auto d = codec.decode_struct(bytes, type, dopt, back);
  REQUIRE(d.ok());
  return back;
}

}  // namespace

TEST_CASE("sparse and negative field ids", "[codec][plan]") {
  SchemaFixture fx;
  auto* s = fx.structure("Sparse");
  fx.field(s, -3, "neg", fx.base(TypeKind::kI32));
  fx.field(s, 1, "one", fx.base(TypeKind::kString));
  fx.field(s, 32000, "far", fx.base(TypeKind::kI64));
  auto compiled = compile_codec({s});
  const Codec& codec = *compiled;
  const std::string json = R"({"far":7,"neg":-1,"one":"x"})";
  for (auto p : {Protocol::kBinary, Protocol::kCompact}) {
    INFO(static_cast<int>(p));
    CHECK(round_trip(codec, *s, json, p) == json);
  }
  std::string bytes;
  REQUIRE(codec.encode_struct(R"({"neg":1})", *s, {}, bytes).ok());
  CHECK(hex(bytes) ==
        "08fffd"
        "00000001"
        "00");
}

TEST_CASE("structs with more than 64 fields track presence in several words", "[codec][plan]") {
  SchemaFixture fx;
  auto* wide = fx.structure("Wide");
  for (int i = 1; i <= 130; ++i) {
    fx.field(wide, static_cast<int16_t>(i), "f" + std::to_string(i), fx.base(TypeKind::kI32),
             i == 100 ? Requiredness::kRequired : Requiredness::kDefault);
  }
  auto compiled = compile_codec({wide});
  const Codec& codec = *compiled;
  std::string out;
  auto missing = codec.encode_struct(R"({"f1":1,"f129":2})", *wide, {}, out);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().message == "biz_params.f100: missing required field");
  auto duplicate = codec.encode_struct(R"({"f100":1,"f130":2,"f130":3})", *wide, {}, out);
  REQUIRE_FALSE(duplicate.ok());
  CHECK(duplicate.error().message == "biz_params.f130: duplicate key");
  std::string json = "{";
  for (int i = 1; i <= 130; ++i)
    json += (i > 1 ? ",\"f" : "\"f") + std::to_string(i) + "\":" + std::to_string(i);
  json += "}";
  for (auto p : {Protocol::kBinary, Protocol::kCompact})
    CHECK(round_trip(codec, *wide, json, p) == json);
}

TEST_CASE("long keys that share their first and last bytes are told apart", "[codec][plan]") {
  SchemaFixture fx;
  auto* s = fx.structure("LongKeys");
  std::vector<std::string> keys;
  for (char c = 'a'; c <= 'z'; ++c) {
    keys.push_back("prefix_shared_by_all_" + std::string(1, c) + "_suffix_shared_by_all");
    fx.field(s, static_cast<int16_t>(c - 'a' + 1), keys.back(), fx.base(TypeKind::kI32));
  }
  auto compiled = compile_codec({s});
  const Codec& codec = *compiled;
  for (size_t i = 0; i < keys.size(); ++i) {
    INFO(keys[i]);
    std::string json = "{\"" + keys[i] + "\":" + std::to_string(i) + "}";
    CHECK(round_trip(codec, *s, json, Protocol::kBinary) == json);
  }
  // A key of the same length that is not a field is ignored.
  std::string bytes;
  REQUIRE(codec.encode_struct(R"({"prefix_shared_by_all_?_suffix_shared_by_all":1})", *s, {}, bytes)
              .ok());
  CHECK(hex(bytes) == "00");
}

TEST_CASE("a struct-literal default and a container default are pre-encoded", "[codec][plan]") {
  SchemaFixture fx;
  auto* point = fx.structure("Point");
  fx.field(point, 1, "x", fx.base(TypeKind::kI32));
  fx.field(point, 2, "on", fx.base(TypeKind::kBool));
  auto* shape = fx.structure("Shape");
  opp::idl::ConstValue literal;
  literal.kind = opp::idl::ConstValue::Kind::kMap;
  literal.map.emplace_back(SchemaFixture::string_value("x"), SchemaFixture::int_value(3));
  literal.map.emplace_back(SchemaFixture::string_value("on"), SchemaFixture::int_value(1));
  fx.field(shape, 1, "origin", fx.of(point)).default_value = literal;
  opp::idl::ConstValue list;
  list.kind = opp::idl::ConstValue::Kind::kList;
  list.list = {SchemaFixture::int_value(1), SchemaFixture::int_value(2)};
  fx.field(shape, 2, "tags", fx.list(fx.base(TypeKind::kI16))).default_value = list;
  auto compiled = compile_codec({shape});
  const Codec& codec = *compiled;
  for (auto p : {Protocol::kBinary, Protocol::kCompact}) {
    INFO(static_cast<int>(p));
    CHECK(round_trip(codec, *shape, "{}", p) == R"({"origin":{"x":3,"on":true},"tags":[1,2]})");
  }
}
