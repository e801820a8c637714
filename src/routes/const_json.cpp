// IDL constants (field defaults) as the JSON the gateway reads or writes for them.
#include "routes/schema.hpp"
#include "routes/text.hpp"

namespace opp::routes {
namespace {

using idl::TypeKind;

std::string map_key_text(const idl::ConstValue& key, const idl::TypeDescriptor& type) {
  switch (type.kind) {
    case TypeKind::kBool:
      return key.int_value ? "true" : "false";
    case TypeKind::kDouble:
      return double_text(key.kind == idl::ConstValue::Kind::kDouble && !key.integer_literal
                             ? key.double_value
                             : static_cast<double>(key.int_value));
    case TypeKind::kBinary:
      return base64_encode(key.string_value);
    case TypeKind::kString:
    case TypeKind::kUuid:
      return key.string_value;
    default:
      return std::to_string(key.int_value);
  }
}

}  // namespace

std::optional<Json> default_json(const idl::FieldDescriptor& field, Direction direction) {
  if (!field.default_value || !field.type) return std::nullopt;
  return const_json(*field.default_value, *field.type, direction, field.js_conv);
}

std::optional<Json> const_json(const idl::ConstValue& value, const idl::TypeDescriptor& type,
                               Direction direction, bool js_conv) {
  using Kind = idl::ConstValue::Kind;
  switch (type.kind) {
    case TypeKind::kBool:
      if (value.kind != Kind::kInt) return std::nullopt;
      return Json(value.int_value != 0);
    case TypeKind::kI8:
    case TypeKind::kI16:
    case TypeKind::kI32:
    case TypeKind::kI64:
    case TypeKind::kEnum:
      if (value.kind != Kind::kInt) return std::nullopt;
      if (direction == Direction::kOut && js_conv && type.kind != TypeKind::kEnum)
        return Json(std::to_string(value.int_value));
      return Json(value.int_value);
    case TypeKind::kDouble:
      if (value.kind == Kind::kInt) return Json(static_cast<double>(value.int_value));
      if (value.kind != Kind::kDouble) return std::nullopt;
      return Json(value.integer_literal ? static_cast<double>(value.int_value)
                                        : value.double_value);
    case TypeKind::kString:
    case TypeKind::kUuid:
      if (value.kind != Kind::kString) return std::nullopt;
      return Json(value.string_value);
    case TypeKind::kBinary:
      if (value.kind != Kind::kString) return std::nullopt;
      return Json(base64_encode(value.string_value));
    case TypeKind::kList:
    case TypeKind::kSet: {
      Json out = Json::array();
      for (const idl::ConstValue& item : value.list) {
        std::optional<Json> v = const_json(item, *type.element, direction, js_conv);
        if (!v) return std::nullopt;
        out.push(std::move(*v));
      }
      return out;
    }
    case TypeKind::kMap: {
      Json out = Json::object();
      for (const auto& [k, v] : value.map) {
        std::optional<Json> item = const_json(v, *type.element, direction, js_conv);
        if (!item) return std::nullopt;
        out.set(map_key_text(k, *type.key), std::move(*item));
      }
      return out;
    }
    case TypeKind::kStruct: {
      // A struct literal: keys are field names; the JSON uses their JSON keys.
      Json out = Json::object();
      const idl::StructDescriptor& s = *type.struct_type;
      for (const auto& [k, v] : value.map) {
        const idl::FieldDescriptor* f = s.field_by_name(k.string_value);
        if (!f || !f->type) return std::nullopt;
        std::optional<Json> item = const_json(v, *f->type, direction, f->js_conv);
        if (!item) return std::nullopt;
        out.set(f->json_key, std::move(*item));
      }
      return out;
    }
    case TypeKind::kVoid:
      break;
  }
  return std::nullopt;
}

}  // namespace opp::routes
