#include "json_to_thrift.hpp"

#include <bit>
#include <optional>
#include <string>
#include <vector>

#include "errors.hpp"
#include "json_reader.hpp"
#include "scalars.hpp"
#include "wire_writer.hpp"

namespace opp::codec {
namespace {

using idl::TypeKind;
using SizeType = unsigned;

/// One open JSON object/array that maps to a Thrift struct, list/set or map.
struct Frame {
  const TypePlan* type = nullptr;
  const FieldPlan* field = nullptr;  ///< struct: field of the pending value; null = unknown key
  size_t header_pos = 0;             ///< list/map: where the size goes
  uint32_t count = 0;                ///< list/map: entries begun so far
  uint32_t seen_off = 0;             ///< struct: first word of its "seen" bits
  int16_t last_id = 0;               ///< struct: compact field-id delta base
  std::string key;                   ///< map key or unknown struct key, for error paths
};

/// Per-thread state reused across calls so a call allocates nothing in steady state.
struct Scratch {
  std::vector<Frame> frames;
  std::vector<uint64_t> seen;
  std::string strings;  ///< unescaped JSON strings
};

Scratch& scratch() {
  thread_local Scratch s;
  return s;
}

template <class W>
class Encoder {
 public:
  Encoder(Buffer& out, const StructPlan& root, const EncodeOptions& options, Scratch& s)
      : out_(out), root_(root), options_(options), frames_(s.frames), seen_(s.seen) {
    if (!options.bound_key.empty()) {
      const FieldPlan* f = root.by_key(options.bound_key.data(), options.bound_key.size());
      if (f && f->is_bound) bound_ = f;
    }
  }

  std::optional<Error>& error() { return error_; }

  // ---- SAX handler interface (JsonReader; the shape of RapidJSON's) ----

  bool Null() {
    if (skip_) return true;
    if (depth_ == 0) return type_error(*root_.self, "null");
    Frame& f = top();
    if (is_struct(f)) return true;  // null means absent (and an unknown key is ignored)
    if (f.type->kind != TypeKind::kMap) ++f.count;
    return type_error(*f.type->element, "null");
  }

  bool Bool(bool b) {
    if (skip_) return true;
    const TypePlan* t = target();
    if (!t) return !error_;
    if (t->kind != TypeKind::kBool) return type_error(*t, b ? "boolean true" : "boolean false");
    if (field_)
      W::bool_field(out_, *field_, top().last_id, b);
    else
      W::bool_value(out_, b);
    return true;
  }

  bool RawNumber(const char* s, SizeType len, bool) {
    if (skip_) return true;
    const TypePlan* t = target();
    if (!t) return !error_;
    switch (t->kind) {
      case TypeKind::kI8:
      case TypeKind::kI16:
      case TypeKind::kI32:
      case TypeKind::kI64:
      case TypeKind::kEnum:
        return write_int_text(*t, s, len, false);
      case TypeKind::kDouble: {
        double d;
        if (!parse_double(s, len, d))
          return fail(leaf_path(), cat({std::string_view(s, len), " is out of range for double"}));
        header();
        W::dbl(out_, d);
        return true;
      }
      default:
        return type_error(*t, number_desc(s, len));
    }
  }

  bool String(const char* s, SizeType len, bool) {
    if (skip_) return true;
    const TypePlan* t = target();
    if (!t) return !error_;
    return string_value(*t, s, len);
  }

  bool StartObject() {
    if (skip_) return enter_skip();
    if (depth_ == 0) return push_struct(root_);
    const TypePlan* t = target();
    if (!t) return error_ ? false : enter_skip();
    if (t->kind == TypeKind::kStruct) {
      header();
      return push_struct(*t->struct_plan);
    }
    if (t->kind == TypeKind::kMap) {
      header();
      if (!check_depth()) return false;
      Frame& f = push(t);
      f.header_pos = W::map_begin(out_, *t->key, *t->element);
      return true;
    }
    return type_error(*t, "object");
  }

  bool Key(const char* s, SizeType len, bool) {
    if (skip_) return true;
    Frame& f = top();
    if (is_struct(f)) {
      f.field = f.type->struct_plan->by_key(s, len);
      if (!f.field) f.key.assign(s, len);
      return true;
    }
    ++f.count;
    f.key.assign(s, len);
    field_ = nullptr;
    return write_map_key(*f.type->key, s, len);
  }

