#include "routes/model.hpp"

#include <filesystem>

namespace opp::routes {
namespace {

namespace fs = std::filesystem;
using idl::TypeKind;

// Paths as the listings show them: relative to idl_dir when they lie inside it, so the
// gateway and `opp-idl routes` print the same bytes however each was given the directory.
class PathNamer {
 public:
  explicit PathNamer(const catalog::Snapshot& snapshot) {
    if (snapshot.files.empty()) return;
    fs::path dir = fs::path(snapshot.files.begin()->second.file).parent_path();
    if (dir.empty()) dir = ".";
    bases_.push_back(dir.lexically_normal());
    std::error_code ec;
    fs::path absolute = fs::absolute(dir, ec);
    if (!ec) bases_.push_back(absolute.lexically_normal());
  }

  std::string operator()(const std::string& path) const {
    const fs::path normal = fs::path(path).lexically_normal();
    for (const fs::path& base : bases_) {
      if (normal.is_absolute() != base.is_absolute()) continue;
      fs::path relative = normal.lexically_relative(base);
      if (!relative.empty() && *relative.begin() != ".." && relative != ".")
        return relative.generic_string();
    }
    return path;
  }

 private:
  std::vector<fs::path> bases_;
};

bool is_integer(TypeKind kind) {
  return kind == TypeKind::kI8 || kind == TypeKind::kI16 || kind == TypeKind::kI32 ||
         kind == TypeKind::kI64 || kind == TypeKind::kEnum;
}

// Kinds the decoder writes as JSON strings.
bool is_text(TypeKind kind) {
  return kind == TypeKind::kString || kind == TypeKind::kBinary || kind == TypeKind::kUuid;
}

const idl::FieldDescriptor* field_named(const idl::StructDescriptor& s, std::string_view name) {
  for (const idl::FieldDescriptor& f : s.fields)
    if (f.name == name) return &f;
  return nullptr;
}

// SPEC §3.3, as codec::Codec::decode_reply applies it: the integer field `code` (read as
// a JSON number, so not through api.js_conv) when >= 20000 and within 32 bits, else 20000;
// the string field `message`, else `msg` (only when there is no `message` field at all),
// else the type name.
ExceptionInfo describe_exception(const idl::FieldDescriptor& field) {
  ExceptionInfo info;
  info.field = &field;
  if (field.type && field.type->kind == TypeKind::kStruct) info.type = field.type->struct_type;
  if (!info.type) {
    info.err_code_rule = "always 20000";
    info.err_message_rule = "the type name \"" + (field.type ? field.type->name : "") + "\"";
    return info;
  }
  const std::string& type_name = info.type->name;
  const idl::FieldDescriptor* code = field_named(*info.type, "code");
  if (code && code->type && is_integer(code->type->kind) && !code->js_conv) {
    info.code_field = code->name;
    info.err_code_rule = "the field `" + code->json_key +
                         "` when it is 20000..2147483647, else 20000 (also when it is absent)";
  } else if (code) {
    info.err_code_rule = "always 20000 (its field `code` is not an integer sent as a number)";
  } else {
    info.err_code_rule = "always 20000 (it has no field `code`)";
  }
  const idl::FieldDescriptor* message = field_named(*info.type, "message");
  if (!message) message = field_named(*info.type, "msg");
  if (message && message->type && is_text(message->type->kind)) {
    info.message_field = message->name;
    info.err_message_rule =
        "the field `" + message->json_key + "`, or \"" + type_name + "\" when it is absent";
  } else {
    info.err_message_rule = "the type name \"" + type_name + "\"";
  }
  return info;
}

MethodInfo describe_method(const catalog::ServiceEntry& entry, const idl::FunctionDescriptor& fn) {
  MethodInfo m;
  m.function = &fn;
  for (const std::string* value : {&fn.route_segment, &fn.name}) {
    if (!value->empty() && entry.find_method(*value) == &fn &&
        (m.accepted.empty() || m.accepted.front() != *value))
      m.accepted.push_back(*value);
  }
  m.reachable = !m.accepted.empty();
  m.method =
      m.reachable ? m.accepted.front() : (fn.route_segment.empty() ? fn.name : fn.route_segment);

  m.biz_root = fn.args;
  if (fn.args && fn.args->fields.size() == 1 && fn.args->fields[0].type &&
      fn.args->fields[0].type->kind == TypeKind::kStruct) {
    m.shape = BizShape::kStruct;
    m.biz_root = fn.args->fields[0].type->struct_type;
  } else if (fn.args && !fn.args->fields.empty()) {
    m.shape = BizShape::kArguments;
  }
  if (m.biz_root) {
    const idl::FieldDescriptor* bound = m.biz_root->field_by_json_key("merchant_id");
    if (bound && bound->type && bound->type->kind == TypeKind::kString) m.bound_field = bound;
  }
  if (fn.result && !fn.oneway) m.success = fn.result->field_by_id(0);
  for (const idl::FieldDescriptor* e : fn.exceptions)
    m.exceptions.push_back(describe_exception(*e));
  return m;
}

}  // namespace

const char* requiredness_name(idl::Requiredness requiredness) {
  switch (requiredness) {
    case idl::Requiredness::kRequired:
      return "required";
    case idl::Requiredness::kOptional:
      return "optional";
    case idl::Requiredness::kDefault:
      break;
  }
  return "default";
}

Listing describe(const catalog::Snapshot& snapshot) {
  PathNamer relative(snapshot);
  Listing listing;
  for (const auto& [name, entry] : snapshot.services) {
    ServiceInfo s;
    s.entry = entry.get();
    s.svc = name;
    s.file = fs::path(entry->file()).filename().string();
    s.path = "/gateway/" + name;
    for (const idl::FunctionDescriptor* fn : entry->functions())
      s.methods.push_back(describe_method(*entry, *fn));
    listing.services.push_back(std::move(s));
  }
  for (const auto& [file_name, status] : snapshot.files) {
    FileInfo f;
    f.file = file_name;
    f.sha256 = status.sha256;
    for (const std::string& include : status.includes) f.includes.push_back(relative(include));
    const std::string stem = fs::path(file_name).stem().string();
    const bool has_service = snapshot.services.count(stem) != 0;
    if (has_service) f.svc = stem;
    if (status.last_error) {
      f.state = "error";
      const idl::IdlError& e = *status.last_error;
      f.error = relative(e.where.file) + ":" + std::to_string(e.where.line) + ":" +
                std::to_string(e.where.column) + ": " + e.message;
      f.serving_previous = has_service;
      for (ServiceInfo& s : listing.services)
        if (s.svc == stem) s.stale = true;
    } else {
      f.state = has_service ? "ok" : "include-only";
    }
    listing.files.push_back(std::move(f));
  }
  return listing;
}

}  // namespace opp::routes
