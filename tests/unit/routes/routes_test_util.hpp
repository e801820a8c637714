#pragma once
// Helpers of the route-listing tests: scanning the test IDL directories, parsing the JSON
// documents strictly (UTF-8 validated), and finding services, functions and fields in them.

#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include "opp/catalog/catalog.hpp"
#include "rapidjson/document.h"
#include "rapidjson/error/en.h"
#include "routes/routes.hpp"

namespace opp::routes::test {

inline std::string source_path(const std::string& relative) {
  return std::string(OPP_SOURCE_DIR) + "/" + relative;
}

/// The repository's idl/ (payment.thrift, common.thrift).
inline std::string payment_dir() {
  return source_path("idl");
}
/// tests/data/routes/dir: recursion, unions, enums, maps, typedef chains, includes, errors.
inline std::string shop_dir() {
  return source_path("tests/data/routes/dir");
}

/// Parses a document the way a strict client would: valid UTF-8, one value.
inline std::shared_ptr<rapidjson::Document> parse_json(const std::string& text) {
  auto doc = std::make_shared<rapidjson::Document>();
  doc->Parse<rapidjson::kParseValidateEncodingFlag>(text.c_str(), text.size());
  INFO((doc->HasParseError() ? rapidjson::GetParseError_En(doc->GetParseError()) : "")
       << " at offset " << doc->GetErrorOffset());
  REQUIRE_FALSE(doc->HasParseError());
  return doc;
}

inline std::string str(const rapidjson::Value& v) {
  REQUIRE(v.IsString());
  return std::string(v.GetString(), v.GetStringLength());
}

/// services[i] with svc == `svc`.
inline const rapidjson::Value& service(const rapidjson::Value& doc, const std::string& svc) {
  for (const auto& s : doc["services"].GetArray())
    if (str(s["svc"]) == svc) return s;
  FAIL("no service " << svc);
  return doc;
}

/// functions[i] of a service with function == `name`.
inline const rapidjson::Value& function(const rapidjson::Value& service, const std::string& name) {
  for (const auto& f : service["functions"].GetArray())
    if (str(f["function"]) == name) return f;
  FAIL("no function " << name);
  return service;
}

/// The row of `key` in a field table.
inline const rapidjson::Value& field_row(const rapidjson::Value& rows, const std::string& key) {
  for (const auto& r : rows.GetArray())
    if (str(r["key"]) == key) return r;
  FAIL("no field " << key);
  return rows;
}

/// Follows `{"$ref": "#/$defs/X"}` inside a standalone schema.
inline const rapidjson::Value& deref(const rapidjson::Value& schema_root,
                                     const rapidjson::Value& schema) {
  if (!schema.IsObject() || !schema.HasMember("$ref")) return schema;
  std::string ref = str(schema["$ref"]);
  REQUIRE(ref.rfind("#/$defs/", 0) == 0);
  std::string name = ref.substr(8);
  REQUIRE(schema_root.HasMember("$defs"));
  REQUIRE(schema_root["$defs"].HasMember(name.c_str()));
  return schema_root["$defs"][name.c_str()];
}

}  // namespace opp::routes::test
