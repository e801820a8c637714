// GET /gateway/openapi.json (SPEC §4): the merchant API as an OpenAPI 3.1 document.
//
// One path per service, `POST /gateway/{svc}`, since that is the real URL; its methods are
// told apart by the `method` param, so the request body is a oneOf of one schema per
// method with a discriminator on `method` (mapping every accepted value), and the
// operation lists them in `x-opp-methods`. biz_params travels as a JSON string, so its
// schema is the `contentSchema` of that string. Components are named
// `<svc>.<Function>.{Request,BizParams,Data,Success}` and `<svc>.<program>.<Type>.{in,out}`.
#include <algorithm>
#include <set>

#include "routes/examples.hpp"
#include "routes/merchant_api.hpp"
#include "routes/method_schemas.hpp"
#include "routes/openapi_parts.hpp"
#include "routes/routes.hpp"
#include "routes/text.hpp"

namespace opp::routes {
namespace {

class OpenApiWriter {
 public:
  explicit OpenApiWriter(const Listing& listing) : listing_(listing) {}

  Json write() {
    Json doc = Json::object();
    doc.add("openapi", "3.1.0");
    doc.add("info", info());
    Json tags = Json::array();
    for (const ServiceInfo& s : listing_.services) {
      Json tag = Json::object();
      tag.add("name", s.svc);
      std::string d = s.entry->service().name + " (" + s.file + ")";
      if (!doc_text(s.entry->service().doc).empty()) d += ": " + doc_text(s.entry->service().doc);
      tag.add("description", d);
      tags.push(std::move(tag));
    }
    Json gateway_tag = Json::object();
    gateway_tag.add("name", "gateway");
    gateway_tag.add("description", "Health, metrics, route listings and the platform key.");
    tags.push(std::move(gateway_tag));
    doc.add("tags", std::move(tags));

    schemas_.add("opp.SignedRequest", openapi_signed_request_schema());
    schemas_.add("opp.ErrorResponse", openapi_error_response_schema());
    Json paths = Json::object();
    for (const ServiceInfo& s : listing_.services) {
      Json item = Json::object();
      item.add("post", service_operation(s));
      paths.add("/gateway/" + form_encode(s.svc), std::move(item));
    }
    openapi_gateway_paths(paths);
    doc.add("paths", std::move(paths));

    Json components = Json::object();
    components.add("schemas", sorted(std::move(schemas_)));
    Json responses = Json::object();
    for (const StatusAnswers& group : error_statuses())
      responses.add(openapi_error_response_name(group.status), openapi_error_response(group));
    components.add("responses", std::move(responses));
    doc.add("components", std::move(components));
    Json errors = Json::array();
    for (const FileInfo& f : listing_.files) {
      if (f.state != "error") continue;
      Json e = Json::object();
      e.add("file", f.file);
      e.add("error", f.error);
      e.add("serving", f.serving_previous ? "previous version" : "nothing");
      errors.push(std::move(e));
    }
    doc.add("x-opp-idl-errors", std::move(errors));
    return doc;
  }

 private:
  static Json sorted(Json object) {
    std::vector<Json::Member> members = object.members();
    std::sort(members.begin(), members.end(),
              [](const Json::Member& a, const Json::Member& b) { return a.key < b.key; });
    Json out = Json::object();
    for (Json::Member& m : members) out.add(std::move(m.key), std::move(m.value));
    return out;
  }

  Json info() const {
    Json info = Json::object();
    info.add("title", "Open Payment Platform merchant API");
    info.add("version", OPP_VERSION);
    std::string d =
        "Every service of the gateway's IDL directory is one endpoint, `POST /gateway/{svc}`; "
        "the `method` param picks the function. Bodies are "
        "`application/x-www-form-urlencoded` or `application/json` (an object of strings).\n\n"
        "**Signing.** ";
    d += canonical_string_rule();
    d += "\n\n**Responses.** Always JSON: `err_code`, `err_message`, `request_id`, and `data` "
         "on success (err_code 0) and for declared exceptions (err_code >= 20000, HTTP 200). ";
    d += response_signature_rule();
    d += "\n\n**JSON mapping.**";
    for (const std::string& note : mapping_notes()) d += "\n- " + note;
    info.add("description", d);
    return info;
  }

