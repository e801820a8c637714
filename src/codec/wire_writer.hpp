#pragma once
// Primitive writers of TBinaryProtocol (strict) and TCompactProtocol. Both expose the
// same static interface so the JSON→Thrift encoder is one template.

#include <bit>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "buffer.hpp"
#include "endian.hpp"
#include "plan.hpp"

namespace opp::codec {

struct BinaryWriter {
  static void i8(Buffer& b, int8_t v) { b.put(static_cast<char>(v)); }
  static void i16(Buffer& b, int16_t v) { be(b, static_cast<uint16_t>(v)); }
  static void i32(Buffer& b, int32_t v) { be(b, static_cast<uint32_t>(v)); }
  static void i64(Buffer& b, int64_t v) { be(b, static_cast<uint64_t>(v)); }
  static void dbl(Buffer& b, double v) { be(b, std::bit_cast<uint64_t>(v)); }
  static void bool_value(Buffer& b, bool v) { b.put(v ? 1 : 0); }
  static void string_header(Buffer& b, uint32_t len) { be(b, len); }
  static void string(Buffer& b, const char* p, size_t len) {
    char* o = b.ensure(4 + len);
    store_be(o, static_cast<uint32_t>(len));
    std::memcpy(o + 4, p, len);
    b.advance(4 + len);
  }

  static void field_header(Buffer& b, const FieldPlan& f, int16_t& /*last_id*/) {
    b.put(f.binary_header, 3);
  }
  static void bool_field(Buffer& b, const FieldPlan& f, int16_t& /*last_id*/, bool v) {
    char* o = b.ensure(4);
    std::memcpy(o, f.binary_header, 3);
    o[3] = v ? 1 : 0;
    b.advance(4);
  }
  static void default_field(Buffer& b, const FieldPlan& f, int16_t& /*last_id*/) {
    char* o = b.ensure(3 + f.default_binary.size());
    std::memcpy(o, f.binary_header, 3);
    std::memcpy(o + 3, f.default_binary.data(), f.default_binary.size());
    b.advance(3 + f.default_binary.size());
  }
  static void stop(Buffer& b) { b.put(char{0}); }

  /// Container headers: begin writes a placeholder and returns its position.
  static size_t list_begin(Buffer& b, const TypePlan& element) {
    size_t pos = b.size();
    char* o = b.ensure(5);
    o[0] = static_cast<char>(element.binary_type);
    b.advance(5);
    return pos;
  }
  static void list_end(Buffer& b, size_t pos, uint32_t count, const TypePlan& /*element*/) {
    store_be(b.at(pos + 1), count);
  }
  static size_t map_begin(Buffer& b, const TypePlan& key, const TypePlan& value) {
    size_t pos = b.size();
    char* o = b.ensure(6);
    o[0] = static_cast<char>(key.binary_type);
    o[1] = static_cast<char>(value.binary_type);
    b.advance(6);
    return pos;
  }
  static void map_end(Buffer& b, size_t pos, uint32_t count, const TypePlan&, const TypePlan&) {
    store_be(b.at(pos + 2), count);
  }

  static void message_begin(Buffer& b, std::string_view name, uint8_t type, int32_t seqid) {
    be(b, 0x80010000u | type);
    string(b, name.data(), name.size());
    i32(b, seqid);
  }

  template <class U>
  static void store_be(char* o, U v) {
    store_big_endian(o, v);
  }
  template <class U>
  static void be(Buffer& b, U v) {
    store_be(b.ensure(sizeof v), v);
    b.advance(sizeof v);
  }
};

struct CompactWriter {
  static uint32_t zigzag32(int32_t v) {
    return (static_cast<uint32_t>(v) << 1) ^ static_cast<uint32_t>(v >> 31);
  }
  static uint64_t zigzag64(int64_t v) {
    return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
  }
  static size_t varint_size(uint64_t v) {
    size_t n = 1;
    while (v >= 0x80) v >>= 7, ++n;
    return n;
  }
  static char* store_varint(char* o, uint64_t v) {
    while (v >= 0x80) {
      *o++ = static_cast<char>((v & 0x7f) | 0x80);
      v >>= 7;
    }
    *o++ = static_cast<char>(v);
    return o;
  }
  static void varint(Buffer& b, uint64_t v) {
    char* o = b.ensure(10);
    b.advance(static_cast<size_t>(store_varint(o, v) - o));
  }

