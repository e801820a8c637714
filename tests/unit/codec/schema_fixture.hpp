#pragma once
// Descriptors built by hand, so codec tests can name exactly the shapes they exercise.

#include <memory>
#include <string>
#include <vector>

#include "opp/idl/descriptor.hpp"

namespace opp::codec::test {

using idl::TypeKind;

class SchemaFixture {
 public:
  const idl::TypeDescriptor* base(TypeKind kind) {
    static const char* names[] = {"void", "bool",   "i8",     "i16",    "i32",
                                  "i64",  "double", "string", "binary", "uuid",
                                  "enum", "list",   "set",    "map",    "struct"};
    auto& t = add_type(kind, names[static_cast<int>(kind)]);
    return &t;
  }
  const idl::TypeDescriptor* list(const idl::TypeDescriptor* element) {
    auto& t = add_type(TypeKind::kList, "list<" + element->name + ">");
    t.element = element;
    return &t;
  }
  const idl::TypeDescriptor* set(const idl::TypeDescriptor* element) {
    auto& t = add_type(TypeKind::kSet, "set<" + element->name + ">");
    t.element = element;
    return &t;
  }
  const idl::TypeDescriptor* map(const idl::TypeDescriptor* key, const idl::TypeDescriptor* value) {
    auto& t = add_type(TypeKind::kMap, "map<" + key->name + "," + value->name + ">");
    t.key = key;
    t.element = value;
    return &t;
  }
  const idl::TypeDescriptor* of(const idl::StructDescriptor* s) {
    auto& t = add_type(TypeKind::kStruct, s->name);
    t.struct_type = s;
    return &t;
  }
  const idl::TypeDescriptor* of(const idl::EnumDescriptor* e) {
    auto& t = add_type(TypeKind::kEnum, e->name);
    t.enum_type = e;
    return &t;
  }

  idl::EnumDescriptor* enumeration(std::string name,
                                   std::vector<std::pair<std::string, int32_t>> values) {
    auto e = std::make_unique<idl::EnumDescriptor>();
    e->name = std::move(name);
    for (auto& [n, v] : values) e->values.push_back({n, v, "", {}});
    enums_.push_back(std::move(e));
    return enums_.back().get();
  }

  idl::StructDescriptor* structure(
      std::string name, idl::StructDescriptor::Kind kind = idl::StructDescriptor::Kind::kStruct) {
    auto s = std::make_unique<idl::StructDescriptor>();
    s->name = std::move(name);
    s->kind = kind;
    structs_.push_back(std::move(s));
    return structs_.back().get();
  }

  idl::FieldDescriptor& field(idl::StructDescriptor* s, int16_t id, std::string name,
                              const idl::TypeDescriptor* type,
                              idl::Requiredness req = idl::Requiredness::kDefault) {
    idl::FieldDescriptor f;
    f.id = id;
    f.name = name;
    f.json_key = name;
    f.type = type;
    f.requiredness = req;
    s->fields.push_back(std::move(f));
    return s->fields.back();
  }

  static idl::ConstValue int_value(int64_t v) {
    idl::ConstValue c;
    c.kind = idl::ConstValue::Kind::kInt;
    c.int_value = v;
    return c;
  }
  static idl::ConstValue string_value(std::string v) {
    idl::ConstValue c;
    c.kind = idl::ConstValue::Kind::kString;
    c.string_value = std::move(v);
    return c;
  }

  idl::FunctionDescriptor* function(std::string name, idl::StructDescriptor* args,
                                    idl::StructDescriptor* result,
                                    const idl::TypeDescriptor* return_type) {
    auto f = std::make_unique<idl::FunctionDescriptor>();
    f->name = std::move(name);
    f->args = args;
    f->result = result;
    f->return_type = return_type;
    functions_.push_back(std::move(f));
    return functions_.back().get();
  }

