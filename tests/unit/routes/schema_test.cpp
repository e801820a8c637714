// JSON Schemas of the routes JSON for every field shape the codec maps (SPEC §5):
// tests/data/codec/all_types.thrift, and tests/data/routes/dir for recursive types,
// unions, enums, maps, typedef chains across files, include-qualified types, exceptions,
// inheritance, shadowed methods and files that fail to load.
#include <random>
#include <regex>

#include "routes/schema.hpp"
#include "routes_test_util.hpp"

using namespace opp::routes;
using namespace opp::routes::test;

namespace {

std::shared_ptr<rapidjson::Document> routes_of(const std::string& dir) {
  return parse_json(render_routes_json(*opp::catalog::scan(dir)));
}

std::vector<std::string> strings(const rapidjson::Value& array) {
  std::vector<std::string> out;
  for (const auto& v : array.GetArray()) out.push_back(str(v));
  return out;
}

std::vector<int64_t> ints(const rapidjson::Value& array) {
  std::vector<int64_t> out;
  for (const auto& v : array.GetArray()) out.push_back(v.GetInt64());
  return out;
}

}  // namespace

TEST_CASE("schemas: every scalar and container of all_types.thrift, biz_params side",
          "[routes][schema]") {
  auto doc = routes_of(source_path("tests/data/codec"));
  const auto& echo = function(service(*doc, "all_types"), "Echo");
  const auto& s = echo["biz_params"]["schema"];
  const auto& p = s["properties"];
  CHECK(str(s["title"]) == "AllTypes");
  CHECK(strings(s["required"]) == std::vector<std::string>{"req"});

  CHECK(str(p["b"]["type"]) == "boolean");
  // Integers: a JSON integer or a decimal string, range-checked.
  CHECK(strings(p["i8v"]["type"]) == std::vector<std::string>{"integer", "string"});
  CHECK(p["i8v"]["minimum"].GetInt() == -128);
  CHECK(p["i8v"]["maximum"].GetInt() == 127);
  CHECK(str(p["i8v"]["format"]) == "int8");
  CHECK(p["i16v"]["maximum"].GetInt() == 32767);
  CHECK(p["i32v"]["minimum"].GetInt64() == INT32_MIN);
  CHECK(str(p["i64v"]["pattern"]) == decimal_range_pattern(INT64_MIN, INT64_MAX));
  CHECK(str(p["i8v"]["pattern"]) == decimal_range_pattern(-128, 127));
  CHECK(strings(p["js"]["type"]) == std::vector<std::string>{"integer", "string"});
  CHECK(str(p["d"]["type"]) == "number");
  CHECK(str(p["s"]["type"]) == "string");
  // binary: base64 in both alphabets, padding optional.
  CHECK(str(p["bin"]["contentEncoding"]) == "base64");
  CHECK(str(p["bin"]["pattern"]).find("_-") != std::string::npos);
  // Enums: by value, by name, or the value as decimal text.
  CHECK(str(p["color"]["$ref"]) == "#/$defs/all_types.Color");
  const auto& color = deref(s, p["color"]);
  CHECK(ints(color["anyOf"][0]["enum"]) == std::vector<int64_t>{1, 2, 5});
  CHECK(strings(color["anyOf"][1]["enum"]) == std::vector<std::string>{"RED", "GREEN", "BLUE"});
  CHECK(str(color["anyOf"][2]["pattern"]) == "^(0*1|0*2|0*5)$");
  CHECK(color["x-enum-members"].Size() == 3);
  // Lists, sets, maps and their keys.
  CHECK(str(p["li"]["type"]) == "array");
  CHECK(p["li"]["items"]["maximum"].GetInt64() == INT32_MAX);
  CHECK_FALSE(p["li"].HasMember("uniqueItems"));
  CHECK(p["ss"]["uniqueItems"].GetBool());
  CHECK(str(p["msi"]["type"]) == "object");
  CHECK_FALSE(p["msi"].HasMember("propertyNames"));  // string keys are the keys
  CHECK(str(p["msi"]["additionalProperties"]["format"]) == "int64");
  CHECK(str(p["mis"]["propertyNames"]["pattern"]) == decimal_range_pattern(INT32_MIN, INT32_MAX));
  CHECK(str(p["mci"]["propertyNames"]["pattern"]) == "^(RED|0*1|GREEN|0*2|BLUE|0*5)$");
  CHECK(str(p["mci"]["additionalProperties"]["$ref"]) == "#/$defs/all_types.Inner");
  CHECK(strings(p["mbs"]["propertyNames"]["enum"]) == std::vector<std::string>{"true", "false"});
  CHECK(p["mbd"]["propertyNames"].HasMember("pattern"));
  CHECK(str(p["lbin"]["items"]["contentEncoding"]) == "base64");
  CHECK(str(p["nested"]["items"]["items"]["$ref"]) == "#/$defs/all_types.Inner");
  // Structs and unions through $defs.
  const auto& inner = deref(s, p["inner"]);
  CHECK(strings(inner["required"]) == std::vector<std::string>{"a"});
  CHECK(str(inner["properties"]["b"]["default"]) == "dflt");
  const auto& choice = deref(s, p["choice"]);
  CHECK(choice["minProperties"].GetInt() == 1);
  CHECK(choice["maxProperties"].GetInt() == 1);
  CHECK(choice["properties"].MemberCount() == 3);
  // Defaults the gateway writes (default requiredness); an optional field's is not written.
  CHECK(p["dflt"]["default"].GetInt() == 42);
  CHECK(p["flag"]["default"].GetBool() == true);
  CHECK(p["dd"]["default"].GetDouble() == 1.5);
  CHECK(ints(p["ldef"]["default"]) == std::vector<int64_t>{1, 2, 3});
  CHECK_FALSE(p["opt"].HasMember("default"));
  CHECK(field_row(echo["biz_params"]["fields"], "opt")["default"].GetInt() == 7);
  // JSON keys: go.tag renames.
  CHECK(p.HasMember("renamed"));
  CHECK_FALSE(p.HasMember("keyed"));
  CHECK(str(field_row(echo["biz_params"]["fields"], "renamed")["name"]) == "keyed");
}

