// GET /gateway/routes (SPEC §4): the route listing as JSON, every schema standalone
// (draft 2020-12, its own `$defs`), so a client can validate biz_params against
// `functions[i].biz_params.schema` as it is.
#include "routes/examples.hpp"
#include "routes/merchant_api.hpp"
#include "routes/method_schemas.hpp"
#include "routes/routes.hpp"
#include "routes/text.hpp"

namespace opp::routes {
namespace {

constexpr const char* kDefs = "#/$defs/";

Json biz_params_json(const MethodInfo& m) {
  Json out = Json::object();
  out.add("shape", m.shape == BizShape::kStruct      ? "struct"
                   : m.shape == BizShape::kArguments ? "arguments"
                                                     : "none");
  out.add("type",
          m.shape == BizShape::kStruct ? Json(m.function->args->fields[0].type->name) : Json());
  out.add("merchant_binding", m.bound_field ? Json(m.bound_field->json_key) : Json());
  out.add("fields", m.biz_root ? field_rows(*m.biz_root, m.bound_field) : Json::array());
  SchemaBuilder in(Direction::kIn, kDefs);
  out.add("schema", standalone_schema(biz_params_root(m, in), in));
  out.add("example", m.shape == BizShape::kNone ? Json::object() : example_biz_params(m));
  return out;
}

Json data_json(const MethodInfo& m) {
  Json out = Json::object();
  const idl::FieldDescriptor* success = m.success;
  const bool is_struct = success && success->type->kind == idl::TypeKind::kStruct;
  out.add("type", success ? success->type->name : std::string("void"));
  out.add("js_conv", success ? success->js_conv : false);
  out.add("fields", is_struct ? field_rows(*success->type->struct_type, nullptr) : Json());
  SchemaBuilder schema_out(Direction::kOut, kDefs);
  out.add("schema", standalone_schema(data_root(m, schema_out), schema_out));
  out.add("example", example_data(m));
  return out;
}

Json exception_json(const ExceptionInfo& e) {
  Json out = Json::object();
  out.add("name", e.field->name);
  out.add("id", static_cast<int64_t>(e.field->id));
  out.add("type", e.field->type ? e.field->type->name : e.field->declared_type);
  out.add("doc", e.type ? doc_text(e.type->doc) : std::string());
  out.add("http_status", 200);
  Json code = Json::object();
  code.add("field", e.code_field.empty() ? Json() : Json(e.code_field));
  code.add("rule", e.err_code_rule);
  out.add("err_code", std::move(code));
  Json message = Json::object();
  message.add("field", e.message_field.empty() ? Json() : Json(e.message_field));
  message.add("rule", e.err_message_rule);
  out.add("err_message", std::move(message));
  out.add("fields", e.type ? field_rows(*e.type, nullptr) : Json());
  SchemaBuilder schema_out(Direction::kOut, kDefs);
  out.add("schema", standalone_schema(exception_root(e, schema_out), schema_out));
  return out;
}

Json function_json(const MethodInfo& m) {
  const idl::FunctionDescriptor& fn = *m.function;
  Json out = Json::object();
  out.add("method", m.method);
  out.add("methods", Json::strings(m.accepted));
  out.add("reachable", m.reachable);
  out.add("function", fn.name);
  out.add("route_segment", fn.route_segment.empty() ? Json() : Json(fn.route_segment));
  out.add("declared_in", fn.service ? fn.service->name : std::string());
  if (fn.http_verb.empty()) {
    out.add("http", Json());
  } else {
    Json http = Json::object();
    http.add("verb", fn.http_verb);
    http.add("path", fn.http_path);
    out.add("http", std::move(http));
  }
  out.add("oneway", fn.oneway);
  out.add("doc", doc_text(fn.doc));
  out.add("annotations", annotations_json(fn.annotations));
  Json arguments = Json::array();
  if (fn.args) {
    for (const idl::FieldDescriptor& a : fn.args->fields) {
      Json arg = Json::object();
      arg.add("id", static_cast<int64_t>(a.id));
      arg.add("name", a.name);
      arg.add("key", a.json_key);
      arg.add("type", type_name(a));
      arg.add("declared_type", a.declared_type);
      arg.add("doc", doc_text(a.doc));
      arguments.push(std::move(arg));
    }
  }
  out.add("arguments", std::move(arguments));
  out.add("biz_params", biz_params_json(m));
  out.add("data", data_json(m));
  Json exceptions = Json::array();
  for (const ExceptionInfo& e : m.exceptions) exceptions.push(exception_json(e));
  out.add("exceptions", std::move(exceptions));
  return out;
}

Json service_json(const ServiceInfo& s) {
  const idl::ServiceDescriptor& service = s.entry->service();
  Json out = Json::object();
  out.add("svc", s.svc);
  out.add("path", s.path);
  out.add("file", s.file);
  out.add("service", service.name);
  out.add("extends", service.extends ? Json(service.extends->name) : Json());
  out.add("doc", doc_text(service.doc));
  out.add("file_doc", doc_text(s.entry->schema().root().doc));
  out.add("annotations", annotations_json(service.annotations));
  out.add("stale", s.stale);
  Json functions = Json::array();
  for (const MethodInfo& m : s.methods) functions.push(function_json(m));
  out.add("functions", std::move(functions));
  return out;
}

Json file_json(const FileInfo& f) {
  Json out = Json::object();
  out.add("file", f.file);
  out.add("sha256", f.sha256);
  out.add("state", f.state);
  out.add("svc", f.svc.empty() ? Json() : Json(f.svc));
  out.add("includes", Json::strings(f.includes));
  out.add("error", f.error.empty() ? Json() : Json(f.error));
  return out;
}

}  // namespace

std::string render_routes_json(const catalog::Snapshot& snapshot) {
  Listing listing = describe(snapshot);
  Json doc = Json::object();
  doc.add("version", OPP_VERSION);
  doc.add("json_schema_dialect", "https://json-schema.org/draft/2020-12/schema");
  doc.add("notes", Json::strings(mapping_notes()));
  Json services = Json::array();
  for (const ServiceInfo& s : listing.services) services.push(service_json(s));
  doc.add("services", std::move(services));
  Json files = Json::array();
  Json errors = Json::array();
  for (const FileInfo& f : listing.files) {
    files.push(file_json(f));
    if (f.state != "error") continue;
    Json e = Json::object();
    e.add("file", f.file);
    e.add("svc", f.svc.empty() ? Json() : Json(f.svc));
    e.add("error", f.error);
    e.add("serving", f.serving_previous ? "previous version" : "nothing");
    errors.push(std::move(e));
  }
  doc.add("files", std::move(files));
  doc.add("errors", std::move(errors));
  return doc.dump();
}

}  // namespace opp::routes