 private:
  idl::TypeDescriptor& add_type(TypeKind kind, std::string name) {
    auto t = std::make_unique<idl::TypeDescriptor>();
    t->kind = kind;
    t->name = std::move(name);
    types_.push_back(std::move(t));
    return *types_.back();
  }
  std::vector<std::unique_ptr<idl::TypeDescriptor>> types_;
  std::vector<std::unique_ptr<idl::EnumDescriptor>> enums_;
  std::vector<std::unique_ptr<idl::StructDescriptor>> structs_;
  std::vector<std::unique_ptr<idl::FunctionDescriptor>> functions_;
};

/// The model most codec unit tests use; see the comment on each field.
struct TestModel {
  SchemaFixture fx;
  idl::EnumDescriptor* color = nullptr;
  idl::StructDescriptor* inner = nullptr;   // {1: required i32 a, 2: string b = "dflt"}
  idl::StructDescriptor* choice = nullptr;  // union {1: i32 n, 2: string s}
  idl::StructDescriptor* all = nullptr;     // every type
  idl::StructDescriptor* small = nullptr;   // {1: i32 x, 3: optional string y}
  idl::StructDescriptor* node = nullptr;    // recursive {1: i32 v, 2: optional node next}

  TestModel() {
    using R = idl::Requiredness;
    color = fx.enumeration("Color", {{"RED", 1}, {"GREEN", 2}, {"BLUE", 5}});
    inner = fx.structure("Inner");
    fx.field(inner, 1, "a", fx.base(TypeKind::kI32), R::kRequired);
    fx.field(inner, 2, "b", fx.base(TypeKind::kString)).default_value =
        SchemaFixture::string_value("dflt");
    choice = fx.structure("Choice", idl::StructDescriptor::Kind::kUnion);
    fx.field(choice, 1, "n", fx.base(TypeKind::kI32));
    fx.field(choice, 2, "s", fx.base(TypeKind::kString));

    all = fx.structure("All");
    fx.field(all, 1, "b", fx.base(TypeKind::kBool));
    fx.field(all, 2, "i8", fx.base(TypeKind::kI8));
    fx.field(all, 3, "i16", fx.base(TypeKind::kI16));
    fx.field(all, 4, "i32", fx.base(TypeKind::kI32));
    fx.field(all, 5, "i64", fx.base(TypeKind::kI64));
    fx.field(all, 6, "d", fx.base(TypeKind::kDouble));
    fx.field(all, 7, "s", fx.base(TypeKind::kString));
    fx.field(all, 8, "bin", fx.base(TypeKind::kBinary));
    fx.field(all, 9, "color", fx.of(color));
    fx.field(all, 10, "li", fx.list(fx.base(TypeKind::kI32)));
    fx.field(all, 11, "ss", fx.set(fx.base(TypeKind::kString)));
    fx.field(all, 12, "msi", fx.map(fx.base(TypeKind::kString), fx.base(TypeKind::kI64)));
    fx.field(all, 13, "mis", fx.map(fx.base(TypeKind::kI32), fx.base(TypeKind::kString)));
    fx.field(all, 14, "mci", fx.map(fx.of(color), fx.of(inner)));
    fx.field(all, 15, "inner", fx.of(inner));
    fx.field(all, 16, "nested", fx.list(fx.list(fx.of(inner))));
    fx.field(all, 17, "u", fx.of(choice));
    fx.field(all, 18, "opt", fx.base(TypeKind::kI32), R::kOptional).default_value =
        SchemaFixture::int_value(7);
    fx.field(all, 19, "dflt", fx.base(TypeKind::kI32)).default_value = SchemaFixture::int_value(42);
    fx.field(all, 21, "js", fx.base(TypeKind::kI64)).js_conv = true;
    fx.field(all, 22, "id", fx.base(TypeKind::kUuid));
    fx.field(all, 23, "mbd", fx.map(fx.base(TypeKind::kBool), fx.base(TypeKind::kDouble)));
    fx.field(all, 24, "lb", fx.list(fx.base(TypeKind::kBool)));
    fx.field(all, 25, "keyed", fx.base(TypeKind::kI32)).json_key = "renamed";
    fx.field(all, 26, "flag", fx.base(TypeKind::kBool)).default_value = SchemaFixture::int_value(1);

    small = fx.structure("Small");
    fx.field(small, 1, "x", fx.base(TypeKind::kI32));
    fx.field(small, 3, "y", fx.base(TypeKind::kString), R::kOptional);

    node = fx.structure("Node");
    fx.field(node, 1, "v", fx.base(TypeKind::kI32));
    fx.field(node, 2, "next", fx.of(node), R::kOptional);
  }

  std::vector<const idl::StructDescriptor*> roots() const {
    return {all, small, node, inner, choice};
  }
};

}  // namespace opp::codec::test