  bool EndObject(SizeType) {
    if (skip_) return --skip_, true;
    Frame& f = top();
    if (is_struct(f)) return end_struct();
    W::map_end(out_, f.header_pos, f.count, *f.type->key, *f.type->element);
    --depth_;
    return true;
  }

  bool StartArray() {
    if (skip_) return enter_skip();
    if (depth_ == 0) return type_error(*root_.self, "array");
    const TypePlan* t = target();
    if (!t) return error_ ? false : enter_skip();
    if (t->kind != TypeKind::kList && t->kind != TypeKind::kSet) return type_error(*t, "array");
    header();
    if (!check_depth()) return false;
    Frame& f = push(t);
    f.header_pos = W::list_begin(out_, *t->element);
    return true;
  }

  bool EndArray(SizeType) {
    if (skip_) return --skip_, true;
    Frame& f = top();
    W::list_end(out_, f.header_pos, f.count, *f.type->element);
    --depth_;
    return true;
  }

  /// Path of the value being read, for parse errors reported by the reader.
  std::string location() { return depth_ ? leaf_path() : std::string(options_.root_name); }

 private:
  Frame& top() { return frames_[depth_ - 1]; }
  static bool is_struct(const Frame& f) { return f.type->kind == TypeKind::kStruct; }

  // The type the next value must have; nullptr for the value of an unknown key (to be
  // skipped) or on error. Sets field_ when the value is a struct field.
  const TypePlan* target() {
    field_ = nullptr;
    if (depth_ == 0) {
      type_error(*root_.self, "a scalar");
      return nullptr;
    }
    Frame& f = top();
    if (is_struct(f)) {
      const FieldPlan* field = f.field;
      if (!field) return nullptr;
      uint64_t& word = seen_[f.seen_off + field->index / 64];
      uint64_t bit = uint64_t{1} << (field->index % 64);
      if (word & bit) {
        fail(leaf_path(), "duplicate key");
        return nullptr;
      }
      word |= bit;
      field_ = field;
      return field->type;
    }
    if (f.type->kind != TypeKind::kMap) ++f.count;
    return f.type->element;
  }

  void header() {
    if (field_) W::field_header(out_, *field_, top().last_id);
  }

  Frame& push(const TypePlan* type) {
    if (depth_ == frames_.size()) frames_.emplace_back();
    Frame& f = frames_[depth_++];
    f.type = type;
    f.field = nullptr;
    f.count = 0;
    f.last_id = 0;
    return f;
  }

  bool check_depth() {
    if (depth_ + skip_ < options_.max_depth) return true;
    return fail(leaf_path(), cat({"nesting deeper than ", std::to_string(options_.max_depth)}));
  }

  bool enter_skip() {
    if (!check_depth()) return false;
    ++skip_;
    return true;
  }

  bool push_struct(const StructPlan& plan) {
    if (!check_depth()) return false;
    uint32_t off = seen_top_;
    seen_top_ += plan.seen_words;
    if (seen_.size() < seen_top_) seen_.resize(seen_top_);
    for (uint32_t i = 0; i < plan.seen_words; ++i) seen_[off + i] = 0;
    Frame& f = push(plan.self);
    f.seen_off = off;
    return true;
  }

  bool end_struct() {
    Frame& f = top();
    const StructPlan& plan = *f.type->struct_plan;
    const uint64_t* seen = &seen_[f.seen_off];
    if (plan.has_required) {
      for (uint32_t w = 0; w < plan.seen_words; ++w) {
        uint64_t missing = plan.required_mask[w] & ~seen[w];
        if (missing) {
          const FieldPlan& m = plan.fields[w * 64 + std::countr_zero(missing)];
          return fail(cat({struct_path(), ".", m.json_key}), "missing required field");
        }
      }
    }
    if (plan.kind == idl::StructDescriptor::Kind::kUnion) {
      int set = 0;
      for (uint32_t w = 0; w < plan.seen_words; ++w) set += std::popcount(seen[w]);
      if (set != 1)
        return fail(struct_path(), cat({"union ", plan.name, " needs exactly one field, got ",
                                        std::to_string(set)}));
    }
    for (uint16_t index : plan.defaulted) {
      if (!(seen[index / 64] & (uint64_t{1} << (index % 64))))
        W::default_field(out_, plan.fields[index], f.last_id);
    }
    if (bound_ && depth_ == 1 &&
        !(seen[bound_->index / 64] & (uint64_t{1} << (bound_->index % 64)))) {
      W::field_header(out_, *bound_, f.last_id);
      W::string(out_, options_.bound_value.data(), options_.bound_value.size());
    }
    W::stop(out_);
    seen_top_ -= plan.seen_words;
    --depth_;
    return true;
  }

