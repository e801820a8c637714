#include "plan.hpp"

#include <algorithm>

#include "buffer.hpp"
#include "scalars.hpp"
#include "wire_writer.hpp"

namespace opp::codec {

using idl::TypeKind;

// ---- KeyTable: a perfect hash over the JSON keys of one struct ----

namespace {

uint64_t load(const char* p, size_t n) {
  uint64_t v = 0;
  std::memcpy(&v, p, n);
  return v;
}

uint64_t mix(uint64_t x) {
  x ^= x >> 32;
  x *= 0x9E3779B97F4A7C15ull;
  x ^= x >> 29;
  return x;
}

}  // namespace

uint32_t KeyTable::hash(const char* p, size_t len) const {
  uint64_t h = seed_ ^ (len * 0xff51afd7ed558ccdull);
  if (full_) {
    for (size_t i = 0; i < len; ++i) h = (h ^ static_cast<unsigned char>(p[i])) * 0x100000001b3ull;
    return static_cast<uint32_t>(mix(h));
  }
  // Sample the first and last 8 bytes: O(1) whatever the key length.
  uint64_t a, b;
  if (len >= 8) {
    a = load(p, 8), b = load(p + len - 8, 8);
  } else if (len >= 4) {
    a = load(p, 4), b = load(p + len - 4, 4);
  } else {
    a = len ? load(p, len) : 0, b = 0;
  }
  return static_cast<uint32_t>(mix(h ^ a) + mix(b + seed_));
}

bool KeyTable::try_build(const std::vector<FieldPlan>& fields, size_t size) {
  slots_.assign(size, -1);
  mask_ = static_cast<uint32_t>(size - 1);
  for (const FieldPlan& f : fields) {
    uint32_t slot = hash(f.json_key.data(), f.json_key.size()) & mask_;
    if (slots_[slot] >= 0) return false;
    slots_[slot] = f.index;
  }
  return true;
}

void KeyTable::build(const std::vector<FieldPlan>& fields) {
  if (fields.empty()) return;
  size_t size = 4;
  while (size < fields.size() * 2) size <<= 1;
  for (;; size <<= 1) {
    for (int pass = 0; pass < 2; ++pass) {
      full_ = pass == 1;
      for (uint64_t attempt = 0; attempt < 64; ++attempt) {
        seed_ = 0x243F6A8885A308D3ull * (attempt + 1);
        if (try_build(fields, size)) return;
      }
    }
  }
}

// ---- lookups ----

const FieldPlan* StructPlan::sparse_by_id(int16_t id) const {
  if (!sparse) return nullptr;
  for (const FieldPlan& f : fields)
    if (f.id == id) return &f;
  return nullptr;
}

const int32_t* EnumPlan::find(std::string_view key) const {
  auto it = std::lower_bound(by_name.begin(), by_name.end(), key,
                             [](const auto& e, std::string_view k) { return e.first < k; });
  return it != by_name.end() && it->first == key ? &it->second : nullptr;
}

bool EnumPlan::contains(int64_t value) const {
  return std::binary_search(values.begin(), values.end(), value,
                            [](int64_t a, int64_t b) { return a < b; });
}

// ---- building ----

namespace {

uint8_t compact_type_of(TypeKind kind) {
  switch (kind) {
    case TypeKind::kBool:
      return kCtBoolTrue;
    case TypeKind::kI8:
      return kCtByte;
    case TypeKind::kI16:
      return kCtI16;
    case TypeKind::kI32:
    case TypeKind::kEnum:
      return kCtI32;
    case TypeKind::kI64:
      return kCtI64;
    case TypeKind::kDouble:
      return kCtDouble;
    case TypeKind::kString:
    case TypeKind::kBinary:
      return kCtBinary;
    case TypeKind::kUuid:
      return kCtUuid;
    case TypeKind::kList:
      return kCtList;
    case TypeKind::kSet:
      return kCtSet;
    case TypeKind::kMap:
      return kCtMap;
    case TypeKind::kStruct:
      return kCtStruct;
    case TypeKind::kVoid:
      return kCtStop;
  }
  return kCtStop;
}

uint8_t binary_type_of(TypeKind kind) {
  using W = idl::WireType;
  switch (kind) {
    case TypeKind::kBool:
      return uint8_t(W::kBool);
    case TypeKind::kI8:
      return uint8_t(W::kByte);
    case TypeKind::kI16:
      return uint8_t(W::kI16);
    case TypeKind::kI32:
    case TypeKind::kEnum:
      return uint8_t(W::kI32);
    case TypeKind::kI64:
      return uint8_t(W::kI64);
    case TypeKind::kDouble:
      return uint8_t(W::kDouble);
    case TypeKind::kString:
    case TypeKind::kBinary:
      return uint8_t(W::kString);
    case TypeKind::kUuid:
      return uint8_t(W::kUuid);
    case TypeKind::kList:
      return uint8_t(W::kList);
    case TypeKind::kSet:
      return uint8_t(W::kSet);
    case TypeKind::kMap:
      return uint8_t(W::kMap);
    case TypeKind::kStruct:
      return uint8_t(W::kStruct);
    case TypeKind::kVoid:
      return uint8_t(W::kVoid);
  }
  return 0;
}

void append_json_string(std::string& out, std::string_view s) {
  out.push_back('"');
  for (char c : s) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('"');
}

// Encodes an IDL constant as a value of type `t`; false when they do not match.
template <class W>
bool encode_const(Buffer& b, const TypePlan& t, const idl::ConstValue& v, int depth) {
  using K = idl::ConstValue::Kind;
  if (depth > 64) return false;
  switch (t.kind) {
    case TypeKind::kBool:
      if (v.kind != K::kInt) return false;
      W::bool_value(b, v.int_value != 0);
      return true;
    case TypeKind::kI8:
    case TypeKind::kI16:
    case TypeKind::kI32:
    case TypeKind::kEnum:
    case TypeKind::kI64: {
      if (v.kind != K::kInt) return false;
      int64_t x = v.int_value;
      if (t.kind == TypeKind::kI8 && int_fits(x, 8)) return W::i8(b, int8_t(x)), true;
      if (t.kind == TypeKind::kI16 && int_fits(x, 16)) return W::i16(b, int16_t(x)), true;
      if ((t.kind == TypeKind::kI32 || t.kind == TypeKind::kEnum) && int_fits(x, 32))
        return W::i32(b, int32_t(x)), true;
      if (t.kind == TypeKind::kI64) return W::i64(b, x), true;
      return false;
    }
    case TypeKind::kDouble:
      if (v.kind == K::kInt) return W::dbl(b, double(v.int_value)), true;
      if (v.kind == K::kDouble) return W::dbl(b, v.double_value), true;
      return false;
    case TypeKind::kString:
    case TypeKind::kBinary:
      if (v.kind != K::kString) return false;
      W::string(b, v.string_value.data(), v.string_value.size());
      return true;
    case TypeKind::kUuid: {
      unsigned char bytes[16];
      if (v.kind != K::kString || !parse_uuid(v.string_value.data(), v.string_value.size(), bytes))
        return false;
      b.put(bytes, 16);
      return true;
    }
    case TypeKind::kList:
    case TypeKind::kSet: {
      if (v.kind != K::kList) return false;
      size_t pos = W::list_begin(b, *t.element);
      for (const auto& e : v.list)
        if (!encode_const<W>(b, *t.element, e, depth + 1)) return false;
      W::list_end(b, pos, static_cast<uint32_t>(v.list.size()), *t.element);
      return true;
    }
    case TypeKind::kMap: {
      if (v.kind != K::kMap) return false;
      size_t pos = W::map_begin(b, *t.key, *t.element);
      for (const auto& [k, e] : v.map)
        if (!encode_const<W>(b, *t.key, k, depth + 1) ||
            !encode_const<W>(b, *t.element, e, depth + 1))
          return false;
      W::map_end(b, pos, static_cast<uint32_t>(v.map.size()), *t.key, *t.element);
      return true;
    }
    case TypeKind::kStruct: {
      // A struct literal: a map from field name to value.
      if (v.kind != K::kMap) return false;
      int16_t last_id = 0;
      for (const auto& [k, e] : v.map) {
        if (k.kind != K::kString) return false;
        const FieldPlan* field = nullptr;
        for (const FieldPlan& f : t.struct_plan->fields)
          if (f.json_key == k.string_value ||
              t.struct_plan->descriptor->fields[f.index].name == k.string_value)
            field = &f;
        if (!field) return false;
        if (field->type->kind == TypeKind::kBool && e.kind == K::kInt) {
          W::bool_field(b, *field, last_id, e.int_value != 0);
          continue;
        }
        W::field_header(b, *field, last_id);
        if (!encode_const<W>(b, *field->type, e, depth + 1)) return false;
      }
      W::stop(b);
      return true;
    }
    case TypeKind::kVoid:
      return false;
  }
  return false;
}

}  // namespace

const EnumPlan* PlanSet::enum_plan(const idl::EnumDescriptor& e) {
  auto& slot = enums_[&e];
  if (slot) return slot.get();
  slot = std::make_unique<EnumPlan>();
  slot->name = e.name;
  for (const auto& v : e.values) {
    slot->by_name.emplace_back(v.name, v.value);
    slot->values.push_back(v.value);
  }
  std::sort(slot->by_name.begin(), slot->by_name.end());
  std::sort(slot->values.begin(), slot->values.end());
  return slot.get();
}

const TypePlan* PlanSet::invalid(std::string message) {
  if (error_.empty()) error_ = std::move(message);
  return &invalid_type_;
}

void PlanSet::freeze() {
  frozen_.clear();
  size_t size = 8;
  while (size < structs_.size() * 2) size <<= 1;
  frozen_.assign(size, {nullptr, nullptr});
  for (const auto& [key, plan] : structs_) {
    size_t i = slot_of(key);
    while (frozen_[i].first) i = (i + 1) & (size - 1);
    frozen_[i] = {key, plan.get()};
  }
}

const TypePlan* PlanSet::type(const idl::TypeDescriptor& t) {
  auto it = types_.find(&t);
  if (it != types_.end()) return it->second.get();
  if (t.kind == TypeKind::kStruct) {
    if (!t.struct_type) return invalid("struct type without descriptor: " + t.name);
    return add(*t.struct_type)->self;
  }
  auto plan = std::make_unique<TypePlan>();
  TypePlan* p = plan.get();
  types_.emplace(&t, std::move(plan));
  p->kind = t.kind;
  p->binary_type = binary_type_of(t.kind);
  p->compact_type = compact_type_of(t.kind);
  p->name = t.name;
  if (t.kind == TypeKind::kList || t.kind == TypeKind::kSet || t.kind == TypeKind::kMap) {
    if (!t.element || (t.kind == TypeKind::kMap && !t.key))
      return invalid("container type without element type: " + t.name);
    p->element = type(*t.element);
    if (t.key) p->key = type(*t.key);
  }
  if (t.kind == TypeKind::kEnum) {
    if (!t.enum_type) return invalid("enum type without descriptor: " + t.name);
    p->enum_plan = enum_plan(*t.enum_type);
  }
  return p;
}

const StructPlan* PlanSet::add(const idl::StructDescriptor& s) {
  if (const StructPlan* known = find_slow(s)) return known;
  frozen_.clear();
  auto owned = std::make_unique<StructPlan>();
  StructPlan* plan = owned.get();
  structs_.emplace(&s, std::move(owned));
  auto self = std::make_unique<TypePlan>();
  self->kind = TypeKind::kStruct;
  self->binary_type = uint8_t(idl::WireType::kStruct);
  self->compact_type = kCtStruct;
  self->struct_plan = plan;
  self->name = s.name;
  plan->self = self.get();
  struct_types_.push_back(std::move(self));
  plan->descriptor = &s;

  bool outermost = pending_.empty();
  pending_.push_back(plan);
  fill(*plan);
  if (outermost) {
    // Defaults last: a struct literal may refer to a struct that was still being filled.
    for (StructPlan* p : pending_) {
      for (FieldPlan& f : p->fields) {
        const idl::FieldDescriptor& fd = p->descriptor->fields[f.index];
        if (!fd.default_value || f.requiredness != idl::Requiredness::kDefault) continue;
        Buffer bin(f.default_binary), compact(f.default_compact);
        bool ok = encode_const<BinaryWriter>(bin, *f.type, *fd.default_value, 0) &&
                  encode_const<CompactWriter>(compact, *f.type, *fd.default_value, 0);
        bin.commit();
        compact.commit();
        if (!ok) continue;  // the resolver checks defaults; a mismatch is simply not applied
        f.has_default = true;
        f.default_bool = f.type->kind == TypeKind::kBool && fd.default_value->int_value != 0;
        p->defaulted.push_back(f.index);
      }
    }
    pending_.clear();
  }
  return plan;
}

void PlanSet::fill(StructPlan& plan) {
  const idl::StructDescriptor& s = *plan.descriptor;
  plan.kind = s.kind;
  plan.name = s.name;
  plan.fields.resize(s.fields.size());
  plan.seen_words = static_cast<uint32_t>((s.fields.size() + 63) / 64);
  if (plan.seen_words == 0) plan.seen_words = 1;
  plan.required_mask.assign(plan.seen_words, 0);
  int16_t min_id = INT16_MAX, max_id = INT16_MIN;
  for (size_t i = 0; i < s.fields.size(); ++i) {
    const idl::FieldDescriptor& fd = s.fields[i];
    FieldPlan& f = plan.fields[i];
    f.id = fd.id;
    f.index = static_cast<uint16_t>(i);
    f.requiredness = fd.requiredness;
    f.js_conv = fd.js_conv;
    f.json_key = fd.json_key.empty() ? std::string_view(fd.name) : std::string_view(fd.json_key);
    f.type = fd.type ? type(*fd.type) : invalid("field without type: " + s.name + "." + fd.name);
    f.is_bound = f.type->kind == TypeKind::kString;
    f.binary_header[0] = static_cast<char>(f.type->binary_type);
    f.binary_header[1] = static_cast<char>(static_cast<uint16_t>(fd.id) >> 8);
    f.binary_header[2] = static_cast<char>(fd.id);
    append_json_string(f.json_prefix, f.json_key);
    f.json_prefix.push_back(':');
    if (fd.requiredness == idl::Requiredness::kRequired) {
      plan.required_mask[i / 64] |= uint64_t{1} << (i % 64);
      plan.has_required = true;
    }
    min_id = std::min(min_id, fd.id);
    max_id = std::max(max_id, fd.id);
  }
  plan.keys.build(plan.fields);
  if (s.fields.empty()) return;
  int32_t span = int32_t(max_id) - min_id + 1;
  if (span > 4 * int32_t(s.fields.size()) + 64) {
    plan.sparse = true;
    plan.min_id = 0;
    return;
  }
  plan.min_id = min_id;
  plan.index_by_id.assign(span, -1);
  for (const FieldPlan& f : plan.fields) plan.index_by_id[f.id - min_id] = f.index;
}

}  // namespace opp::codec