  static void i8(Buffer& b, int8_t v) { b.put(static_cast<char>(v)); }
  static void i16(Buffer& b, int16_t v) { varint(b, zigzag32(v)); }
  static void i32(Buffer& b, int32_t v) { varint(b, zigzag32(v)); }
  static void i64(Buffer& b, int64_t v) { varint(b, zigzag64(v)); }
  static void dbl(Buffer& b, double v) {
    uint64_t bits = std::bit_cast<uint64_t>(v);  // little-endian on the wire
    if constexpr (std::endian::native == std::endian::big) bits = byteswap(bits);
    b.put(&bits, 8);
  }
  static void bool_value(Buffer& b, bool v) { b.put(v ? kCtBoolTrue : kCtBoolFalse); }
  static void string_header(Buffer& b, uint32_t len) { varint(b, len); }
  static void string(Buffer& b, const char* p, size_t len) {
    char* o = b.ensure(5 + len);
    char* e = store_varint(o, len);
    std::memcpy(e, p, len);
    b.advance(static_cast<size_t>(e - o) + len);
  }

  static void header(Buffer& b, int16_t id, uint8_t type, int16_t& last_id) {
    int32_t delta = int32_t(id) - last_id;
    if (delta > 0 && delta <= 15) {
      b.put(static_cast<char>((delta << 4) | type));
    } else {
      char* o = b.ensure(4);
      o[0] = static_cast<char>(type);
      b.advance(static_cast<size_t>(store_varint(o + 1, zigzag32(id)) - o));
    }
    last_id = id;
  }
  static void field_header(Buffer& b, const FieldPlan& f, int16_t& last_id) {
    header(b, f.id, f.type->compact_type, last_id);
  }
  static void bool_field(Buffer& b, const FieldPlan& f, int16_t& last_id, bool v) {
    header(b, f.id, v ? kCtBoolTrue : kCtBoolFalse, last_id);
  }
  static void default_field(Buffer& b, const FieldPlan& f, int16_t& last_id) {
    if (f.type->kind == idl::TypeKind::kBool) return bool_field(b, f, last_id, f.default_bool);
    header(b, f.id, f.type->compact_type, last_id);
    b.put(f.default_compact.data(), f.default_compact.size());
  }
  static void stop(Buffer& b) { b.put(char{0}); }

  static size_t list_begin(Buffer& b, const TypePlan& /*element*/) {
    size_t pos = b.size();
    b.ensure(1);
    b.advance(1);
    return pos;
  }
  static void list_end(Buffer& b, size_t pos, uint32_t count, const TypePlan& element) {
    uint8_t type = element.compact_type;
    if (count < 15) {
      *b.at(pos) = static_cast<char>((count << 4) | type);
      return;
    }
    size_t n = varint_size(count);
    b.insert_gap(pos + 1, n);
    *b.at(pos) = static_cast<char>(0xF0 | type);
    store_varint(b.at(pos + 1), count);
  }
  static size_t map_begin(Buffer& b, const TypePlan&, const TypePlan&) {
    size_t pos = b.size();
    b.ensure(2);
    b.advance(2);
    return pos;
  }
  static void map_end(Buffer& b, size_t pos, uint32_t count, const TypePlan& key,
                      const TypePlan& value) {
    if (count == 0) {
      b.erase(pos + 1, 1);
      *b.at(pos) = 0;
      return;
    }
    size_t n = varint_size(count);
    if (n > 1) b.insert_gap(pos + 1, n - 1);
    char* o = store_varint(b.at(pos), count);
    *o = static_cast<char>((key.compact_type << 4) | value.compact_type);
  }

  static void message_begin(Buffer& b, std::string_view name, uint8_t type, int32_t seqid) {
    b.put(static_cast<char>(0x82));
    b.put(static_cast<char>(1 | (type << 5)));
    varint(b, static_cast<uint32_t>(seqid));
    string(b, name.data(), name.size());
  }
};

}  // namespace opp::codec