  std::string unique_prefix(const std::string& svc) {
    std::string base = anchor_text(svc);
    std::string chosen = base;
    for (int n = 2; used_prefixes_.count(chosen); ++n) chosen = base + "_" + std::to_string(n);
    used_prefixes_.insert(chosen);
    return chosen;
  }

  void add_schema(const std::string& name, Json schema) { schemas_.add(name, std::move(schema)); }

  Json service_operation(const ServiceInfo& s) {
    const std::string prefix = unique_prefix(s.svc);
    SchemaBuilder in(Direction::kIn, kOpenApiSchemas, prefix + ".", ".in");
    SchemaBuilder out(Direction::kOut, kOpenApiSchemas, prefix + ".", ".out");

    Json one_of = Json::array();
    Json mapping = Json::object();
    Json responses_any = Json::array();
    Json request_examples = Json::object();
    Json response_examples = Json::object();
    Json methods = Json::array();
    std::set<const idl::StructDescriptor*> exception_types;
    std::string description = s.entry->service().name + " (" + s.file + ")";
    if (s.stale)
      description += ". Its file fails to load now; this is the version loaded before it.";
    for (const std::string* doc : {&s.entry->service().doc, &s.entry->schema().root().doc})
      if (std::string text = doc_text(*doc); !text.empty())
        description += "\n\n" + markdown_escape(text, false);
    description += "\n\nMethods (the `method` param):";

    for (const MethodInfo& m : s.methods) {
      const idl::FunctionDescriptor& fn = *m.function;
      const std::string base = prefix + "." + anchor_text(fn.name);
      add_schema(base + ".BizParams", biz_params_root(m, in));
      add_schema(base + ".Data", data_root(m, out));
      add_schema(base + ".Success", success_schema(m, base));
      responses_any.push(openapi_ref(base + ".Success"));
      description += "\n- `" + m.method + "`";
      if (fn.name != m.method) description += " (" + fn.name + ")";
      if (!m.reachable) description += " — unreachable: another function took its names";
      if (!doc_text(fn.doc).empty()) description += ": " + markdown_escape(doc_text(fn.doc), false);

      if (m.reachable) {
        add_schema(base + ".Request", request_schema(m, base));
        one_of.push(openapi_ref(base + ".Request"));
        for (const std::string& value : m.accepted)
          mapping.add(value, std::string(kOpenApiSchemas) + base + ".Request");
        SignedExample ex = signed_example(m);
        Json value = Json::object();
        for (const auto& [k, v] : ex.params) value.add(k, v);
        Json example = Json::object();
        example.add("summary", m.method + (fn.name != m.method ? " (" + fn.name + ")" : ""));
        example.add("description", "Canonical string to sign: `" + ex.canonical + "`");
        example.add("value", std::move(value));
        request_examples.add(m.method, std::move(example));
      }
      Json success = Json::object();
      success.add("summary", m.method + ": success");
      success.add("value", envelope_example(0, "ok", example_data(m)));
      response_examples.add(m.method, std::move(success));

      Json method = Json::object();
      method.add("method", m.method);
      method.add("methods", Json::strings(m.accepted));
      method.add("reachable", m.reachable);
      method.add("function", fn.name);
      method.add("oneway", fn.oneway);
      if (!fn.http_verb.empty()) {
        Json http = Json::object();
        http.add("verb", fn.http_verb);
        http.add("path", fn.http_path);
        method.add("http", std::move(http));
      }
      method.add("doc", doc_text(fn.doc));
      method.add("biz_params", std::string(kOpenApiSchemas) + base + ".BizParams");
      method.add("data", std::string(kOpenApiSchemas) + base + ".Data");
      Json exceptions = Json::array();
      for (const ExceptionInfo& e : m.exceptions) {
        Json ex = Json::object();
        ex.add("name", e.field->name);
        ex.add("type", e.field->type ? e.field->type->name : e.field->declared_type);
        ex.add("err_code", e.err_code_rule);
        ex.add("err_message", e.err_message_rule);
        if (e.type) {
          std::string name = exception_envelope(e, out, prefix);
          ex.add("schema", std::string(kOpenApiSchemas) + name);
          if (exception_types.insert(e.type).second) {
            responses_any.push(openapi_ref(name));
            Json failure = Json::object();
            failure.add("summary", e.field->type->name + ": declared exception");
            failure.add("value", exception_example(e));
            response_examples.add(anchor_text(e.field->type->name), std::move(failure));
          }
        }
        exceptions.push(std::move(ex));
      }
      method.add("exceptions", std::move(exceptions));
      methods.push(std::move(method));
    }

    Json request = Json::object();
    if (one_of.empty()) {
      request = openapi_ref("opp.SignedRequest");
    } else {
      request.add("oneOf", std::move(one_of));
      Json discriminator = Json::object();
      discriminator.add("propertyName", "method");
      discriminator.add("mapping", std::move(mapping));
      request.add("discriminator", std::move(discriminator));
    }
    add_schema(prefix + ".Request", std::move(request));
    Json response = Json::object();
    response.add("anyOf", std::move(responses_any));
    add_schema(prefix + ".Response", std::move(response));
    for (Json::Member& d : in.take_defs()) add_schema(d.key, std::move(d.value));
    for (Json::Member& d : out.take_defs()) add_schema(d.key, std::move(d.value));

    Json op = Json::object();
    Json tags = Json::array();
    tags.push(s.svc);
    op.add("tags", std::move(tags));
    op.add("summary", "Call a method of " + s.entry->service().name);
    op.add("description", description);
    op.add("operationId", "call." + prefix);
    op.add("parameters", openapi_request_id_parameter());
    Json body = Json::object();
    body.add("required", true);
    body.add("description", "The signed request; `method` selects the function.");
    Json content = Json::object();
    for (const char* media_type : {"application/x-www-form-urlencoded", "application/json"}) {
      Json media = Json::object();
      media.add("schema", openapi_ref(prefix + ".Request"));
      if (!request_examples.empty()) media.add("examples", request_examples);
      content.add(media_type, std::move(media));
    }
    body.add("content", std::move(content));
    op.add("requestBody", std::move(body));

    Json responses = Json::object();
    Json ok = Json::object();
    ok.add("description",
           "err_code 0 with the method's `data`, or a declared exception: err_code >= 20000, "
           "err_message, and the exception as `data`.");
    ok.add("headers", openapi_response_headers(ErrorAnswer::Signed::kYes));
    Json ok_media = Json::object();
    ok_media.add("schema", openapi_ref(prefix + ".Response"));
    ok_media.add("examples", std::move(response_examples));
    Json ok_content = Json::object();
    ok_content.add("application/json", std::move(ok_media));
    ok.add("content", std::move(ok_content));
    responses.add("200", std::move(ok));
    for (const StatusAnswers& group : error_statuses()) {
      Json r = Json::object();
      r.add("$ref", "#/components/responses/" + openapi_error_response_name(group.status));
      responses.add(std::to_string(group.status), std::move(r));
    }
    op.add("responses", std::move(responses));
    op.add("x-opp-methods", std::move(methods));
    return op;
  }

