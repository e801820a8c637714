#pragma once
// Bounds-checked primitive readers of TBinaryProtocol (strict) and TCompactProtocol.
// Every read returns false on truncated or malformed input; wire types are reported
// in TBinaryProtocol numbering (idl::WireType) whichever the protocol.

#include <bit>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "endian.hpp"
#include "plan.hpp"

namespace opp::codec {

class ReaderBase {
 public:
  ReaderBase(const char* p, const char* end) : p_(p), end_(end) {}
  size_t remaining() const { return static_cast<size_t>(end_ - p_); }
  /// Whether the last failure was malformed input rather than input cut short.
  bool malformed() const { return malformed_; }
  const char* position() const { return p_; }
  bool raw(const char*& data, size_t n) {
    if (remaining() < n) return false;
    data = p_;
    p_ += n;
    return true;
  }
  bool byte(uint8_t& v) {
    if (p_ == end_) return false;
    v = static_cast<uint8_t>(*p_++);
    return true;
  }

 protected:
  /// A big-endian unsigned integer of any width.
  template <class U>
  bool be(U& v) {
    if (remaining() < sizeof(U)) return false;
    v = load_big_endian<U>(p_);
    p_ += sizeof(U);
    return true;
  }
  bool bad() {
    malformed_ = true;
    return false;
  }
  const char* p_;
  const char* end_;
  bool malformed_ = false;
};

class BinaryReader : public ReaderBase {
 public:
  using ReaderBase::ReaderBase;
  static constexpr bool kCompact = false;

  bool i8(int8_t& v) {
    uint8_t b;
    if (!byte(b)) return false;
    v = static_cast<int8_t>(b);
    return true;
  }
  bool i16(int16_t& v) {
    uint16_t u;
    if (!be(u)) return false;
    v = static_cast<int16_t>(u);
    return true;
  }
  bool i32(int32_t& v) {
    uint32_t u;
    if (!be(u)) return false;
    v = static_cast<int32_t>(u);
    return true;
  }
  bool i64(int64_t& v) {
    uint64_t u;
    if (!be(u)) return false;
    v = static_cast<int64_t>(u);
    return true;
  }
  bool dbl(double& v) {
    uint64_t u;
    if (!be(u)) return false;
    v = std::bit_cast<double>(u);
    return true;
  }
  bool boolean(bool& v) {
    uint8_t b;
    if (!byte(b)) return false;
    v = b != 0;
    return true;
  }
  bool field_bool(bool& v) { return boolean(v); }
  /// Length-prefixed bytes; false when the length is negative or exceeds the input.
  bool string(const char*& data, uint32_t& len) {
    int32_t n;
    if (!i32(n)) return false;
    if (n < 0) return bad();
    len = static_cast<uint32_t>(n);
    return raw(data, len);
  }
  /// STOP gives type 0. `last_id` is unused by this protocol.
  bool field_begin(uint8_t& type, int16_t& id, int16_t& /*last_id*/) {
    if (!byte(type)) return false;
    if (type == 0) return true;
    return i16(id);
  }
  bool list_begin(uint8_t& element, int32_t& size) { return byte(element) && i32(size); }
  bool map_begin(uint8_t& key, uint8_t& value, int32_t& size) {
    return byte(key) && byte(value) && i32(size);
  }
  /// Strict envelope: version word, name, seqid.
  bool message_begin(std::string_view& name, uint8_t& type, int32_t& seqid) {
    int32_t version;
    if (!i32(version)) return false;
    if ((static_cast<uint32_t>(version) & 0xffff0000u) != 0x80010000u) return bad();
    type = static_cast<uint8_t>(version & 0xff);
    const char* data;
    uint32_t len;
    if (!string(data, len)) return false;
    name = std::string_view(data, len);
    return i32(seqid);
  }
};

class CompactReader : public ReaderBase {
 public:
  using ReaderBase::ReaderBase;
  static constexpr bool kCompact = true;

  bool varint(uint64_t& v) {
    v = 0;
    for (int shift = 0; shift < 70; shift += 7) {
      if (p_ == end_) return false;
      uint8_t b = static_cast<uint8_t>(*p_++);
      v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if (!(b & 0x80)) return true;
    }
    return bad();  // more than 10 bytes
  }
  bool varint32(uint32_t& v) {
    uint64_t w;
    if (!varint(w)) return false;
    if (w > UINT32_MAX) return bad();
    v = static_cast<uint32_t>(w);
    return true;
  }
  static int64_t unzigzag(uint64_t v) {
    return static_cast<int64_t>(v >> 1) ^ -static_cast<int64_t>(v & 1);
  }

