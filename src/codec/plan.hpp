#pragma once
// Compiled "plans" of descriptors: everything the codec needs per type, precomputed
// once so the per-request loops do no lookups by name and no allocation.

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "opp/common/result.hpp"
#include "opp/idl/descriptor.hpp"

namespace opp::codec {

struct StructPlan;
struct EnumPlan;

/// TCompactProtocol type codes.
enum CompactType : uint8_t {
  kCtStop = 0,
  kCtBoolTrue = 1,
  kCtBoolFalse = 2,
  kCtByte = 3,
  kCtI16 = 4,
  kCtI32 = 5,
  kCtI64 = 6,
  kCtDouble = 7,
  kCtBinary = 8,
  kCtList = 9,
  kCtSet = 10,
  kCtMap = 11,
  kCtStruct = 12,
  kCtUuid = 13,
};

struct TypePlan {
  idl::TypeKind kind = idl::TypeKind::kVoid;
  uint8_t binary_type = 0;            ///< idl::WireType value
  uint8_t compact_type = 0;           ///< CompactType value
  const TypePlan* key = nullptr;      ///< map key
  const TypePlan* element = nullptr;  ///< list/set element, map value
  const StructPlan* struct_plan = nullptr;
  const EnumPlan* enum_plan = nullptr;
  std::string name;  ///< for messages: "i64", "list<string>", "Simple"
};

struct FieldPlan {
  int16_t id = 0;
  uint16_t index = 0;  ///< position in StructPlan::fields, the bit in the "seen" set
  idl::Requiredness requiredness = idl::Requiredness::kDefault;
  bool js_conv = false;
  bool is_bound = false;  ///< string field eligible for merchant binding (top level)
  const TypePlan* type = nullptr;
  std::string_view json_key;
  char binary_header[3] = {0, 0, 0};  ///< TBinaryProtocol field header
  /// Pre-encoded value of the IDL default, without field header (binary, compact).
  bool has_default = false;
  bool default_bool = false;  ///< compact bools carry the value in the field header
  std::string default_binary;
  std::string default_compact;
  /// `"json_key":` already escaped, for the JSON writer.
  std::string json_prefix;
};

/// Perfect-hash table from JSON key to field, built at compile time.
class KeyTable {
 public:
  void build(const std::vector<FieldPlan>& fields);
  const FieldPlan* find(const std::vector<FieldPlan>& fields, const char* key, size_t len) const {
    if (slots_.empty()) return nullptr;
    uint32_t slot = hash(key, len) & mask_;
    int32_t index = slots_[slot];
    if (index < 0) return nullptr;
    const FieldPlan& f = fields[index];
    if (f.json_key.size() != len || !same_bytes(f.json_key.data(), key, len)) return nullptr;
    return &f;
  }

  /// memcmp for the short keys of JSON objects without a library call: two overlapping
  /// loads cover up to 16 bytes.
  static bool same_bytes(const char* a, const char* b, size_t len) {
    if (len >= 8 && len <= 16) {
      uint64_t a0, b0, a1, b1;
      std::memcpy(&a0, a, 8), std::memcpy(&b0, b, 8);
      std::memcpy(&a1, a + len - 8, 8), std::memcpy(&b1, b + len - 8, 8);
      return ((a0 ^ b0) | (a1 ^ b1)) == 0;
    }
    if (len >= 4 && len < 8) {
      uint32_t a0, b0, a1, b1;
      std::memcpy(&a0, a, 4), std::memcpy(&b0, b, 4);
      std::memcpy(&a1, a + len - 4, 4), std::memcpy(&b1, b + len - 4, 4);
      return ((a0 ^ b0) | (a1 ^ b1)) == 0;
    }
    return std::memcmp(a, b, len) == 0;
  }

