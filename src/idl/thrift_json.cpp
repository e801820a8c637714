// The JSON of `thrift --gen json` (t_json_generator), written from descriptors.
#include "opp/idl/thrift_json.hpp"

#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cmath>
#include <cstdio>
#include <map>

namespace opp::idl {
namespace {

// Thrift prints doubles with std::ostream precision 15, the same as "%.15g".
std::string format_double(double value) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.15g", value);
  return buf;
}

class ThriftJsonWriter {
 public:
  ThriftJsonWriter(const Program& program, rapidjson::StringBuffer& out)
      : program_(program), w_(out) {
    w_.SetIndent(' ', 2);
  }

  void write_program() {
    w_.StartObject();
    key_string("name", program_.name);
    if (!program_.doc.empty()) key_string("doc", program_.doc);
    // std::map: sorted, and a later `namespace` for the same scope wins, as in Thrift.
    std::map<std::string, std::string> namespaces;
    for (const auto& [scope, name] : program_.namespaces) namespaces[scope] = name;
    key("namespaces");
    w_.StartObject();
    for (const auto& [scope, name] : namespaces) key_string(scope, name);
    w_.EndObject();
    array("includes", program_.includes, [&](const Program* p) { string(p->name); });
    array("enums", program_.enums, [&](const auto& e) { write_enum(*e); });
    array("typedefs", program_.typedefs, [&](const auto& t) { write_typedef(*t); });
    array("structs", program_.structs, [&](const auto& s) { write_struct(*s); });
    array("constants", program_.consts, [&](const auto& c) { write_const(*c); });
    array("services", program_.services, [&](const auto& s) { write_service(*s); });
    w_.EndObject();
  }

 private:
  void key(const std::string& k) { w_.Key(k.data(), static_cast<rapidjson::SizeType>(k.size())); }
  void string(const std::string& s) {
    w_.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
  }
  void key_string(const std::string& k, const std::string& v) {
    key(k);
    string(v);
  }
  // `"name": [...]` with one element written by `write_item` per item.
  template <typename Items, typename WriteItem>
  void array(const char* name, const Items& items, WriteItem write_item) {
    key(name);
    w_.StartArray();
    for (const auto& item : items) write_item(item);
    w_.EndArray();
  }

  void annotations(const Annotations& a) {
    if (a.empty()) return;
    key("annotations");
    w_.StartObject();
    for (const Annotation& item : a.items) key_string(item.key, item.valueless ? "1" : item.value);
    w_.EndObject();
  }

  std::string qualified(const Program* owner, const std::string& name) const {
    return owner == &program_ ? name : owner->name + "." + name;
  }

  static std::string type_name(const TypeDescriptor& t) {
    switch (t.kind) {
      case TypeKind::kList:
        return "list";
      case TypeKind::kSet:
        return "set";
      case TypeKind::kMap:
        return "map";
      case TypeKind::kEnum:
        return "i32";  // Thrift 0.17 writes enums as their wire type
      case TypeKind::kStruct:
        return struct_keyword(t.struct_type->kind);
      default:
        return t.name;  // base types: "i32", "binary", "uuid", "void", ...
    }
  }

  static bool is_complex(const TypeDescriptor& t) {
    return t.kind == TypeKind::kStruct || t.kind == TypeKind::kList || t.kind == TypeKind::kSet ||
           t.kind == TypeKind::kMap;
  }

  // write_type_spec_object(): `"name": {typeId, ...}` for structs, enums and containers.
  void type_object(const char* name, const TypeDescriptor& t) {
    if (!is_complex(t)) return;
    key(name);
    w_.StartObject();
    key_string("typeId", type_name(t));
    if (t.kind == TypeKind::kStruct) {
      annotations(t.struct_type->annotations);
      key_string("class", qualified(t.struct_type->program, t.struct_type->name));
    } else if (t.kind == TypeKind::kMap) {
      annotations(t.annotations);
      key_string("keyTypeId", type_name(*t.key));
      key_string("valueTypeId", type_name(*t.element));
      type_object("keyType", *t.key);
      type_object("valueType", *t.element);
    } else {
      annotations(t.annotations);
      key_string("elemTypeId", type_name(*t.element));
      type_object("elemType", *t.element);
    }
    w_.EndObject();
  }

  void doc(const std::string& text) {
    if (!text.empty()) key_string("doc", text);
  }

  void write_enum(const EnumDescriptor& e) {
    w_.StartObject();
    key_string("name", e.name);
    doc(e.doc);
    annotations(e.annotations);
    array("members", e.values, [&](const EnumValue& v) {
      w_.StartObject();
      key_string("name", v.name);
      key("value");
      w_.Int(v.value);
      doc(v.doc);
      w_.EndObject();
    });
    w_.EndObject();
  }

  void write_typedef(const TypedefDescriptor& t) {
    w_.StartObject();
    key_string("name", t.name);
    key_string("typeId", type_name(*t.type));
    type_object("type", *t.type);
    doc(t.doc);
    annotations(t.annotations);
    w_.EndObject();
  }