TEST_CASE("schemas: the data side writes js_conv integers as strings, enums as integers",
          "[routes][schema]") {
  auto doc = routes_of(source_path("tests/data/codec"));
  const auto& echo = function(service(*doc, "all_types"), "Echo");
  const auto& s = echo["data"]["schema"];
  const auto& p = s["properties"];
  CHECK(str(p["js"]["type"]) == "string");
  CHECK(str(p["js"]["pattern"]) == "^-?(0|[1-9][0-9]*)$");
  CHECK(str(p["i64v"]["type"]) == "integer");
  CHECK_FALSE(p["i64v"].HasMember("pattern"));
  const auto& color = deref(s, p["color"]);
  CHECK(str(color["type"]) == "integer");
  CHECK(ints(color["enum"]) == std::vector<int64_t>{1, 2, 5});
  CHECK(str(p["mis"]["propertyNames"]["pattern"]) == "^-?(0|[1-9][0-9]*)$");
  CHECK(str(p["bin"]["pattern"]).find("_") == std::string::npos);  // standard alphabet only
  CHECK_FALSE(p["dflt"].HasMember("default"));                     // data has no defaults
  CHECK(echo["data"]["js_conv"].GetBool() == false);

  // The declared exception: err_code from `code`, err_message from `message`.
  const auto& oops = echo["exceptions"][0];
  CHECK(str(oops["type"]) == "Oops");
  CHECK(str(oops["err_code"]["field"]) == "code");
  CHECK(str(oops["err_code"]["rule"]).find("20000") != std::string::npos);
  CHECK(str(oops["schema"]["title"]) == "Oops");
}

