#include "routes/openapi_parts.hpp"

#include <set>

#include "routes/merchant_api.hpp"

namespace opp::routes {
namespace {

Json header_object(const ResponseHeader& h, bool required) {
  Json out = Json::object();
  out.add("description", h.description);
  out.add("required", required);
  Json schema = Json::object();
  schema.add("type", "string");
  out.add("schema", std::move(schema));
  return out;
}

Json get_operation(const char* summary, const char* media_type, Json schema, const char* id) {
  Json op = Json::object();
  Json tags = Json::array();
  tags.push("gateway");
  op.add("tags", std::move(tags));
  op.add("summary", summary);
  op.add("operationId", id);
  Json ok = Json::object();
  ok.add("description", summary);
  Json headers = Json::object();
  headers.add("X-Request-Id", header_object(response_headers().front(), true));
  ok.add("headers", std::move(headers));
  Json media = Json::object();
  media.add("schema", std::move(schema));
  Json content = Json::object();
  content.add(media_type, std::move(media));
  ok.add("content", std::move(content));
  Json responses = Json::object();
  responses.add("200", std::move(ok));
  op.add("responses", std::move(responses));
  Json item = Json::object();
  item.add("get", std::move(op));
  return item;
}

}  // namespace

Json openapi_ref(const std::string& name) {
  Json r = Json::object();
  r.add("$ref", std::string(kOpenApiSchemas) + name);
  return r;
}

// X-Request-Id on every response; the X-Opp-* signature headers as `sign` says.
Json openapi_response_headers(ErrorAnswer::Signed is_signed) {
  Json out = Json::object();
  for (const ResponseHeader& h : response_headers()) {
    if (h.always) {
      out.add(h.name, header_object(h, true));
    } else if (is_signed != ErrorAnswer::Signed::kNo) {
      ResponseHeader described = h;
      if (is_signed == ErrorAnswer::Signed::kUnknown)
        described.description += " Present when the request passed authentication.";
      out.add(h.name, header_object(described, is_signed == ErrorAnswer::Signed::kYes));
    }
  }
  return out;
}

Json openapi_signed_request_schema() {
  Json s = Json::object();
  s.add("type", "object");
  s.add("title", "Signed request");
  s.add("description",
        std::string("The envelope params of every merchant request (SPEC §3.1), all values "
                    "strings. ") +
            canonical_string_rule());
  Json properties = Json::object();
  Json required = Json::array();
  for (const EnvelopeParam& p : envelope_params()) {
    Json schema = p.schema;
    schema.set("description", p.description);
    properties.add(p.name, std::move(schema));
    if (p.required) required.push(p.name);
  }
  s.add("properties", std::move(properties));
  s.add("required", std::move(required));
  Json extra = Json::object();
  extra.add("type", "string");
  s.add("additionalProperties", std::move(extra));
  return s;
}

Json openapi_error_response_schema() {
  Json s = Json::object();
  s.add("type", "object");
  s.add("title", "Error response");
  Json properties = Json::object();
  auto prop = [&](const char* name, const char* type, const char* description) {
    Json p = Json::object();
    p.add("type", type);
    p.add("description", description);
    properties.add(name, std::move(p));
  };
  prop("err_code", "integer", "The error code (SPEC §3.3).");
  prop("err_message", "string", "The code's name, e.g. BadRequest.");
  prop("sub_code", "string", "Stable kebab-case detail, e.g. invalid-biz-params.");
  prop("sub_message", "string", "For humans; names the JSON path for biz_params errors.");
  prop("request_id", "string", "Same as the X-Request-Id header.");
  s.add("properties", std::move(properties));
  Json required = Json::array();
  for (const char* r : {"err_code", "err_message", "sub_code", "request_id"}) required.push(r);
  s.add("required", std::move(required));
  return s;
}

Json openapi_error_response(const StatusAnswers& group) {
  std::string codes;
  std::set<int32_t> seen;
  Json code_values = Json::array();
  Json sub_codes = Json::array();
  Json examples = Json::object();
  std::string list;
  for (const ErrorAnswer& a : group.answers) {
    if (seen.insert(a.err_code).second) {
      code_values.push(static_cast<int64_t>(a.err_code));
      if (!codes.empty()) codes += ", ";
      codes += std::to_string(a.err_code) + " " + a.err_message;
    }
    sub_codes.push(a.sub_code);
    list += "\n- `" + a.sub_code + "` (" + std::to_string(a.err_code) + ")" +
            (a.when.empty() ? "" : ": " + a.when);
    Json value = Json::object();
    value.add("err_code", static_cast<int64_t>(a.err_code));
    value.add("err_message", a.err_message);
    value.add("sub_code", a.sub_code);
    value.add("sub_message", a.when.empty() ? a.sub_code : a.when);
    value.add("request_id", kExampleRequestId);
    Json example = Json::object();
    example.add("summary", a.sub_code);
    example.add("value", std::move(value));
    examples.add(a.sub_code, std::move(example));
  }
  Json narrowed = Json::object();
  Json all_of = Json::array();
  all_of.push(openapi_ref("opp.ErrorResponse"));
  narrowed.add("allOf", std::move(all_of));
  Json properties = Json::object();
  Json code = Json::object();
  code.add("enum", std::move(code_values));
  properties.add("err_code", std::move(code));
  Json sub = Json::object();
  sub.add("enum", std::move(sub_codes));
  properties.add("sub_code", std::move(sub));
  narrowed.add("properties", std::move(properties));

  Json out = Json::object();
  out.add("description", group.reason + ": " + codes + "." + list);
  Json headers = openapi_response_headers(group.is_signed);
  if (group.status == 429) {
    Json retry = Json::object();
    retry.add("description", "Seconds until a token is available, rounded up, at least 1.");
    retry.add("required", true);
    Json schema = Json::object();
    schema.add("type", "integer");
    schema.add("minimum", 1);
    retry.add("schema", std::move(schema));
    headers.add("Retry-After", std::move(retry));
  }
  out.add("headers", std::move(headers));
  Json media = Json::object();
  media.add("schema", std::move(narrowed));
  media.add("examples", std::move(examples));
  Json content = Json::object();
  content.add("application/json", std::move(media));
  out.add("content", std::move(content));
  return out;
}

std::string openapi_error_response_name(uint16_t status) {
  return "Error" + std::to_string(status);
}

Json openapi_request_id_parameter() {
  Json p = Json::object();
  p.add("name", "X-Request-Id");
  p.add("in", "header");
  p.add("required", false);
  p.add("description", "Kept as the request's id when well-formed; else the gateway makes one.");
  Json schema = Json::object();
  schema.add("type", "string");
  schema.add("pattern", "^[A-Za-z0-9._:-]{1,128}$");
  p.add("schema", std::move(schema));
  Json list = Json::array();
  list.push(std::move(p));
  return list;
}

void openapi_gateway_paths(Json& paths) {
  auto type = [](const char* t) {
    Json s = Json::object();
    s.add("type", t);
    return s;
  };
  Json health = type("object");
  Json health_props = Json::object();
  Json status = Json::object();
  status.add("const", "ok");
  health_props.add("status", std::move(status));
  health.add("properties", std::move(health_props));
  paths.add("/healthz", get_operation("Liveness: {\"status\":\"ok\"}", "application/json",
                                      std::move(health), "healthz"));
  paths.add("/metrics",
            get_operation("Prometheus metrics: requests by svc/method/err_code, latency, "
                          "upstream errors, registry generation, reload failures",
                          "text/plain", type("string"), "metrics"));
  Json routes = type("object");
  Json routes_required = Json::array();
  for (const char* r : {"services", "files", "errors"}) routes_required.push(r);
  routes.add("required", std::move(routes_required));
  paths.add("/gateway/routes",
            get_operation("The route listing as JSON, with JSON Schemas (draft 2020-12)",
                          "application/json", std::move(routes), "routes"));
  paths.add("/gateway/openapi.json",
            get_operation("This document", "application/json", type("object"), "openapi"));
  paths.add("/gateway/docs", get_operation("The route listing as one self-contained HTML page",
                                           "text/html", type("string"), "docs"));
  paths.add("/gateway/_status",
            get_operation("Registry generation, loaded files with hash and load time, last "
                          "error per file",
                          "application/json", type("object"), "status"));
  paths.add("/gateway/platform-key",
            get_operation("The platform public key (PEM) that verifies RSA2 response "
                          "signatures",
                          "text/plain", type("string"), "platformKey"));
}

}  // namespace opp::routes
