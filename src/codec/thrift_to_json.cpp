#include "thrift_to_json.hpp"

#include <array>
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "errors.hpp"
#include "json_writer.hpp"
#include "opp/common/enum_table.hpp"
#include "wire_reader.hpp"

namespace opp::codec {
namespace {

using idl::TypeKind;

/// Wire type names for messages.
const char* wire_name(uint8_t t) {
  using idl::WireType;
  static constexpr std::array<EnumName<WireType>, 12> kNames{{
      {WireType::kBool, "bool"},
      {WireType::kByte, "byte"},
      {WireType::kDouble, "double"},
      {WireType::kI16, "i16"},
      {WireType::kI32, "i32"},
      {WireType::kI64, "i64"},
      {WireType::kString, "string"},
      {WireType::kStruct, "struct"},
      {WireType::kMap, "map"},
      {WireType::kSet, "set"},
      {WireType::kList, "list"},
      {WireType::kUuid, "uuid"},
  }};
  // The literals are NUL-terminated.
  return name_of(kNames, static_cast<WireType>(t), "invalid").data();
}

template <class R>
class Decoder {
 public:
  Decoder(std::string_view bytes, const DecodeOptions& options, Buffer& out)
      : in_(bytes.data(), bytes.data() + bytes.size()), options_(options), out_(out) {}

  bool struct_body(const StructPlan& plan, uint32_t depth) {
    if (depth > options_.max_depth) return too_deep();
    uint64_t small_seen[4] = {0, 0, 0, 0};
    std::vector<uint64_t> big_seen;
    uint64_t* seen = small_seen;
    if (plan.seen_words > 4) {
      big_seen.assign(plan.seen_words, 0);
      seen = big_seen.data();
    }
    out_.put('{');
    bool first = true;
    int16_t last_id = 0;
    for (;;) {
      uint8_t type;
      int16_t id = 0;
      if (!in_.field_begin(type, id, last_id)) return truncated_or_bad();
      if (type == 0) break;
      const FieldPlan* f = plan.by_id(id);
      if (!f) {
        if (!skip_unknown_field(type, id, depth)) return false;
        continue;
      }
      if (!wire_type_matches(*f, type)) return false;
      uint64_t bit = uint64_t{1} << (f->index % 64);
      if (seen[f->index / 64] & bit) return field_fail(*f, "field appears twice");
      seen[f->index / 64] |= bit;
      if (first) {
        out_.put(f->json_prefix.data(), f->json_prefix.size());
        first = false;
      } else {
        char* o = out_.ensure(f->json_prefix.size() + 1);
        o[0] = ',';
        std::memcpy(o + 1, f->json_prefix.data(), f->json_prefix.size());
        out_.advance(f->json_prefix.size() + 1);
      }
      if (!field_value(*f, depth)) return add_path(cat({".", f->json_key}));
    }
    out_.put('}');
    return true;
  }

  /// The value of the single field set in a result struct, written bare.
  bool result_value(const StructPlan& plan, const FieldPlan*& set) {
    set = nullptr;
    int16_t last_id = 0;
    for (;;) {
      uint8_t type;
      int16_t id = 0;
      if (!in_.field_begin(type, id, last_id)) return truncated_or_bad();
      if (type == 0) return true;
      const FieldPlan* f = plan.by_id(id);
      if (!f) {
        if (!skip_unknown_field(type, id, 1)) return false;
        continue;
      }
      if (!wire_type_matches(*f, type)) return false;
      if (set) return field_fail(*f, "more than one result field is set");
      set = f;
      if (!field_value(*f, 1))
        return add_path(f->id == 0 ? std::string() : cat({".", f->json_key}));
    }
  }

  R& input() { return in_; }

  Error error() {
    std::string path(options_.root_name);
    for (auto it = reverse_path_.rbegin(); it != reverse_path_.rend(); ++it) path += *it;
    return reply_error(std::move(path), what_.empty() ? "invalid input" : what_);
  }

  [[gnu::cold]] bool fail(std::string what) {
    if (what_.empty()) what_ = std::move(what);
    return false;
  }

 private:
  // The value of a known field; a compact bool's came with its field header.
  bool field_value(const FieldPlan& f, uint32_t depth) {
    if (f.type->kind != TypeKind::kBool) return value(*f.type, f.js_conv, depth);
    bool v;
    if (!in_.field_bool(v)) return false;
    put_bool(v);
    return true;
  }

  bool wire_type_matches(const FieldPlan& f, uint8_t type) {
    if (type == f.type->binary_type) return true;
    return field_fail(
        f, cat({"wrong wire type ", wire_name(type), " for field of type ", f.type->name}));
  }

  bool skip_unknown_field(uint8_t type, int16_t id, uint32_t depth) {
    return skip(type, depth, true) || add_path(cat({"#", std::to_string(id)}));
  }

