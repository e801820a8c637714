#include "routes/examples.hpp"

#include <algorithm>
#include <set>

#include "routes/text.hpp"

namespace opp::routes {
namespace {

using idl::TypeKind;

// Nested structs past this depth show only their required fields, so examples of deep or
// recursive types stay short.
constexpr int kFullDepth = 3;

class Example {
 public:
  explicit Example(Direction direction) : direction_(direction) {}

  Json value(const idl::TypeDescriptor& type, bool js_conv, int depth) {
    const bool in = direction_ == Direction::kIn;
    switch (type.kind) {
      case TypeKind::kVoid:
        return Json::object();
      case TypeKind::kBool:
        return Json(true);
      case TypeKind::kI8:
      case TypeKind::kI16:
      case TypeKind::kI32:
      case TypeKind::kI64:
        if (!in && js_conv) return Json("1");
        return Json(1);
      case TypeKind::kDouble:
        return Json(1.5);
      case TypeKind::kString:
        return Json("string");
      case TypeKind::kBinary:
        return Json("AAECAw==");
      case TypeKind::kUuid:
        return Json("123e4567-e89b-12d3-a456-426614174000");
      case TypeKind::kEnum: {
        const auto& values = type.enum_type->values;
        if (values.empty()) return Json(0);
        if (in) return Json(values.front().name);
        return Json(static_cast<int64_t>(values.front().value));
      }
      case TypeKind::kList:
      case TypeKind::kSet: {
        Json out = Json::array();
        out.push(value(*type.element, js_conv, depth + 1));
        return out;
      }
      case TypeKind::kMap: {
        Json out = Json::object();
        std::string key = map_key(*type.key);
        if (!key.empty()) out.add(key, value(*type.element, js_conv, depth + 1));
        return out;
      }
      case TypeKind::kStruct:
        return object(*type.struct_type, nullptr, depth + 1);
    }
    return Json();
  }

  Json object(const idl::StructDescriptor& s, const idl::FieldDescriptor* skip, int depth) {
    Json out = Json::object();
    if (!visiting_.insert(&s).second) return out;  // recursion: stop here
    const bool is_union = s.kind == idl::StructDescriptor::Kind::kUnion;
    for (const idl::FieldDescriptor& f : s.fields) {
      if (&f == skip || !f.type) continue;
      const bool required = f.requiredness == idl::Requiredness::kRequired;
      if (!required && (depth > kFullDepth || reaches_visiting(*f.type))) continue;
      std::optional<Json> d = default_json(f, direction_);
      out.add(f.json_key, d ? std::move(*d) : value(*f.type, f.js_conv, depth));
      if (is_union) break;
    }
    visiting_.erase(&s);
    return out;
  }

 private:
  std::string map_key(const idl::TypeDescriptor& key) const {
    switch (key.kind) {
      case TypeKind::kString:
        return "key";
      case TypeKind::kI8:
      case TypeKind::kI16:
      case TypeKind::kI32:
      case TypeKind::kI64:
        return "1";
      case TypeKind::kEnum: {
        const auto& values = key.enum_type->values;
        if (values.empty()) return "";
        return direction_ == Direction::kIn ? values.front().name
                                            : std::to_string(values.front().value);
      }
      case TypeKind::kBool:
        return "true";
      case TypeKind::kDouble:
        return "1.5";
      case TypeKind::kBinary:
        return "AAECAw==";
      case TypeKind::kUuid:
        return "123e4567-e89b-12d3-a456-426614174000";
      default:
        return "";  // no JSON form
    }
  }

  // Whether a value of `type` would contain a struct already being written.
  bool reaches_visiting(const idl::TypeDescriptor& type) const {
    switch (type.kind) {
      case TypeKind::kStruct:
        return visiting_.count(type.struct_type) != 0;
      case TypeKind::kList:
      case TypeKind::kSet:
        return reaches_visiting(*type.element);
      case TypeKind::kMap:
        return reaches_visiting(*type.element);
      default:
        return false;
    }
  }

  Direction direction_;
  std::set<const idl::StructDescriptor*> visiting_;
};

std::string shell_quote(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'')
      out += "'\\''";
    else
      out.push_back(c);
  }
  return out + "'";
}

}  // namespace

Json example_value(const idl::TypeDescriptor& type, Direction direction, bool js_conv) {
  return Example(direction).value(type, js_conv, 0);
}

Json example_biz_params(const MethodInfo& method) {
  if (!method.biz_root) return Json::object();
  return Example(Direction::kIn).object(*method.biz_root, method.bound_field, 1);
}

Json example_data(const MethodInfo& method) {
  if (!method.success || !method.success->type) return Json::object();
  return Example(Direction::kOut).value(*method.success->type, method.success->js_conv, 0);
}

SignedExample signed_example(const MethodInfo& method) {
  SignedExample ex;
  std::string biz =
      method.shape == BizShape::kNone ? "{}" : example_biz_params(method).dump_compact();
  ex.params = {{"merchant_id", kExampleMerchant},
               {"method", method.method},
               {"biz_params", biz},
               {"timestamp", kExampleTimestamp},
               {"nonce_str", kExampleNonce},
               {"sign_type", kExampleSignType}};
  std::vector<std::pair<std::string, std::string>> sorted = ex.params;
  std::sort(sorted.begin(), sorted.end());
  for (const auto& [key, value] : sorted) {
    if (value.empty()) continue;
    if (!ex.canonical.empty()) ex.canonical += '&';
    ex.canonical += key + "=" + value;
  }
  ex.params.emplace_back("sign", kExampleSign);
  Json body = Json::object();
  for (const auto& [key, value] : ex.params) {
    if (!ex.form_body.empty()) ex.form_body += '&';
    ex.form_body += key + "=" + form_encode(value);
    body.add(key, value);
  }
  ex.json_body = body.dump_compact();
  ex.sign_command =
      "printf '%s' " + shell_quote(ex.canonical) + " | openssl dgst -sha256 -hmac \"$SECRET\"";
  return ex;
}

}  // namespace opp::routes