  bool i8(int8_t& v) {
    uint8_t b;
    if (!byte(b)) return false;
    v = static_cast<int8_t>(b);
    return true;
  }
  bool i16(int16_t& v) {
    uint32_t u;
    if (!varint32(u)) return false;
    int64_t s = unzigzag(u);
    if (s < INT16_MIN || s > INT16_MAX) return bad();
    v = static_cast<int16_t>(s);
    return true;
  }
  bool i32(int32_t& v) {
    uint32_t u;
    if (!varint32(u)) return false;
    v = static_cast<int32_t>(unzigzag(u));
    return true;
  }
  bool i64(int64_t& v) {
    uint64_t u;
    if (!varint(u)) return false;
    v = unzigzag(u);
    return true;
  }
  bool dbl(double& v) {
    if (remaining() < 8) return false;
    v = std::bit_cast<double>(load_little_endian<uint64_t>(p_));  // little-endian on the wire
    p_ += 8;
    return true;
  }
  /// A bool element of a container: one byte, 1 = true.
  bool boolean(bool& v) {
    uint8_t b;
    if (!byte(b)) return false;
    v = b == kCtBoolTrue;
    return true;
  }
  /// A bool field: its value came with the field header.
  bool field_bool(bool& v) {
    v = pending_bool_;
    return true;
  }
  bool string(const char*& data, uint32_t& len) {
    if (!varint32(len)) return false;
    if (len > INT32_MAX) return bad();
    return raw(data, len);
  }
  bool field_begin(uint8_t& type, int16_t& id, int16_t& last_id) {
    uint8_t b;
    if (!byte(b)) return false;
    if (b == 0) {
      type = 0;
      return true;
    }
    uint8_t compact = b & 0x0f;
    if (uint8_t delta = b >> 4) {
      int32_t next = int32_t(last_id) + delta;
      if (next > INT16_MAX) return bad();
      id = static_cast<int16_t>(next);
    } else if (!i16(id)) {
      return false;
    }
    last_id = id;
    pending_bool_ = compact == kCtBoolTrue;
    type = to_wire(compact);
    return type != 0 || bad();
  }
  bool list_begin(uint8_t& element, int32_t& size) {
    uint8_t b;
    if (!byte(b)) return false;
    uint32_t n = b >> 4;
    if (n == 15 && !varint32(n)) return false;
    if (n > INT32_MAX) return bad();
    size = static_cast<int32_t>(n);
    element = to_wire(b & 0x0f);
    return element != 0 || bad();
  }
  bool map_begin(uint8_t& key, uint8_t& value, int32_t& size) {
    uint32_t n;
    if (!varint32(n)) return false;
    if (n > INT32_MAX) return bad();
    size = static_cast<int32_t>(n);
    if (n == 0) {
      key = value = 0;  // an empty map carries no types
      return true;
    }
    uint8_t b;
    if (!byte(b)) return false;
    key = to_wire(b >> 4);
    value = to_wire(b & 0x0f);
    return (key != 0 && value != 0) || bad();
  }
  bool message_begin(std::string_view& name, uint8_t& type, int32_t& seqid) {
    uint8_t id, version;
    if (!byte(id) || !byte(version)) return false;
    if (id != 0x82 || (version & 0x1f) != 1) return bad();
    type = static_cast<uint8_t>(version >> 5);
    uint32_t s;
    if (!varint32(s)) return false;
    seqid = static_cast<int32_t>(s);
    const char* data;
    uint32_t len;
    if (!string(data, len)) return false;
    name = std::string_view(data, len);
    return true;
  }

  /// Compact type code → TBinaryProtocol wire type; 0 for an invalid code.
  static uint8_t to_wire(uint8_t compact) {
    static constexpr uint8_t kMap[16] = {0, 2, 2, 3, 6, 8, 10, 4, 11, 15, 14, 13, 12, 16, 0, 0};
    return kMap[compact & 0x0f];
  }

 private:
  bool pending_bool_ = false;
};

}  // namespace opp::codec
