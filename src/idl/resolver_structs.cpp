// Fields of structs, unions and exceptions (and, through fill_fields, of the synthesized
// argument and result structs): ids and names checked, types resolved, JSON keys chosen.
#include <set>

#include "resolver_internal.hpp"

namespace opp::idl {
namespace {

// `go.tag = 'json:"x,omitempty"'` → x; `api.key = "x"` → x; else the field name.
std::string json_key_of(const std::string& name, const Annotations& annotations) {
  if (const std::string* tag = annotations.find("go.tag")) {
    constexpr std::string_view kJsonTag = "json:\"";
    size_t start = tag->find(kJsonTag);
    if (start != std::string::npos) {
      start += kJsonTag.size();
      size_t end = tag->find('"', start);
      std::string key = tag->substr(start, end == std::string::npos ? end : end - start);
      key = key.substr(0, key.find(','));
      if (!key.empty()) return key;
    }
  }
  if (const std::string* key = annotations.find("api.key"); key && !key->empty()) return *key;
  return name;
}

}  // namespace

void Resolver::fill_struct_types(size_t file) {
  const ast::File& src = files_[file].ast;
  for (size_t i = 0; i < src.structs.size(); ++i) {
    const ast::Struct& s = src.structs[i];
    StructDescriptor& d = *programs_[file]->structs[i];
    fill_fields(file, s.fields, d, std::string(struct_keyword(s.kind)) + " '" + s.name + "'");
    if (s.kind != StructDescriptor::Kind::kUnion) continue;
    // As in Thrift: every member of a union is optional, and at most one has a default.
    for (FieldDescriptor& f : d.fields) f.requiredness = Requiredness::kOptional;
    const ast::Field* with_default = nullptr;
    for (const ast::Field& f : s.fields) {
      if (!f.default_value) continue;
      if (with_default) {
        error(file, f.default_value->location,
              "union '" + s.name + "' can have only one field with a default value ('" +
                  with_default->name + "' already has one)");
      }
      with_default = &f;
    }
  }
}

void Resolver::fill_fields(size_t file, const std::vector<ast::Field>& fields,
                           StructDescriptor& out, const std::string& owner) {
  std::unordered_map<int64_t, std::string> ids;
  std::set<std::string> names;
  std::vector<const ast::Field*> sources;  // parallel to out.fields[base..]
  const size_t base = out.fields.size();
  out.fields.reserve(base + fields.size());
  for (const ast::Field& f : fields) {
    auto [id_it, fresh_id] = ids.emplace(f.id, f.name);
    if (!fresh_id) {
      error(file, f.id_location,
            "field id " + std::to_string(f.id) + " of '" + f.name + "' is already used by '" +
                id_it->second + "' in " + owner);
      continue;
    }
    if (!names.insert(f.name).second) {
      error(file, f.name_location, "field name '" + f.name + "' is already used in " + owner);
      continue;
    }
    FieldDescriptor d;
    d.id = static_cast<int16_t>(f.id);
    d.name = f.name;
    d.json_key = json_key_of(f.name, f.annotations);
    d.requiredness = f.requiredness;
    d.type = resolve_type(file, f.type);
    d.declared_type = f.type.spelling();
    if (const std::string* conv = f.annotations.find("api.js_conv")) d.js_conv = *conv != "false";
    d.doc = f.doc;
    d.annotations = f.annotations;
    d.location = source_location(file, f.name_location);
    out.fields.push_back(std::move(d));
    sources.push_back(&f);
  }
  // Defaults are evaluated once every constant is known (fill_defaults); the pointers
  // stay valid because `out.fields` was reserved above and does not grow again.
  for (size_t i = 0; i < sources.size(); ++i) {
    if (sources[i]->default_value) {
      pending_defaults_.push_back(PendingDefault{file, sources[i], &out.fields[base + i], owner});
    }
  }
}

}  // namespace opp::idl
