// The buffered transport's message boundary: a resumable skip pass over one message.
#include <algorithm>
#include <string>

#include "errors.hpp"
#include "opp/codec/framing.hpp"
#include "wire_reader.hpp"

namespace opp::codec {
namespace {

// Wire types, TBinaryProtocol numbering (the readers translate compact codes).
enum : uint8_t {
  kBool = 2,
  kByte = 3,
  kDouble = 4,
  kI16 = 6,
  kI32 = 8,
  kI64 = 10,
  kString = 11,
  kStruct = 12,
  kMap = 13,
  kSet = 14,
  kList = 15,
  kUuid = 16,
};

/// The fewest bytes a value of wire type `t` takes; 0 for an invalid type. Every valid type
/// takes at least one, which bounds the items a container can hold by the bytes present.
template <bool kCompact>
uint64_t min_size(uint8_t t) {
  switch (t) {
    case kBool:
    case kByte:
    case kStruct:
      return 1;
    case kDouble:
      return 8;
    case kUuid:
      return 16;
    case kI16:
      return kCompact ? 1 : 2;
    case kI32:
    case kString:
      return kCompact ? 1 : 4;
    case kI64:
      return kCompact ? 1 : 8;
    case kMap:
      return kCompact ? 1 : 6;
    case kSet:
    case kList:
      return kCompact ? 1 : 5;
    default:
      return 0;
  }
}

enum class Outcome : uint8_t { kOk, kTruncated, kMalformed, kInvalidType };

Error measure_error(std::string message) {
  return Error{ErrorCode::kResponseUnableParse, std::string(kBadUpstreamReply), std::move(message),
               ""};
}

}  // namespace

MessageMeasurer::MessageMeasurer(Protocol protocol, uint32_t max_depth, size_t max_size)
    : protocol_(protocol), max_depth_(max_depth), max_size_(max_size) {
  stack_.reserve(8);
}

void MessageMeasurer::reset() {
  pos_ = 0;
  envelope_read_ = false;
  at_least_ = 0;
  stack_.clear();
}

Result<std::optional<size_t>> MessageMeasurer::resume(std::string_view bytes) {
  return protocol_ == Protocol::kCompact ? run<CompactReader>(bytes) : run<BinaryReader>(bytes);
}

template <class R>
Result<std::optional<size_t>> MessageMeasurer::run(std::string_view bytes) {
  if (envelope_read_ && stack_.empty()) return std::optional<size_t>(pos_);  // already complete
  // Never look past max_size: a message that has not ended by then is too long.
  const size_t window = std::min(bytes.size(), max_size_);
  if (pos_ > window)  // the caller broke the contract (bytes must only grow); never read past
    return measure_error("measure resumed on " + std::to_string(bytes.size()) + " bytes after " +
                         std::to_string(pos_) + " were scanned");
  const char* const base = bytes.data();
  R in(base + pos_, base + window);
  auto offset = [&] { return static_cast<size_t>(in.position() - base); };
  auto need_more = [&](size_t at_least) -> Result<std::optional<size_t>> {
    at_least = std::max(at_least, window + 1);
    if (at_least > max_size_)
      return measure_error("message of at least " + std::to_string(at_least) +
                           " bytes exceeds the limit of " + std::to_string(max_size_));
    at_least_ = at_least;
    return std::optional<size_t>();
  };
  auto malformed = [&](std::string_view what) {
    return measure_error(std::string(what) + " at byte " + std::to_string(pos_));
  };
  auto too_deep = [&] {
    return measure_error("message nests deeper than " + std::to_string(max_depth_));
  };

  if (!envelope_read_) {
    std::string_view name;
    uint8_t type = 0;
    int32_t seqid = 0;
    if (!in.message_begin(name, type, seqid))
      return in.malformed() ? malformed("malformed message header") : need_more(0);
    if (type < static_cast<uint8_t>(MessageType::kCall) ||
        type > static_cast<uint8_t>(MessageType::kOneway))
      return malformed("unknown message type " + std::to_string(type));
    if (max_depth_ < 1) return too_deep();
    envelope_read_ = true;
    pos_ = offset();
    stack_.push_back(Level{Level::kStruct, 0, 0, false, 0, 0});
  }

  // One item per turn (a field header with its scalar value or container header, or one
  // container element), committed to pos_ only once complete, so a later call resumes at
  // an item boundary.
  while (!stack_.empty()) {
    Level& top = stack_.back();
    uint8_t type = 0;
    bool in_field = false;
    int16_t last_id = top.last_id;
    if (top.kind == Level::kStruct) {
      int16_t id = 0;
      if (!in.field_begin(type, id, last_id))
        return in.malformed() ? malformed("malformed field header") : need_more(0);
      if (type == 0) {
        stack_.pop_back();
        pos_ = offset();
        continue;
      }
      in_field = true;
    } else if (top.remaining == 0) {
      stack_.pop_back();
      continue;
    } else {
      type = top.kind == Level::kMap && top.at_value ? top.value_type : top.key_type;
    }

    // The value of `type`; `child` when it opens a struct or container.
    std::optional<Level> child;
    size_t need = 0;
    Outcome outcome = Outcome::kOk;
    const char* data;
    auto ok = [](bool read) { return read ? Outcome::kOk : Outcome::kTruncated; };
    auto elements_fit = [&](uint64_t count, uint64_t each) {
      const uint64_t required = count * each;  // < 2^36: no overflow
      if (required <= in.remaining()) return Outcome::kOk;
      need = offset() + required;
      return Outcome::kTruncated;
    };
    switch (type) {
      case kBool:
        if (!(R::kCompact && in_field)) outcome = ok(in.raw(data, 1));  // else in the header
        break;
      case kByte:
        outcome = ok(in.raw(data, 1));
        break;
      case kDouble:
        outcome = ok(in.raw(data, 8));
        break;
      case kUuid:
        outcome = ok(in.raw(data, 16));
        break;
      case kI16: {
        int16_t v;
        outcome = ok(in.i16(v));
        break;
      }
      case kI32: {
        int32_t v;
        outcome = ok(in.i32(v));
        break;
      }
      case kI64: {
        int64_t v;
        outcome = ok(in.i64(v));
        break;
      }
      case kString: {
        uint32_t len = 0;
        if constexpr (R::kCompact) {
          if (!in.varint32(len)) {
            outcome = Outcome::kTruncated;
            break;
          }
          if (len > INT32_MAX) {
            outcome = Outcome::kMalformed;
            break;
          }
        } else {
          int32_t n;
          if (!in.i32(n)) {
            outcome = Outcome::kTruncated;
            break;
          }
          if (n < 0) {
            outcome = Outcome::kMalformed;
            break;
          }
          len = static_cast<uint32_t>(n);
        }
        need = offset() + len;
        outcome = ok(in.raw(data, len));
        break;
      }
      case kStruct:
        child = Level{Level::kStruct, 0, 0, false, 0, 0};
        break;
      case kMap: {
        uint8_t k, v;
        int32_t size;
        if (!in.map_begin(k, v, size)) {
          outcome = Outcome::kTruncated;
          break;
        }
        if (size < 0) {
          outcome = Outcome::kMalformed;
          break;
        }
        const uint64_t each = min_size<R::kCompact>(k) + min_size<R::kCompact>(v);
        if (size > 0 && (min_size<R::kCompact>(k) == 0 || min_size<R::kCompact>(v) == 0)) {
          outcome = Outcome::kInvalidType;
          type = min_size<R::kCompact>(k) == 0 ? k : v;
          break;
        }
        outcome = elements_fit(static_cast<uint64_t>(size), each);
        child = Level{Level::kMap, k, v, false, 0, static_cast<uint32_t>(size)};
        break;
      }
      case kSet:
      case kList: {
        uint8_t e;
        int32_t size;
        if (!in.list_begin(e, size)) {
          outcome = Outcome::kTruncated;
          break;
        }
        if (size < 0) {
          outcome = Outcome::kMalformed;
          break;
        }
        if (size > 0 && min_size<R::kCompact>(e) == 0) {
          outcome = Outcome::kInvalidType;
          type = e;
          break;
        }
        outcome = elements_fit(static_cast<uint64_t>(size), min_size<R::kCompact>(e));
        child = Level{Level::kList, e, 0, false, 0, static_cast<uint32_t>(size)};
        break;
      }
      default:
        outcome = Outcome::kInvalidType;
        break;
    }
    switch (outcome) {
      case Outcome::kOk:
        break;
      case Outcome::kTruncated:
        if (in.malformed()) return malformed("malformed value");
        return need_more(need);
      case Outcome::kMalformed:
        return malformed("malformed value");
      case Outcome::kInvalidType:
        return malformed("invalid wire type " + std::to_string(type));
    }

    if (top.kind == Level::kStruct) {
      top.last_id = last_id;
    } else if (top.kind == Level::kList) {
      --top.remaining;
    } else {
      if (top.at_value) --top.remaining;
      top.at_value = !top.at_value;
    }
    pos_ = offset();
    if (child) {
      if (stack_.size() + 1 > max_depth_) return too_deep();
      stack_.push_back(*child);  // `top` is not used after this
    }
  }
  return std::optional<size_t>(pos_);
}

Result<std::optional<size_t>> measure_message(std::string_view bytes, Protocol protocol,
                                              uint32_t max_depth, size_t max_size) {
  MessageMeasurer measurer(protocol, max_depth, max_size);
  return measurer.resume(bytes);
}

}  // namespace opp::codec