  Json request_schema(const MethodInfo& m, const std::string& base) const {
    Json s = Json::object();
    s.add("title", m.method);
    if (!doc_text(m.function->doc).empty()) s.add("description", doc_text(m.function->doc));
    Json all_of = Json::array();
    all_of.push(openapi_ref("opp.SignedRequest"));
    s.add("allOf", std::move(all_of));
    s.add("type", "object");
    Json properties = Json::object();
    Json method = Json::object();
    method.add("type", "string");
    method.add("enum", Json::strings(m.accepted));
    properties.add("method", std::move(method));
    Json biz = Json::object();
    biz.add("type", "string");
    biz.add("contentMediaType", "application/json");
    biz.add("contentSchema", openapi_ref(base + ".BizParams"));
    biz.add("description", "JSON text of " + base + ".BizParams.");
    Json examples = Json::array();  // OpenAPI 3.1: JSON Schema's `examples`, not `example`
    examples.push(m.shape == BizShape::kNone ? std::string("{}")
                                             : example_biz_params(m).dump_compact());
    biz.add("examples", std::move(examples));
    properties.add("biz_params", std::move(biz));
    s.add("properties", std::move(properties));
    Json required = Json::array();
    // biz_params may be left out (it reads as {}) unless that misses a required field.
    bool has_required = false;
    if (m.shape != BizShape::kNone && m.biz_root)
      for (const idl::FieldDescriptor& f : m.biz_root->fields)
        has_required = has_required || f.requiredness == idl::Requiredness::kRequired;
    for (const EnvelopeParam& p : envelope_params())
      if (p.required || (p.name == "biz_params" && has_required)) required.push(p.name);
    s.add("required", std::move(required));
    return s;
  }