TEST_CASE("schemas: biz_params shapes of SPEC §3.1 and data of void / oneway / bare values",
          "[routes][schema]") {
  auto doc = routes_of(source_path("tests/data/codec"));
  const auto& svc = service(*doc, "all_types");
  const auto& add = function(svc, "Add");
  CHECK(str(add["biz_params"]["shape"]) == "arguments");
  CHECK(add["biz_params"]["type"].IsNull());
  CHECK(add["biz_params"]["schema"]["properties"].HasMember("a"));
  CHECK(add["biz_params"]["schema"]["properties"].HasMember("b"));
  CHECK(str(add["data"]["type"]) == "i32");
  CHECK(str(add["data"]["schema"]["type"]) == "integer");
  CHECK(add["data"]["fields"].IsNull());

  const auto& ping = function(svc, "Ping");
  CHECK(str(ping["biz_params"]["shape"]) == "none");
  CHECK(ping["biz_params"]["schema"]["properties"].MemberCount() == 0);
  CHECK(str(ping["data"]["type"]) == "void");
  CHECK(ping["data"]["schema"]["maxProperties"].GetInt() == 0);

  const auto& fire = function(svc, "Fire");
  CHECK(fire["oneway"].GetBool());
  CHECK(str(fire["method"]) == "Fire");  // no HTTP annotation: the function name
  CHECK(fire["http"].IsNull());
  CHECK(fire["data"]["schema"]["maxProperties"].GetInt() == 0);
  CHECK(str(fire["data"]["schema"]["description"]).find("oneway") != std::string::npos);
}

TEST_CASE("schemas: recursive types through $defs and $ref", "[routes][schema]") {
  auto doc = routes_of(shop_dir());
  const auto& shop = service(*doc, "shop");
  const auto& walk = function(shop, "Walk");
  CHECK(str(walk["biz_params"]["shape"]) == "arguments");
  const auto& biz = walk["biz_params"]["schema"];
  CHECK(str(biz["properties"]["root"]["$ref"]) == "#/$defs/shop.Node");
  CHECK(walk["biz_params"]["merchant_binding"].IsNull());
  const auto& node = deref(biz, biz["properties"]["root"]);
  CHECK(str(node["properties"]["children"]["items"]["$ref"]) == "#/$defs/shop.Node");
  CHECK(str(node["properties"]["parent"]["$ref"]) == "#/$defs/shop.Node");
  CHECK(str(node["properties"]["by_name"]["additionalProperties"]["$ref"]) == "#/$defs/shop.Node");
  CHECK(strings(node["required"]) == std::vector<std::string>{"name"});
  // The result is written in place, its recursion still through the definition.
  const auto& data = walk["data"]["schema"];
  CHECK(str(data["title"]) == "Node");
  CHECK(str(data["properties"]["children"]["items"]["$ref"]) == "#/$defs/shop.Node");
  CHECK(data["$defs"].HasMember("shop.Node"));
}

TEST_CASE("schemas: unions, enums with negative values, enum map keys", "[routes][schema]") {
  auto doc = routes_of(shop_dir());
  const auto& shop = service(*doc, "shop");
  const auto& choose = function(shop, "Choose");
  CHECK(str(choose["biz_params"]["shape"]) == "struct");
  const auto& pick = choose["biz_params"]["schema"];
  CHECK(pick["minProperties"].GetInt() == 1);
  CHECK(pick["maxProperties"].GetInt() == 1);
  CHECK(str(pick["description"]) == "Exactly one of them.");
  CHECK(str(pick["properties"]["level"]["$ref"]) == "#/$defs/defs.Level");
  const auto& level = deref(pick, pick["properties"]["level"]);
  CHECK(ints(level["anyOf"][0]["enum"]) == std::vector<int64_t>{1, 5, -3});
  CHECK(str(level["anyOf"][2]["pattern"]) == "^(0*1|0*5|-0*3)$");
  CHECK(str(level["x-enum-members"][0]["description"]) == "the lowest");

  const auto& order = function(shop, "PlaceOrder")["biz_params"]["schema"];
  const auto& by_level = order["properties"]["by_level"];
  CHECK(str(by_level["propertyNames"]["pattern"]) == "^(LOW|0*1|HIGH|0*5|NEG|-0*3)$");
  CHECK(strings(by_level["additionalProperties"]["items"]["type"]) ==
        std::vector<std::string>{"integer", "string"});
  CHECK(order["properties"]["blobs"]["uniqueItems"].GetBool());
}