  bool value(const TypePlan& t, bool js_conv, uint32_t depth) {
    switch (t.kind) {
      case TypeKind::kBool: {
        bool v;
        if (!in_.boolean(v)) return truncated_or_bad();
        put_bool(v);
        return true;
      }
      case TypeKind::kI8: {
        int8_t v;
        if (!in_.i8(v)) return truncated_or_bad();
        write_json_int(out_, v, js_conv);
        return true;
      }
      case TypeKind::kI16: {
        int16_t v;
        if (!in_.i16(v)) return truncated_or_bad();
        write_json_int(out_, v, js_conv);
        return true;
      }
      case TypeKind::kI32:
      case TypeKind::kEnum: {
        int32_t v;
        if (!in_.i32(v)) return truncated_or_bad();
        write_json_int(out_, v, js_conv && t.kind == TypeKind::kI32);
        return true;
      }
      case TypeKind::kI64: {
        int64_t v;
        if (!in_.i64(v)) return truncated_or_bad();
        write_json_int(out_, v, js_conv);
        return true;
      }
      case TypeKind::kDouble: {
        double v;
        if (!in_.dbl(v)) return truncated_or_bad();
        if (!std::isfinite(v))
          return fail(cat({"double ", std::to_string(v), " has no JSON form"}));
        write_json_double(out_, v, false);
        return true;
      }
      case TypeKind::kString: {
        const char* data;
        uint32_t len;
        if (!in_.string(data, len)) return truncated_or_bad();
        if (!write_json_string(out_, data, len)) return fail("string is not valid UTF-8");
        return true;
      }
      case TypeKind::kBinary: {
        const char* data;
        uint32_t len;
        if (!in_.string(data, len)) return truncated_or_bad();
        write_json_base64(out_, data, len);
        return true;
      }
      case TypeKind::kUuid: {
        const char* data;
        if (!in_.raw(data, 16)) return truncated_or_bad();
        write_json_uuid(out_, data);
        return true;
      }
      case TypeKind::kList:
      case TypeKind::kSet:
        return list(t, js_conv, depth + 1);
      case TypeKind::kMap:
        return map(t, js_conv, depth + 1);
      case TypeKind::kStruct:
        return struct_body(*t.struct_plan, depth + 1);
      case TypeKind::kVoid:
        return fail("void value");
    }
    return fail("unsupported type");
  }

  bool list(const TypePlan& t, bool js_conv, uint32_t depth) {
    if (depth > options_.max_depth) return too_deep();
    uint8_t element;
    int32_t size;
    if (!in_.list_begin(element, size)) return truncated_or_bad();
    if (size > 0 && element != t.element->binary_type)
      return fail(cat({"wrong element wire type ", wire_name(element), " for ", t.name}));
    if (!container_size_ok(size)) return false;
    out_.put('[');
    for (int32_t i = 0; i < size; ++i) {
      if (i) out_.put(',');
      if (!value(*t.element, js_conv, depth)) return add_path(cat({"[", std::to_string(i), "]"}));
    }
    out_.put(']');
    return true;
  }

  bool map(const TypePlan& t, bool js_conv, uint32_t depth) {
    if (depth > options_.max_depth) return too_deep();
    uint8_t key, val;
    int32_t size;
    if (!in_.map_begin(key, val, size)) return truncated_or_bad();
    if (size > 0 && (key != t.key->binary_type || val != t.element->binary_type))
      return fail(
          cat({"wrong map wire types ", wire_name(key), ",", wire_name(val), " for ", t.name}));
    if (!container_size_ok(size)) return false;
    out_.put('{');
    for (int32_t i = 0; i < size; ++i) {
      if (i) out_.put(',');
      if (!map_key(*t.key)) return add_path(cat({"{key ", std::to_string(i), "}"}));
      out_.put(':');
      if (!value(*t.element, js_conv, depth))
        return add_path(cat({"{value ", std::to_string(i), "}"}));
    }
    out_.put('}');
    return true;
  }

  // JSON object keys are strings: scalars are written in their text form, quoted.
  bool map_key(const TypePlan& t) {
    switch (t.kind) {
      case TypeKind::kString:
      case TypeKind::kBinary:
      case TypeKind::kUuid:
        return value(t, false, 0);
      case TypeKind::kI8:
      case TypeKind::kI16:
      case TypeKind::kI32:
      case TypeKind::kI64:
      case TypeKind::kEnum: {
        int64_t v;
        if (!read_int(t, v)) return truncated_or_bad();
        write_json_int(out_, v, true);
        return true;
      }
      case TypeKind::kBool: {
        bool v;
        if (!in_.boolean(v)) return truncated_or_bad();
        out_.put(v ? std::string_view("\"true\"") : std::string_view("\"false\""));
        return true;
      }
      case TypeKind::kDouble: {
        double v;
        if (!in_.dbl(v)) return truncated_or_bad();
        if (!std::isfinite(v))
          return fail(cat({"double ", std::to_string(v), " has no JSON form"}));
        write_json_double(out_, v, true);
        return true;
      }
      default:
        return fail(cat({"map key type ", t.name, " has no JSON form"}));
    }
  }
  bool read_int(const TypePlan& t, int64_t& v) {
    switch (t.kind) {
      case TypeKind::kI8: {
        int8_t x;
        if (!in_.i8(x)) return false;
        v = x;
        return true;
      }
      case TypeKind::kI16: {
        int16_t x;
        if (!in_.i16(x)) return false;
        v = x;
        return true;
      }
      case TypeKind::kI64:
        return in_.i64(v);
      default: {
        int32_t x;
        if (!in_.i32(x)) return false;
        v = x;
        return true;
      }
    }
  }

