#include "routes/method_schemas.hpp"
#include "routes/text.hpp"

namespace opp::routes {

Json biz_params_root(const MethodInfo& method, SchemaBuilder& in) {
  const idl::FunctionDescriptor& fn = *method.function;
  if (method.shape == BizShape::kNone || !method.biz_root) {
    Json s = Json::object();
    s.add("type", "object");
    s.add("title", fn.name + " arguments");
    s.add("description", "No arguments: `{}`, an empty biz_params, or none (keys are ignored).");
    s.add("properties", Json::object());
    return s;
  }
  Json s = in.object(*method.biz_root, method.bound_field);
  if (method.shape == BizShape::kArguments) {
    s.set("title", fn.name + " arguments");
    s.set("description", "An object keyed by argument name.");
  }
  return s;
}

Json data_root(const MethodInfo& method, SchemaBuilder& out) {
  const idl::FieldDescriptor* success = method.success;
  if (!success || !success->type || success->type->kind == idl::TypeKind::kVoid) {
    Json s = Json::object();
    s.add("type", "object");
    s.add("maxProperties", 0);
    s.add("description", method.function->oneway ? "oneway: answered with {} once the call is sent."
                                                 : "void: {}.");
    return s;
  }
  if (success->type->kind == idl::TypeKind::kStruct) return out.object(*success->type->struct_type);
  return out.value(*success->type, success->js_conv);
}

Json exception_root(const ExceptionInfo& exception, SchemaBuilder& out) {
  if (exception.type) return out.object(*exception.type);
  return out.value(*exception.field->type, exception.field->js_conv);
}

Json annotations_json(const idl::Annotations& annotations) {
  Json out = Json::object();
  for (const idl::Annotation& a : annotations.items)
    if (!out.find(a.key)) out.add(a.key, a.value);
  return out;
}

std::string type_name(const idl::FieldDescriptor& field) {
  return field.type ? field.type->name : field.declared_type;
}

Json field_rows(const idl::StructDescriptor& type, const idl::FieldDescriptor* bound) {
  Json rows = Json::array();
  for (const idl::FieldDescriptor& f : type.fields) {
    Json row = Json::object();
    row.add("key", f.json_key);
    row.add("name", f.name);
    row.add("id", static_cast<int64_t>(f.id));
    row.add("type", type_name(f));
    row.add("declared_type", f.declared_type);
    row.add("requiredness", requiredness_name(f.requiredness));
    std::optional<Json> d = default_json(f, Direction::kIn);
    row.add("default", d ? std::move(*d) : Json());
    row.add("doc", doc_text(f.doc));
    row.add("js_conv", f.js_conv);
    row.add("filled_by_gateway", &f == bound);
    rows.push(std::move(row));
  }
  return rows;
}

}  // namespace opp::routes
