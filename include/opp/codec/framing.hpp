#pragma once
// Where one Thrift message ends on a byte stream: TFramedTransport framing (a 4-byte
// big-endian length before each message) and, for the buffered transport, a skip pass
// over one message. Errors are 10007 `bad-upstream-reply`: these functions read what an
// upstream sent.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "opp/codec/codec.hpp"
#include "opp/codec/options.hpp"
#include "opp/common/result.hpp"
#include "opp/idl/descriptor.hpp"

namespace opp::codec {

/// Appends a length placeholder to `out`; returns its position for end_frame().
inline size_t begin_frame(std::string& out) {
  size_t at = out.size();
  out.append(4, '\0');
  return at;
}

/// Writes the length of everything appended after the placeholder at `at`.
inline void end_frame(std::string& out, size_t at) {
  uint32_t n = static_cast<uint32_t>(out.size() - at - 4);
  out[at] = static_cast<char>(n >> 24);
  out[at + 1] = static_cast<char>(n >> 16);
  out[at + 2] = static_cast<char>(n >> 8);
  out[at + 3] = static_cast<char>(n);
}

/// The payload length announced by a frame header, or nullopt while fewer than 4 bytes
/// are available. A length with the top bit set is returned as is; callers bound it.
inline std::optional<uint32_t> frame_length(std::string_view bytes) {
  if (bytes.size() < 4) return std::nullopt;
  auto b = [&](size_t i) { return static_cast<uint32_t>(static_cast<uint8_t>(bytes[i])); };
  return (b(0) << 24) | (b(1) << 16) | (b(2) << 8) | b(3);
}

/// Codec::encode_call inside a frame: the 4-byte length, then the call message, appended
/// to `out`. On failure `out` is exactly as on entry (the placeholder is removed too).
Result<void> encode_framed_call(const Codec& codec, const idl::FunctionDescriptor& function,
                                int32_t seqid, std::string_view args_json,
                                const EncodeOptions& options, std::string& out);

/// One complete frame at the start of a byte stream.
struct FrameView {
  std::string_view payload;  ///< the message, without the length header
  size_t consumed = 0;       ///< header + payload: how far the stream advances
};

/// The frame at the start of `bytes`, or nullopt while it is incomplete. A length above
/// `max_frame` or with the top bit set is an error (10007 "frame of N bytes exceeds the
/// limit of M"), reported as soon as the header is in, before any payload is buffered.
Result<std::optional<FrameView>> split_frame(std::string_view bytes, uint32_t max_frame);

/// The envelope of a message: what a client needs to match a reply to its call.
struct MessageHeader {
  std::string_view name;  ///< points into the message
  uint8_t type = 0;       ///< a MessageType value when well-formed
  int32_t seqid = 0;
};

/// Reads the envelope at the start of `message` (strict binary or compact); 10007 when it
/// is truncated or malformed. The message type is returned as found, unchecked.
Result<MessageHeader> read_message_header(std::string_view message, Protocol protocol);

/// Finds the end of one Thrift message (envelope + struct, any field types, nested
/// containers and structs) without decoding it: the buffered transport has no frames.
///
/// Feed it the bytes received so far, from the message's first byte, as they grow; each
/// call resumes where the previous one stopped, so a message arriving in many pieces is
/// scanned once. Never reads out of bounds, never recurses (an explicit stack bounded by
/// `max_depth`), allocates only per nesting level, and does work proportional to the bytes
/// present: a container announcing more elements than the bytes could hold is not walked.
class MessageMeasurer {
 public:
  /// `max_depth`: levels of structs and containers, the message's struct being level 1.
  /// `max_size`: the longest message accepted.
  MessageMeasurer(Protocol protocol, uint32_t max_depth, size_t max_size);

  /// The message's total length once `bytes` holds all of it; nullopt while more bytes
  /// are needed; 10007 when the input is malformed, nests deeper than `max_depth` or is
  /// (or announces itself) longer than `max_size`. `bytes` must extend the bytes of the
  /// previous call (same prefix) until reset().
  Result<std::optional<size_t>> resume(std::string_view bytes);

  /// After a nullopt: a lower bound of the message's total length (> the bytes seen), so a
  /// caller can wait for that many before calling again.
  size_t at_least() const { return at_least_; }

  /// Forgets the message, ready for the next one.
  void reset();

 private:
  struct Level {
    enum Kind : uint8_t { kStruct, kList, kMap } kind;
    uint8_t key_type;    ///< list/set element type, or map key type
    uint8_t value_type;  ///< map value type
    bool at_value;       ///< map: the next item is a value
    int16_t last_id;     ///< struct: compact field id deltas
    uint32_t remaining;  ///< list/map: items left
  };
  template <class R>
  Result<std::optional<size_t>> run(std::string_view bytes);

  Protocol protocol_;
  uint32_t max_depth_;
  size_t max_size_;
  size_t pos_ = 0;  ///< end of the last item scanned completely
  bool envelope_read_ = false;
  size_t at_least_ = 0;
  std::vector<Level> stack_;
};

/// The total length of the one message at the start of `bytes`: MessageMeasurer in a
/// single call. nullopt = more bytes needed; 10007 when malformed, deeper than `max_depth`
/// or longer than `max_size`.
Result<std::optional<size_t>> measure_message(std::string_view bytes, Protocol protocol,
                                              uint32_t max_depth, size_t max_size);

}  // namespace opp::codec