  // A JSON string read as a value (or map key, with field_ null) of type t.
  bool string_value(const TypePlan& type, const char* s, size_t len) {
    const TypePlan* t = &type;
    switch (t->kind) {
      case TypeKind::kString:
        if (field_ == bound_ && bound_ && depth_ == 1) return write_bound(s, len);
        header();
        W::string(out_, s, len);
        return true;
      case TypeKind::kBinary:
        return write_base64(s, len);
      case TypeKind::kI8:
      case TypeKind::kI16:
      case TypeKind::kI32:
      case TypeKind::kI64:
        return write_int_text(*t, s, len, true);
      case TypeKind::kEnum: {
        if (const int32_t* v = t->enum_plan->find(std::string_view(s, len))) {
          header();
          W::i32(out_, *v);
          return true;
        }
        int64_t v;
        if (parse_decimal_i64(s, len, v) == IntParse::kOk)
          return write_int(*t, v, std::string_view(s, len));
        return fail(leaf_path(), cat({quote_for_message(std::string_view(s, len)),
                                      " is not a member of enum ", t->name}));
      }
      case TypeKind::kUuid: {
        unsigned char bytes[16];
        if (!parse_uuid(s, len, bytes))
          return fail(leaf_path(), cat({"expected uuid, got string ",
                                        quote_for_message(std::string_view(s, len))}));
        header();
        out_.put(bytes, 16);
        return true;
      }
      default:
        return type_error(*t, string_desc(s, len));
    }
  }

  // Decimal text (a JSON number, or a string when `quoted`) as an integer or enum value.
  bool write_int_text(const TypePlan& t, const char* s, size_t len, bool quoted) {
    int64_t v;
    IntParse r = parse_decimal_i64(s, len, v);
    if (r == IntParse::kSyntax)
      return type_error(t, quoted ? string_desc(s, len) : number_desc(s, len));
    if (r == IntParse::kRange) return range_error(t, std::string_view(s, len));
    return write_int(t, v, std::string_view(s, len));
  }

  bool write_int(const TypePlan& t, int64_t v, std::string_view text) {
    switch (t.kind) {
      case TypeKind::kI8:
        if (!int_fits(v, 8)) return range_error(t, text);
        header();
        W::i8(out_, static_cast<int8_t>(v));
        return true;
      case TypeKind::kI16:
        if (!int_fits(v, 16)) return range_error(t, text);
        header();
        W::i16(out_, static_cast<int16_t>(v));
        return true;
      case TypeKind::kI32:
        if (!int_fits(v, 32)) return range_error(t, text);
        header();
        W::i32(out_, static_cast<int32_t>(v));
        return true;
      case TypeKind::kEnum:
        if (!t.enum_plan->contains(v))
          return fail(leaf_path(), cat({text, " is not a member of enum ", t.name}));
        header();
        W::i32(out_, static_cast<int32_t>(v));
        return true;
      default:
        header();
        W::i64(out_, v);
        return true;
    }
  }

  bool write_base64(const char* s, size_t len) {
    int64_t n = base64_decoded_size(s, len);
    if (n < 0) return fail(leaf_path(), "invalid base64");
    header();
    W::string_header(out_, static_cast<uint32_t>(n));
    if (!base64_decode(s, len, reinterpret_cast<unsigned char*>(out_.ensure(n))))
      return fail(leaf_path(), "invalid base64");
    out_.advance(n);
    return true;
  }

  bool write_bound(const char* s, size_t len) {
    std::string_view given(s, len);
    if (!given.empty() && given != options_.bound_value) {
      error_ = path_error(ErrorCode::kUnauthorized, "merchant-mismatch", leaf_path(),
                          "does not match the authenticated merchant");
      return false;
    }
    header();
    W::string(out_, options_.bound_value.data(), options_.bound_value.size());
    return true;
  }

