#include "routes/doc_types.hpp"

#include <algorithm>
#include <set>
#include <tuple>

#include "routes/method_schemas.hpp"
#include "routes/schema.hpp"
#include "routes/text.hpp"

namespace opp::routes {
namespace {

using idl::TypeKind;

std::string qualified(const ServiceInfo& service, const idl::Program* program,
                      const std::string& name) {
  if (!program || program == &service.entry->schema().root()) return name;
  return program->name + "." + name;
}

class Collector {
 public:
  void type(const idl::TypeDescriptor* t) {
    if (!t) return;
    switch (t->kind) {
      case TypeKind::kEnum:
        enums_.insert(t->enum_type);
        return;
      case TypeKind::kList:
      case TypeKind::kSet:
        type(t->element);
        return;
      case TypeKind::kMap:
        type(t->key);
        type(t->element);
        return;
      case TypeKind::kStruct:
        structure(t->struct_type);
        return;
      default:
        return;
    }
  }
  void structure(const idl::StructDescriptor* s) {
    if (!s || !structs_.insert(s).second) return;
    for (const idl::FieldDescriptor& f : s->fields) type(f.type);
  }
  void fields_of(const idl::StructDescriptor* s) {
    if (!s) return;
    for (const idl::FieldDescriptor& f : s->fields) type(f.type);
  }

  std::set<const idl::StructDescriptor*> structs_;
  std::set<const idl::EnumDescriptor*> enums_;
};

}  // namespace

std::string display_name(const ServiceInfo& service, const idl::StructDescriptor& type) {
  return qualified(service, type.program, type.name);
}

std::string display_name(const ServiceInfo& service, const idl::EnumDescriptor& type) {
  return qualified(service, type.program, type.name);
}

TypesUsed types_used(const ServiceInfo& service) {
  Collector c;
  for (const MethodInfo& m : service.methods) {
    if (m.shape == BizShape::kStruct)
      c.structure(m.biz_root);
    else
      c.fields_of(m.biz_root);  // the synthesized args struct is not a type of its own
    if (m.success) c.type(m.success->type);
    for (const ExceptionInfo& e : m.exceptions) c.type(e.field->type);
  }
  TypesUsed out;
  out.structs.assign(c.structs_.begin(), c.structs_.end());
  out.enums.assign(c.enums_.begin(), c.enums_.end());
  // Two included files of the same stem could give equal names: their positions decide,
  // never the addresses.
  auto order = [&](auto* a, auto* b) {
    return std::make_tuple(display_name(service, *a), a->location.file, a->location.line) <
           std::make_tuple(display_name(service, *b), b->location.file, b->location.line);
  };
  std::sort(out.structs.begin(), out.structs.end(), order);
  std::sort(out.enums.begin(), out.enums.end(), order);
  return out;
}

FieldText field_text(const idl::FieldDescriptor& field, const idl::FieldDescriptor* bound,
                     bool response) {
  FieldText t;
  t.key = field.json_key;
  t.name_note = "id " + std::to_string(field.id);
  if (field.name != field.json_key) t.name_note = "Thrift name " + field.name + ", " + t.name_note;
  t.requiredness = requiredness_name(field.requiredness);
  if (std::optional<Json> d = default_json(field, Direction::kIn)) {
    t.default_text = d->dump_compact();
    if (field.requiredness == idl::Requiredness::kOptional)
      t.default_text += " (IDL default; an absent optional field is not sent)";
  }
  t.doc = doc_text(field.doc);
  if (&field == bound)
    t.notes.push_back(
        "Filled by the gateway with the authenticated merchant; when given it must be that "
        "merchant (else 10002 merchant-mismatch).");
  if (field.js_conv && response)
    t.notes.push_back("api.js_conv: integers come back as decimal strings.");
  if (field.type && field.declared_type != field.type->name && !field.declared_type.empty())
    t.notes.push_back("Declared as " + field.declared_type + ".");
  return t;
}

std::string signature_text(const idl::FunctionDescriptor& fn) {
  std::string out = fn.oneway ? "oneway " : "";
  out += fn.return_type ? fn.return_type->name : "void";
  out += " " + fn.name + "(";
  if (fn.args) {
    for (size_t i = 0; i < fn.args->fields.size(); ++i) {
      const idl::FieldDescriptor& a = fn.args->fields[i];
      if (i) out += ", ";
      out += std::to_string(a.id) + ": " + a.declared_type + " " + a.name;
    }
  }
  out += ")";
  if (!fn.exceptions.empty()) {
    out += " throws (";
    for (size_t i = 0; i < fn.exceptions.size(); ++i) {
      const idl::FieldDescriptor& e = *fn.exceptions[i];
      if (i) out += ", ";
      out += std::to_string(e.id) + ": " + e.declared_type + " " + e.name;
    }
    out += ")";
  }
  return out;
}

std::string shape_text(const MethodInfo& m) {
  switch (m.shape) {
    case BizShape::kStruct:
      return "biz_params is the argument `" + m.function->args->fields[0].name + "` itself (" +
             m.function->args->fields[0].type->name + "):";
    case BizShape::kArguments:
      return "biz_params is an object keyed by argument name:";
    case BizShape::kNone:
      break;
  }
  return "No arguments: send `{}`, an empty biz_params, or none.";
}

}  // namespace opp::routes