 private:
  uint32_t hash(const char* p, size_t len) const;
  bool try_build(const std::vector<FieldPlan>& fields, size_t size);
  std::vector<int32_t> slots_;
  uint32_t mask_ = 0;
  uint64_t seed_ = 0;
  bool full_ = false;  ///< hash every byte instead of sampling
};

struct StructPlan {
  const idl::StructDescriptor* descriptor = nullptr;
  idl::StructDescriptor::Kind kind = idl::StructDescriptor::Kind::kStruct;
  std::string_view name;
  std::vector<FieldPlan> fields;  ///< declaration order
  KeyTable keys;
  uint32_t seen_words = 1;              ///< 64-bit words of the "seen" bitset
  std::vector<uint64_t> required_mask;  ///< bits of required fields
  std::vector<uint16_t> defaulted;      ///< default-requiredness fields with a default
  bool has_required = false;
  const TypePlan* self = nullptr;  ///< a TypePlan of kind kStruct for this struct

  const FieldPlan* by_key(const char* key, size_t len) const { return keys.find(fields, key, len); }
  const FieldPlan* by_id(int16_t id) const {
    int32_t rel = int32_t(id) - min_id;
    if (rel < 0 || rel >= int32_t(index_by_id.size())) return sparse_by_id(id);
    int32_t i = index_by_id[rel];
    return i < 0 ? nullptr : &fields[i];
  }
  const FieldPlan* sparse_by_id(int16_t id) const;

  int16_t min_id = 0;
  std::vector<int32_t> index_by_id;  ///< dense over [min_id, max id]; -1 = none
  bool sparse = false;
};

struct EnumPlan {
  std::string_view name;
  std::vector<std::pair<std::string_view, int32_t>> by_name;  ///< sorted by name
  std::vector<int32_t> values;                                ///< sorted
  const int32_t* find(std::string_view name) const;
  bool contains(int64_t value) const;
};

/// All plans of one Codec; owns them. A descriptor the codec cannot serve (one not fully
/// resolved) is recorded as the build's error; the first one is reported.
class PlanSet {
 public:
  /// Runs `add_all` (calls of add()), then freezes the lookup table. Errors: 10006
  /// `codec-compile-failed` naming the first descriptor that could not be compiled.
  template <class F>
  Result<void> build(F&& add_all) {
    add_all();
    if (!error_.empty())
      return Error{ErrorCode::kServerHandleFail, "codec-compile-failed", error_, ""};
    freeze();
    return {};
  }
  const StructPlan* add(const idl::StructDescriptor& s);
  /// O(1) without hashing through std::hash: a frozen open-addressing table of pointers.
  const StructPlan* find(const idl::StructDescriptor& s) const {
    if (frozen_.empty()) return find_slow(s);
    for (size_t i = slot_of(&s);; i = (i + 1) & (frozen_.size() - 1)) {
      const auto& [key, plan] = frozen_[i];
      if (key == &s) return plan;
      if (!key) return nullptr;
    }
  }
  /// Builds the lookup table used by find(); call once every struct is added.
  void freeze();
  const TypePlan* type(const idl::TypeDescriptor& t);

 private:
  const StructPlan* find_slow(const idl::StructDescriptor& s) const {
    auto it = structs_.find(&s);
    return it == structs_.end() ? nullptr : it->second.get();
  }
  size_t slot_of(const void* p) const {
    return static_cast<size_t>((reinterpret_cast<uintptr_t>(p) >> 4) * 0x9E3779B97F4A7C15ull >>
                               32) &
           (frozen_.size() - 1);
  }
  void fill(StructPlan& plan);
  /// Records `message` as the build's error (the first one wins) and gives a placeholder
  /// so the build can run to its end without null plans.
  const TypePlan* invalid(std::string message);
  const EnumPlan* enum_plan(const idl::EnumDescriptor& e);
  std::unordered_map<const idl::StructDescriptor*, std::unique_ptr<StructPlan>> structs_;
  std::unordered_map<const idl::TypeDescriptor*, std::unique_ptr<TypePlan>> types_;
  std::unordered_map<const idl::EnumDescriptor*, std::unique_ptr<EnumPlan>> enums_;
  std::vector<std::unique_ptr<TypePlan>> struct_types_;
  std::vector<StructPlan*> pending_;
  std::vector<std::pair<const idl::StructDescriptor*, const StructPlan*>> frozen_;
  std::string error_;
  TypePlan invalid_type_;
};

}  // namespace opp::codec