  void write_field(const FieldDescriptor& f) {
    w_.StartObject();
    key("key");
    w_.Int(f.id);
    key_string("name", f.name);
    key_string("typeId", type_name(*f.type));
    type_object("type", *f.type);
    doc(f.doc);
    annotations(f.annotations);
    key_string("required", f.requiredness == Requiredness::kRequired  ? "required"
                           : f.requiredness == Requiredness::kDefault ? "req_out"
                                                                      : "optional");
    if (f.default_value) {
      key("default");
      value(*f.default_value);
    }
    w_.EndObject();
  }

  void write_struct(const StructDescriptor& s) {
    w_.StartObject();
    key_string("name", s.name);
    doc(s.doc);
    annotations(s.annotations);
    key("isException");
    w_.Bool(s.kind == StructDescriptor::Kind::kException);
    key("isUnion");
    w_.Bool(s.kind == StructDescriptor::Kind::kUnion);
    array("fields", s.fields, [&](const FieldDescriptor& f) { write_field(f); });
    w_.EndObject();
  }

  void write_const(const ConstDescriptor& c) {
    w_.StartObject();
    key_string("name", c.name);
    key_string("typeId", type_name(*c.type));
    type_object("type", *c.type);
    doc(c.doc);
    key("value");
    value(c.value);
    w_.EndObject();
  }

  void write_service(const ServiceDescriptor& s) {
    w_.StartObject();
    key_string("name", s.name);
    if (s.extends) key_string("extends", qualified(s.extends->program, s.extends->name));
    doc(s.doc);
    annotations(s.annotations);
    array("functions", s.functions, [&](const auto& f) { write_function(*f); });
    w_.EndObject();
  }

  void write_function(const FunctionDescriptor& f) {
    w_.StartObject();
    key_string("name", f.name);
    key_string("returnTypeId", type_name(*f.return_type));
    type_object("returnType", *f.return_type);
    key("oneway");
    w_.Bool(f.oneway);
    doc(f.doc);
    annotations(f.annotations);
    array("arguments", f.args->fields, [&](const FieldDescriptor& a) { write_field(a); });
    array("exceptions", f.exceptions, [&](const FieldDescriptor* e) { write_field(*e); });
    w_.EndObject();
  }

  void number(double d) {
    if (!std::isfinite(d)) {
      string(format_double(d));
      return;
    }
    std::string text = format_double(d);
    w_.RawValue(text.data(), text.size(), rapidjson::kNumberType);
  }

  void value(const ConstValue& v) {
    if (v.other_brackets) {
      v.kind == ConstValue::Kind::kList ? (w_.StartObject(), w_.EndObject())
                                        : (w_.StartArray(), w_.EndArray());
      return;
    }
    switch (v.kind) {
      case ConstValue::Kind::kInt:
        w_.Int64(v.int_value);
        return;
      case ConstValue::Kind::kDouble:
        v.integer_literal ? (void)w_.Int64(v.int_value) : number(v.double_value);
        return;
      case ConstValue::Kind::kString:
        string(v.string_value);
        return;
      case ConstValue::Kind::kList:
        w_.StartArray();
        for (const ConstValue& item : v.list) value(item);
        w_.EndArray();
        return;
      case ConstValue::Kind::kMap:
        w_.StartObject();
        for (const auto& [k, item] : v.map) {
          key(key_text(k));
          value(item);
        }
        w_.EndObject();
        return;
    }
  }

  // JSON keys are strings: numbers as text; a list or map key (Thrift writes it raw,
  // which is not valid JSON) as its compact JSON text.
  static std::string key_text(const ConstValue& k) {
    switch (k.kind) {
      case ConstValue::Kind::kInt:
        return std::to_string(k.int_value);
      case ConstValue::Kind::kDouble:
        return format_double(k.double_value);
      case ConstValue::Kind::kString:
        return k.string_value;
      default:
        break;
    }
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> compact(buffer);
    write_compact(compact, k);
    return std::string(buffer.GetString(), buffer.GetSize());
  }

  static void write_compact(rapidjson::Writer<rapidjson::StringBuffer>& w, const ConstValue& v) {
    switch (v.kind) {
      case ConstValue::Kind::kInt:
        w.Int64(v.int_value);
        return;
      case ConstValue::Kind::kDouble: {
        std::string text = format_double(v.double_value);
        w.RawValue(text.data(), text.size(), rapidjson::kNumberType);
        return;
      }
      case ConstValue::Kind::kString:
        w.String(v.string_value.data(), static_cast<rapidjson::SizeType>(v.string_value.size()));
        return;
      case ConstValue::Kind::kList:
        w.StartArray();
        for (const ConstValue& item : v.list) write_compact(w, item);
        w.EndArray();
        return;
      case ConstValue::Kind::kMap:
        w.StartObject();
        for (const auto& [k, item] : v.map) {
          std::string text = key_text(k);
          w.Key(text.data(), static_cast<rapidjson::SizeType>(text.size()));
          write_compact(w, item);
        }
        w.EndObject();
        return;
    }
  }

  const Program& program_;
  rapidjson::PrettyWriter<rapidjson::StringBuffer> w_;
};

}  // namespace

std::string to_thrift_json(const Program& program) {
  rapidjson::StringBuffer buffer;
  ThriftJsonWriter writer(program, buffer);
  writer.write_program();
  return std::string(buffer.GetString(), buffer.GetSize()) + "\n";
}

}  // namespace opp::idl