TEST_CASE("schemas: typedef chains, include-qualified types, defaults, JSON keys",
          "[routes][schema]") {
  auto doc = routes_of(shop_dir());
  const auto& shop = service(*doc, "shop");
  const auto& place = function(shop, "PlaceOrder");
  const auto& fields = place["biz_params"]["fields"];
  // Price -> money.Amount -> money.Cents -> i64.
  CHECK(str(field_row(fields, "price")["declared_type"]) == "Price");
  CHECK(str(field_row(fields, "price")["type"]) == "i64");
  CHECK(str(field_row(fields, "price")["requiredness"]) == "required");
  CHECK(str(field_row(fields, "total")["type"]) == "money.Money");
  CHECK(str(field_row(fields, "total")["requiredness"]) == "optional");
  CHECK(str(field_row(fields, "level")["type"]) == "defs.Level");
  CHECK(field_row(fields, "merchant_id")["filled_by_gateway"].GetBool());
  CHECK(str(field_row(fields, "memo")["name"]) == "note");  // api.key

  const auto& s = place["biz_params"]["schema"];
  const auto& p = s["properties"];
  CHECK(strings(s["required"]) == std::vector<std::string>{"price"});
  CHECK(p["price"]["maximum"].GetInt64() == INT64_MAX);
  CHECK(str(p["total"]["$ref"]) == "#/$defs/money.Money");
  const auto& money = deref(s, p["total"]);
  CHECK(str(money["properties"]["currency"]["default"]) == "CNY");
  CHECK(p["level"]["default"].GetInt() == 5);  // defs.Level.HIGH
  CHECK(ints(p["small"]["default"]) == std::vector<int64_t>{1, -2});
  CHECK(str(p["labels"]["default"]["1"]) == "one");
  CHECK(p["fallback"]["default"]["amount"].GetInt() == 7);
  CHECK_FALSE(p["retries"].HasMember("default"));  // optional
  CHECK(p["merchant_id"]["readOnly"].GetBool());
  CHECK(str(p["merchant_id"]["description"]).find("Filled by the gateway") == 0);

  // The data side of the same struct: js_conv as a string.
  const auto& data = place["data"]["schema"]["properties"];
  CHECK(str(data["big"]["type"]) == "string");

  const auto& total = function(shop, "Total");
  CHECK(str(total["data"]["type"]) == "i64");  // money.Cents resolved
  CHECK(str(total["biz_params"]["schema"]["properties"]["prices"]["items"]["format"]) == "int64");
}

TEST_CASE("routes JSON: exceptions' err_code rules, inheritance, shadowed methods",
          "[routes][schema]") {
  auto doc = routes_of(shop_dir());
  const auto& shop = service(*doc, "shop");
  CHECK(str(shop["service"]) == "ShopSvc");
  CHECK(str(shop["extends"]) == "BaseSvc");

  const auto& ping = shop["functions"][0];  // inherited functions first
  CHECK(str(ping["function"]) == "Ping");
  CHECK(str(ping["declared_in"]) == "BaseSvc");
  CHECK(str(ping["method"]) == "ping");
  CHECK(str(ping["http"]["verb"]) == "get");

  const auto& place = function(shop, "PlaceOrder");
  CHECK(str(place["method"]) == "place");
  REQUIRE(place["exceptions"].Size() == 2);
  const auto& shop_error = place["exceptions"][0];
  CHECK(str(shop_error["err_code"]["field"]) == "code");
  CHECK(str(shop_error["err_message"]["field"]) == "msg");  // no `message`: `msg`
  const auto& plain = place["exceptions"][1];
  CHECK(plain["err_code"]["field"].IsNull());
  CHECK(str(plain["err_code"]["rule"]).find("always 20000") == 0);
  CHECK(plain["err_message"]["field"].IsNull());
  CHECK(str(plain["err_message"]["rule"]) == "the type name \"Plain\"");

  // `place` is PlaceOrder's route segment, which wins over the function named place.
  const auto& shadowed = shop["functions"][shop["functions"].Size() - 1];
  CHECK(str(shadowed["function"]) == "place");
  CHECK(shadowed["reachable"].GetBool() == false);
  CHECK(shadowed["methods"].Size() == 0);
}

