// Read-side helpers of the descriptors: lookups and the precomputed field tables.
#include "opp/idl/descriptor.hpp"

#include <algorithm>
#include <array>

#include "opp/common/enum_table.hpp"

namespace opp::idl {
namespace {

// FNV-1a: short keys, no allocation, good enough spread for field names.
uint32_t hash_key(std::string_view key) {
  uint32_t h = 2166136261u;
  for (unsigned char c : key) {
    h ^= c;
    h *= 16777619u;
  }
  return h;
}

// Linear scan: a program holds few definitions and lookups by name are not on a hot path.
template <typename T>
const T* find_named(const std::vector<std::unique_ptr<T>>& items, std::string_view name) {
  for (const auto& item : items) {
    if (item->name == name) return item.get();
  }
  return nullptr;
}

}  // namespace

ConstValue::ConstValue() = default;
ConstValue::ConstValue(const ConstValue&) = default;
ConstValue::ConstValue(ConstValue&&) noexcept = default;
ConstValue& ConstValue::operator=(const ConstValue&) = default;
ConstValue& ConstValue::operator=(ConstValue&&) noexcept = default;
ConstValue::~ConstValue() = default;

std::string IdlError::to_string() const {
  return where.file + ":" + std::to_string(where.line) + ":" + std::to_string(where.column) + ": " +
         message;
}

const std::string* Annotations::find(std::string_view key) const {
  for (const Annotation& a : items) {
    if (a.key == key) return &a.value;
  }
  return nullptr;
}

// ---- StructDescriptor ----

const char* struct_keyword(StructDescriptor::Kind kind) {
  static constexpr std::array<EnumName<StructDescriptor::Kind>, 3> kKeywords{{
      {StructDescriptor::Kind::kStruct, "struct"},
      {StructDescriptor::Kind::kUnion, "union"},
      {StructDescriptor::Kind::kException, "exception"},
  }};
  return name_of(kKeywords, kind, "struct").data();  // the literals are NUL-terminated
}

void StructDescriptor::build_lookup_tables() {
  index_by_id_.clear();
  if (!fields.empty()) {
    auto [lo, hi] = std::minmax_element(
        fields.begin(), fields.end(),
        [](const FieldDescriptor& a, const FieldDescriptor& b) { return a.id < b.id; });
    min_id_ = lo->id;
    index_by_id_.assign(static_cast<size_t>(hi->id - lo->id) + 1, -1);
    for (size_t i = 0; i < fields.size(); ++i) {
      int32_t& slot = index_by_id_[static_cast<size_t>(fields[i].id - min_id_)];
      if (slot < 0) slot = static_cast<int32_t>(i);
    }
  }
  json_key_table_ = make_table(KeyKind::kJsonKey);
  name_table_ = make_table(KeyKind::kName);
}

std::vector<StructDescriptor::Slot> StructDescriptor::make_table(KeyKind kind) const {
  size_t size = 4;
  while (size < fields.size() * 2) size <<= 1;  // load factor <= 1/2
  std::vector<Slot> table(size);
  for (size_t i = 0; i < fields.size(); ++i) {
    std::string_view key = key_of(fields[i], kind);
    uint32_t h = hash_key(key);
    size_t pos = h & (size - 1);
    bool duplicate = false;
    while (table[pos].index >= 0) {
      if (table[pos].hash == h &&
          key_of(fields[static_cast<size_t>(table[pos].index)], kind) == key) {
        duplicate = true;  // the first declared field keeps the key
        break;
      }
      pos = (pos + 1) & (size - 1);
    }
    if (!duplicate) table[pos] = Slot{h, static_cast<int32_t>(i)};
  }
  return table;
}

const FieldDescriptor* StructDescriptor::probe(const std::vector<Slot>& table, std::string_view key,
                                               KeyKind kind) const {
  if (table.empty()) return nullptr;
  uint32_t h = hash_key(key);
  size_t mask = table.size() - 1;
  for (size_t pos = h & mask;; pos = (pos + 1) & mask) {
    const Slot& slot = table[pos];
    if (slot.index < 0) return nullptr;
    const FieldDescriptor& f = fields[static_cast<size_t>(slot.index)];
    if (slot.hash == h && key_of(f, kind) == key) return &f;
  }
}

const FieldDescriptor* StructDescriptor::field_by_id(int16_t id) const {
  int32_t offset = int32_t{id} - int32_t{min_id_};
  if (offset < 0 || static_cast<size_t>(offset) >= index_by_id_.size()) return nullptr;
  int32_t index = index_by_id_[static_cast<size_t>(offset)];
  return index < 0 ? nullptr : &fields[static_cast<size_t>(index)];
}

const FieldDescriptor* StructDescriptor::field_by_json_key(std::string_view key) const {
  return probe(json_key_table_, key, KeyKind::kJsonKey);
}

const FieldDescriptor* StructDescriptor::field_by_name(std::string_view name) const {
  return probe(name_table_, name, KeyKind::kName);
}

// ---- EnumDescriptor ----

void EnumDescriptor::build_lookup_tables() {
  by_name_.clear();
  by_value_.clear();
  for (size_t i = 0; i < values.size(); ++i) {
    by_name_.emplace_back(values[i].name, static_cast<int32_t>(i));
    by_value_.emplace_back(values[i].value, static_cast<int32_t>(i));
  }
  std::stable_sort(by_name_.begin(), by_name_.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::stable_sort(by_value_.begin(), by_value_.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
}

const EnumValue* EnumDescriptor::find_by_name(std::string_view name) const {
  auto it = std::lower_bound(by_name_.begin(), by_name_.end(), name,
                             [](const auto& entry, std::string_view n) { return entry.first < n; });
  if (it == by_name_.end() || it->first != name) return nullptr;
  return &values[static_cast<size_t>(it->second)];
}

const EnumValue* EnumDescriptor::find_by_value(int32_t value) const {
  auto it = std::lower_bound(by_value_.begin(), by_value_.end(), value,
                             [](const auto& entry, int32_t v) { return entry.first < v; });
  if (it == by_value_.end() || it->first != value) return nullptr;
  return &values[static_cast<size_t>(it->second)];
}

// ---- ServiceDescriptor, Program, Schema ----

std::vector<const FunctionDescriptor*> ServiceDescriptor::all_functions() const {
  std::vector<const FunctionDescriptor*> out;
  if (extends) out = extends->all_functions();
  for (const auto& f : functions) out.push_back(f.get());
  return out;
}

const FunctionDescriptor* ServiceDescriptor::find_function(std::string_view fn_name) const {
  return find_named(functions, fn_name);
}

const StructDescriptor* Program::find_struct(std::string_view struct_name) const {
  return find_named(structs, struct_name);
}

const EnumDescriptor* Program::find_enum(std::string_view enum_name) const {
  return find_named(enums, enum_name);
}

const ServiceDescriptor* Program::find_service(std::string_view service_name) const {
  return find_named(services, service_name);
}

std::vector<std::string> Schema::files() const {
  std::vector<std::string> out;
  for (const auto& p : programs_) out.push_back(p->path);
  return out;
}

const StructDescriptor* Schema::find_struct(std::string_view qualified_name) const {
  if (const StructDescriptor* s = root_->find_struct(qualified_name)) return s;
  size_t dot = qualified_name.find('.');
  if (dot == std::string_view::npos) return nullptr;
  std::string_view program = qualified_name.substr(0, dot);
  for (const auto& p : programs_) {
    if (p->name == program) {
      if (const StructDescriptor* s = p->find_struct(qualified_name.substr(dot + 1))) return s;
    }
  }
  return nullptr;
}

}  // namespace opp::idl