  // Skips a value of wire type `type`; `in_field` for a struct field's value (compact
  // bools carry theirs in the field header).
  bool skip(uint8_t type, uint32_t depth, bool in_field) {
    if (depth > options_.max_depth) return too_deep();
    const char* data;
    uint32_t len;
    switch (type) {
      case 2:
        if (R::kCompact && in_field) return true;
        return in_.raw(data, 1) || truncated_or_bad();
      case 3:
        return in_.raw(data, 1) || truncated_or_bad();
      case 4:
        return in_.raw(data, 8) || truncated_or_bad();
      case 6: {
        int16_t v;
        return in_.i16(v) || truncated_or_bad();
      }
      case 8: {
        int32_t v;
        return in_.i32(v) || truncated_or_bad();
      }
      case 10: {
        int64_t v;
        return in_.i64(v) || truncated_or_bad();
      }
      case 11:
        return in_.string(data, len) || truncated_or_bad();
      case 16:
        return in_.raw(data, 16) || truncated_or_bad();
      case 12: {
        int16_t last_id = 0;
        for (;;) {
          uint8_t t;
          int16_t id;
          if (!in_.field_begin(t, id, last_id)) return truncated_or_bad();
          if (t == 0) return true;
          if (!skip(t, depth + 1, true)) return false;
        }
      }
      case 13: {
        uint8_t k, v;
        int32_t size;
        if (!in_.map_begin(k, v, size)) return truncated_or_bad();
        if (!container_size_ok(size)) return false;
        for (int32_t i = 0; i < size; ++i)
          if (!skip(k, depth + 1, false) || !skip(v, depth + 1, false)) return false;
        return true;
      }
      case 14:
      case 15: {
        uint8_t e;
        int32_t size;
        if (!in_.list_begin(e, size)) return truncated_or_bad();
        if (!container_size_ok(size)) return false;
        for (int32_t i = 0; i < size; ++i)
          if (!skip(e, depth + 1, false)) return false;
        return true;
      }
      default:
        return fail(cat({"invalid wire type ", std::to_string(type)}));
    }
  }

  void put_bool(bool v) {
    if (v)
      out_.put("true", 4);
    else
      out_.put("false", 5);
  }

  // A count read from the wire: every element takes at least one byte.
  bool container_size_ok(int32_t size) {
    if (size < 0) return fail("negative container size");
    if (static_cast<size_t>(size) > in_.remaining()) return fail("truncated input");
    return true;
  }
  [[gnu::cold]] bool too_deep() {
    return fail(cat({"nesting deeper than ", std::to_string(options_.max_depth)}));
  }

  bool truncated_or_bad() { return fail(in_.malformed() ? "malformed input" : "truncated input"); }
  bool field_fail(const FieldPlan& f, std::string what) {
    fail(std::move(what));
    return add_path(cat({".", f.json_key}));
  }
  [[gnu::cold]] bool add_path(std::string part) {
    if (!part.empty()) reverse_path_.push_back(std::move(part));
    return false;
  }

  R in_;
  const DecodeOptions& options_;
  Buffer& out_;
  std::string what_;
  std::vector<std::string> reverse_path_;
};

template <class R>
Result<void> run(std::string_view& bytes, const StructPlan& plan, const DecodeOptions& options,
                 Buffer& out) {
  Decoder<R> d(bytes, options, out);
  if (!d.struct_body(plan, 1)) return d.error();
  bytes.remove_prefix(static_cast<size_t>(d.input().position() - bytes.data()));
  return {};
}

template <class R>
Result<void> run_result(std::string_view& bytes, const StructPlan& plan,
                        const DecodeOptions& options, Buffer& out, const FieldPlan*& set) {
  Decoder<R> d(bytes, options, out);
  if (!d.result_value(plan, set)) return d.error();
  bytes.remove_prefix(static_cast<size_t>(d.input().position() - bytes.data()));
  return {};
}

}  // namespace

Result<void> thrift_to_json(std::string_view& bytes, const StructPlan& plan,
                            const DecodeOptions& options, Buffer& out) {
  if (options.protocol == Protocol::kCompact) return run<CompactReader>(bytes, plan, options, out);
  return run<BinaryReader>(bytes, plan, options, out);
}

Result<void> thrift_result_to_json(std::string_view& bytes, const StructPlan& plan,
                                   const DecodeOptions& options, Buffer& out,
                                   const FieldPlan*& set) {
  if (options.protocol == Protocol::kCompact)
    return run_result<CompactReader>(bytes, plan, options, out, set);
  return run_result<BinaryReader>(bytes, plan, options, out, set);
}

}  // namespace opp::codec