TEST_CASE("routes JSON: files that fail to load are listed, not fatal", "[routes]") {
  auto doc = routes_of(shop_dir());
  REQUIRE((*doc)["errors"].Size() == 1);
  const auto& e = (*doc)["errors"][0];
  CHECK(str(e["file"]) == "broken.thrift");
  CHECK(str(e["error"]) == "broken.thrift:3:1: expected a field or ')' but found '}'");
  CHECK(str(e["serving"]) == "nothing");
  CHECK(e["svc"].IsNull());
  const auto& files = (*doc)["files"];
  REQUIRE(files.Size() == 3);
  CHECK(str(files[1]["file"]) == "defs.thrift");
  CHECK(str(files[1]["state"]) == "include-only");
  CHECK(str(files[2]["state"]) == "ok");
  CHECK(strings(files[2]["includes"]) ==
        std::vector<std::string>{"defs.thrift", "types/money.thrift"});
}

TEST_CASE("schemas: decimal string patterns match exactly the integers in range",
          "[routes][schema]") {
  struct Range {
    int64_t min, max;
  };
  std::mt19937_64 random(20260101);
  for (Range r : {Range{INT8_MIN, INT8_MAX}, Range{INT16_MIN, INT16_MAX},
                  Range{INT32_MIN, INT32_MAX}, Range{INT64_MIN, INT64_MAX}}) {
    INFO(r.min << ".." << r.max);
    std::regex pattern(decimal_range_pattern(r.min, r.max));  // ECMAScript, as JSON Schema
    auto accepts = [&](const std::string& text) { return std::regex_search(text, pattern); };
    // In range: the bounds, zero, random values; each also with leading zeros.
    std::vector<int64_t> inside{r.min, r.max, 0, 1, -1, r.max / 10, r.min / 10 - 1};
    for (int i = 0; i < 2000; ++i) {
      uint64_t span = static_cast<uint64_t>(r.max) - static_cast<uint64_t>(r.min);
      uint64_t offset = span == UINT64_MAX ? random() : random() % (span + 1);
      inside.push_back(static_cast<int64_t>(static_cast<uint64_t>(r.min) + offset));
    }
    for (int64_t v : inside) {
      std::string text = std::to_string(v);
      INFO(text);
      CHECK(accepts(text));
      std::string padded = v < 0 ? "-00" + text.substr(1) : "00" + text;
      CHECK(accepts(padded));
    }
    // Out of range, by one and by more digits; and what is no decimal at all.
    if (r.max < INT64_MAX) {
      CHECK_FALSE(accepts(std::to_string(r.max + 1)));
      CHECK_FALSE(accepts(std::to_string(r.min - 1)));
      CHECK_FALSE(accepts("000" + std::to_string(r.max + 1)));
    } else {
      CHECK_FALSE(accepts("9223372036854775808"));
      CHECK_FALSE(accepts("-9223372036854775809"));
      CHECK_FALSE(accepts("10000000000000000000"));
    }
    CHECK(accepts("-0"));
    for (const char* bad : {"", "-", "+1", " 1", "1 ", "1.0", "1e3", "0x10", "--1", "١"})
      CHECK_FALSE(accepts(bad));
  }
}