  static Json success_schema(const MethodInfo& m, const std::string& base) {
    Json s = Json::object();
    s.add("type", "object");
    s.add("title", m.method + " succeeded");
    Json properties = Json::object();
    Json code = Json::object();
    code.add("const", 0);
    properties.add("err_code", std::move(code));
    Json message = Json::object();
    message.add("const", "ok");
    properties.add("err_message", std::move(message));
    Json request_id = Json::object();
    request_id.add("type", "string");
    properties.add("request_id", std::move(request_id));
    properties.add("data", openapi_ref(base + ".Data"));
    s.add("properties", std::move(properties));
    Json required = Json::array();
    for (const char* r : {"err_code", "err_message", "request_id", "data"}) required.push(r);
    s.add("required", std::move(required));
    return s;
  }

  // `<svc>.<program>.<Exception>.Error`: the answer to a declared exception of that type.
  std::string exception_envelope(const ExceptionInfo& e, SchemaBuilder& out,
                                 const std::string& prefix) {
    std::string qualified =
        e.type->program ? e.type->program->name + "." + e.type->name : e.type->name;
    std::string name = prefix + "." + anchor_text(qualified) + ".Error";
    if (built_errors_.count(name)) return name;
    built_errors_.insert(name);
    Json s = Json::object();
    s.add("type", "object");
    s.add("title", e.type->name + " (declared exception)");
    s.add("description", "err_code: " + e.err_code_rule + ". err_message: " + e.err_message_rule +
                             ". HTTP 200; signed.");
    Json properties = Json::object();
    Json code = Json::object();
    code.add("type", "integer");
    if (e.code_field.empty()) {
      code.add("const", 20000);
    } else {
      code.add("minimum", 20000);
      code.add("maximum", INT32_MAX);
    }
    properties.add("err_code", std::move(code));
    Json message = Json::object();
    message.add("type", "string");
    if (e.message_field.empty()) message.add("const", e.type->name);
    properties.add("err_message", std::move(message));
    Json sub = Json::object();
    sub.add("type", "string");
    properties.add("sub_code", std::move(sub));
    Json request_id = Json::object();
    request_id.add("type", "string");
    properties.add("request_id", std::move(request_id));
    Json data = Json::object();
    data.add("$ref", out.ref(*e.type));
    properties.add("data", std::move(data));
    s.add("properties", std::move(properties));
    Json required = Json::array();
    for (const char* r : {"err_code", "err_message", "request_id", "data"}) required.push(r);
    s.add("required", std::move(required));
    add_schema(name, std::move(s));
    return name;
  }

  // A declared exception's answer whose err_code comes from its `code` when it can.
  static Json exception_example(const ExceptionInfo& e) {
    Json data = example_value(*e.field->type, Direction::kOut);
    int64_t code = 20000;
    if (const idl::FieldDescriptor* f = e.type->field_by_name(e.code_field);
        f && !e.code_field.empty()) {
      code = 20001;
      data.set(f->json_key, code);
    }
    std::string message = e.type->name;
    if (const idl::FieldDescriptor* f = e.type->field_by_name(e.message_field);
        f && !e.message_field.empty()) {
      message = "example message";
      data.set(f->json_key, message);
    }
    return envelope_example(code, message, std::move(data));
  }

  static Json envelope_example(int64_t code, const std::string& message, Json data) {
    Json v = Json::object();
    v.add("err_code", code);
    v.add("err_message", message);
    v.add("request_id", kExampleRequestId);
    v.add("data", std::move(data));
    return v;
  }

  const Listing& listing_;
  Json schemas_ = Json::object();
  std::set<std::string> used_prefixes_{"opp"};
  std::set<std::string> built_errors_;
};

}  // namespace

std::string render_openapi(const catalog::Snapshot& snapshot) {
  Listing listing = describe(snapshot);
  return OpenApiWriter(listing).write().dump();
}

}  // namespace opp::routes
