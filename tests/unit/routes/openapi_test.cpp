// The OpenAPI document's shape for the payment IDL: one POST path per service, a
// discriminator over every accepted `method` value, the signed envelope, per-method
// biz_params / data schemas, every status of the error table, the signature headers.
// (tests/integration/routes/validate_openapi.py validates it with openapi-spec-validator.)
#include <set>

#include "opp/common/error.hpp"
#include "routes_test_util.hpp"

using namespace opp::routes;
using namespace opp::routes::test;

namespace {

const rapidjson::Value& component(const rapidjson::Value& doc, const std::string& name) {
  const auto& schemas = doc["components"]["schemas"];
  INFO(name);
  REQUIRE(schemas.HasMember(name.c_str()));
  return schemas[name.c_str()];
}

std::string ref_name(const rapidjson::Value& ref) {
  std::string r = str(ref["$ref"]);
  REQUIRE(r.rfind("#/components/schemas/", 0) == 0);
  return r.substr(21);
}

}  // namespace

TEST_CASE("openapi: POST /gateway/payment with every method", "[routes][openapi]") {
  auto routes = parse_json(render_routes_json(*opp::catalog::scan(payment_dir())));
  auto doc = parse_json(render_openapi(*opp::catalog::scan(payment_dir())));
  CHECK(str((*doc)["openapi"]) == "3.1.0");
  const auto& paths = (*doc)["paths"];
  REQUIRE(paths.HasMember("/gateway/payment"));
  const auto& op = paths["/gateway/payment"]["post"];
  CHECK(str(op["operationId"]) == "call.payment");

  // The request: oneOf per method, discriminated by `method` (route segment and name).
  const auto& body = op["requestBody"]["content"];
  REQUIRE(body.HasMember("application/x-www-form-urlencoded"));
  REQUIRE(body.HasMember("application/json"));
  const auto& request = component(*doc, ref_name(body["application/json"]["schema"]));
  CHECK(str(request["discriminator"]["propertyName"]) == "method");
  const auto& mapping = request["discriminator"]["mapping"];
  const auto& methods = service(*routes, "payment")["functions"];
  CHECK(request["oneOf"].Size() == methods.Size());
  CHECK(op["x-opp-methods"].Size() == methods.Size());
  for (const auto& fn : methods.GetArray()) {
    std::string function_name = str(fn["function"]);
    INFO(function_name);
    for (const auto& value : fn["methods"].GetArray()) {
      REQUIRE(mapping.HasMember(value.GetString()));
      CHECK(str(mapping[value.GetString()]) ==
            "#/components/schemas/payment." + function_name + ".Request");
    }
    const auto& per_method = component(*doc, "payment." + function_name + ".Request");
    CHECK(ref_name(per_method["allOf"][0]) == "opp.SignedRequest");
    CHECK(per_method["properties"]["method"]["enum"].Size() == 2);
    const auto& biz = per_method["properties"]["biz_params"];
    CHECK(str(biz["type"]) == "string");
    CHECK(str(biz["contentMediaType"]) == "application/json");
    // biz_params' contentSchema has the method's fields.
    const auto& biz_schema = component(*doc, ref_name(biz["contentSchema"]));
    std::set<std::string> want, got;
    for (const auto& row : fn["biz_params"]["fields"].GetArray()) want.insert(str(row["key"]));
    for (const auto& m : biz_schema["properties"].GetObject()) got.insert(m.name.GetString());
    CHECK(got == want);
    CHECK(biz_schema["properties"]["merchant_id"]["readOnly"].GetBool());
    // data.
    const auto& data = component(*doc, "payment." + function_name + ".Data");
    std::set<std::string> data_want, data_got;
    for (const auto& row : fn["data"]["fields"].GetArray()) data_want.insert(str(row["key"]));
    for (const auto& m : data["properties"].GetObject()) data_got.insert(m.name.GetString());
    CHECK(data_got == data_want);
    CHECK(
        body["application/x-www-form-urlencoded"]["examples"].HasMember(str(fn["method"]).c_str()));
  }
}