  bool write_map_key(const TypePlan& t, const char* s, size_t len) {
    switch (t.kind) {
      case TypeKind::kString:  // field_ is null: no header, no merchant binding
      case TypeKind::kBinary:
      case TypeKind::kI8:
      case TypeKind::kI16:
      case TypeKind::kI32:
      case TypeKind::kI64:
      case TypeKind::kEnum:
      case TypeKind::kUuid:
        return string_value(t, s, len);
      case TypeKind::kBool:
        if (std::string_view(s, len) == "true" || std::string_view(s, len) == "false") {
          W::bool_value(out_, len == 4);
          return true;
        }
        return fail(leaf_path(), cat({"expected bool map key, got ", quote_for_message({s, len})}));
      case TypeKind::kDouble: {
        double d;
        if (!parse_double(s, len, d))
          return fail(leaf_path(),
                      cat({"expected double map key, got ", quote_for_message({s, len})}));
        W::dbl(out_, d);
        return true;
      }
      default:
        return fail(leaf_path(), cat({"map key type ", t.name, " cannot be read from JSON"}));
    }
  }

  [[gnu::cold, gnu::noinline]] bool type_error(const TypePlan& expected, std::string_view got) {
    std::string what = "expected ";
    if (expected.kind == TypeKind::kStruct) what += "struct ";
    what += expected.name;
    what += ", got ";
    what += got;
    return fail(depth_ ? leaf_path() : std::string(options_.root_name), what);
  }
  [[gnu::cold, gnu::noinline]] bool range_error(const TypePlan& t, std::string_view text) {
    return fail(leaf_path(), cat({text, " is out of range for ", t.name}));
  }
  [[gnu::cold, gnu::noinline]] static std::string string_desc(const char* s, size_t len) {
    return cat({"string ", quote_for_message({s, len})});
  }
  [[gnu::cold, gnu::noinline]] static std::string number_desc(const char* s, size_t len) {
    return cat({"number ", std::string_view(s, std::min<size_t>(len, 64))});
  }

  [[gnu::cold, gnu::noinline]] bool fail(std::string path, std::string_view what) {
    if (!error_) error_ = request_error(std::move(path), what);
    return false;
  }

  // "biz_params.items[2]" for the open frames, optionally with the current child.
  [[gnu::cold, gnu::noinline]] std::string build_path(bool leaf) {
    std::string p(options_.root_name);
    for (uint32_t i = 0; i < depth_; ++i) {
      if (i + 1 == depth_ && !leaf) break;
      const Frame& f = frames_[i];
      if (is_struct(f)) {
        p += '.';
        p += f.field ? std::string(f.field->json_key) : f.key;
      } else if (f.type->kind == TypeKind::kMap) {
        if (f.count) p += "[\"" + f.key + "\"]";
      } else if (f.count) {
        p += '[';
        p += std::to_string(f.count - 1);
        p += ']';
      }
    }
    return p;
  }
  std::string leaf_path() { return build_path(true); }
  std::string struct_path() { return build_path(false); }

  Buffer& out_;
  const StructPlan& root_;
  const EncodeOptions& options_;
  std::vector<Frame>& frames_;
  std::vector<uint64_t>& seen_;
  uint32_t depth_ = 0;
  uint32_t skip_ = 0;
  uint32_t seen_top_ = 0;
  const FieldPlan* field_ = nullptr;
  const FieldPlan* bound_ = nullptr;
  std::optional<Error> error_;
};

bool only_whitespace(std::string_view s) {
  for (char c : s)
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return false;
  return true;
}

template <class W>
Result<void> run(std::string_view json, const StructPlan& root, const EncodeOptions& options,
                 Buffer& out) {
  if (only_whitespace(json)) json = "{}";
  Scratch& s = scratch();
  Encoder<W> encoder(out, root, options, s);
  JsonReader reader(s.strings);
  if (reader.parse(json, encoder)) return {};
  if (encoder.error()) return std::move(*encoder.error());
  std::string what = cat({"invalid JSON at offset ", std::to_string(reader.error_offset()), ": ",
                          reader.error_message() ? reader.error_message() : "syntax error"});
  return request_error(encoder.location(), what);
}

}  // namespace

Result<void> json_to_thrift(std::string_view json, const StructPlan& root,
                            const EncodeOptions& options, Buffer& out) {
  if (options.protocol == Protocol::kCompact) return run<CompactWriter>(json, root, options, out);
  return run<BinaryWriter>(json, root, options, out);
}

}  // namespace opp::codec