TEST_CASE("openapi: the signed envelope and the response envelope", "[routes][openapi]") {
  auto doc = parse_json(render_openapi(*opp::catalog::scan(payment_dir())));
  const auto& envelope = component(*doc, "opp.SignedRequest");
  std::set<std::string> required;
  for (const auto& r : envelope["required"].GetArray()) required.insert(str(r));
  CHECK(required == std::set<std::string>{"merchant_id", "method", "timestamp", "nonce_str",
                                          "sign_type", "sign"});
  const auto& p = envelope["properties"];
  CHECK(str(p["nonce_str"]["pattern"]) == "^[A-Za-z0-9_-]{8,64}$");
  CHECK(str(p["timestamp"]["pattern"]) == "^[0-9]{1,19}$");
  CHECK(p["sign_type"]["enum"].Size() == 3);
  CHECK(str(p["biz_params"]["type"]) == "string");
  CHECK(str(envelope["additionalProperties"]["type"]) == "string");  // extra params, signed

  const auto& op = (*doc)["paths"]["/gateway/payment"]["post"];
  const auto& ok = op["responses"]["200"];
  for (const char* h :
       {"X-Request-Id", "X-Opp-Timestamp", "X-Opp-Nonce", "X-Opp-Sign-Type", "X-Opp-Signature"}) {
    INFO(h);
    REQUIRE(ok["headers"].HasMember(h));
    CHECK(ok["headers"][h]["required"].GetBool());
  }
  // 200: a success per method, or a declared exception (err_code >= 20000, data).
  const auto& response = component(*doc, ref_name(ok["content"]["application/json"]["schema"]));
  CHECK(response["anyOf"].Size() == 8);  // 7 successes + common.BizError
  const auto& success = component(*doc, "payment.QueryOrder.Success");
  CHECK(success["properties"]["err_code"]["const"].GetInt() == 0);
  CHECK(ref_name(success["properties"]["data"]) == "payment.QueryOrder.Data");
  const auto& biz_error = component(*doc, "payment.common.BizError.Error");
  CHECK(biz_error["properties"]["err_code"]["minimum"].GetInt() == 20000);
  CHECK(ref_name(biz_error["properties"]["data"]) == "payment.common.BizError.out");
}

TEST_CASE("openapi: every error status of the code table, with its codes", "[routes][openapi]") {
  auto doc = parse_json(render_openapi(*opp::catalog::scan(payment_dir())));
  const auto& responses = (*doc)["paths"]["/gateway/payment"]["post"]["responses"];
  for (const char* status : {"400", "401", "403", "404", "413", "429", "502", "503", "504"}) {
    INFO(status);
    REQUIRE(responses.HasMember(status));
  }
  // Each sub_code of the table (the merchant route's) under its status, in the components.
  const auto& components = (*doc)["components"]["responses"];
  for (const opp::SubCodeInfo& row : opp::kSubCodeTable) {
    if (static_cast<int32_t>(row.code) >= opp::kFirstBusinessCode) continue;
    if (row.sub_code == "method-not-allowed" || row.sub_code == "unknown-route") continue;
    std::string status = std::to_string(row.http_status);
    INFO(row.sub_code);
    REQUIRE(responses.HasMember(status.c_str()));
    std::string name = "Error" + status;
    const auto& r = components[name.c_str()];
    const auto& schema = r["content"]["application/json"]["schema"];
    bool listed = false;
    for (const auto& s : schema["properties"]["sub_code"]["enum"].GetArray())
      listed = listed || str(s) == row.sub_code;
    CHECK(listed);
    bool code_listed = false;
    for (const auto& c : schema["properties"]["err_code"]["enum"].GetArray())
      code_listed = code_listed || c.GetInt() == static_cast<int>(row.code);
    CHECK(code_listed);
    CHECK(r["headers"].HasMember("X-Request-Id"));
  }
  CHECK(components["Error429"]["headers"].HasMember("Retry-After"));
  CHECK(components["Error403"]["headers"]["X-Opp-Signature"]["required"].GetBool());
  CHECK_FALSE(components["Error413"]["headers"].HasMember("X-Opp-Signature"));  // before auth
  for (const char* path : {"/healthz", "/metrics", "/gateway/routes", "/gateway/openapi.json",
                           "/gateway/docs", "/gateway/_status", "/gateway/platform-key"}) {
    INFO(path);
    CHECK((*doc)["paths"].HasMember(path));
  }
}

TEST_CASE("openapi: services and components cannot collide", "[routes][openapi]") {
  auto doc = parse_json(render_openapi(*opp::catalog::scan(shop_dir())));
  const auto& op = (*doc)["paths"]["/gateway/shop"]["post"];
  // The shadowed function is described but not selectable.
  const auto& mapping = component(
      *doc,
      ref_name(
          op["requestBody"]["content"]["application/json"]["schema"]))["discriminator"]["mapping"];
  CHECK(str(mapping["place"]) == "#/components/schemas/shop.PlaceOrder.Request");
  CHECK(str(mapping["PlaceOrder"]) == "#/components/schemas/shop.PlaceOrder.Request");
  bool shadowed_listed = false;
  for (const auto& m : op["x-opp-methods"].GetArray())
    if (str(m["function"]) == "place") shadowed_listed = !m["reachable"].GetBool();
  CHECK(shadowed_listed);
  // Both directions of one struct are separate components.
  component(*doc, "shop.money.Money.in");
  component(*doc, "shop.money.Money.out");
  component(*doc, "shop.shop.Node.in");
  component(*doc, "shop.shop.Node.out");
  CHECK(str(component(*doc, "shop.defs.Level.out")["type"]) == "integer");
  // Two exceptions of PlaceOrder: two declared-exception envelopes.
  component(*doc, "shop.shop.ShopError.Error");
  CHECK(component(*doc, "shop.shop.Plain.Error")["properties"]["err_code"]["const"].GetInt() ==
        20000);
  REQUIRE((*doc)["x-opp-idl-errors"].Size() == 1);
}
