#include "opp/codec/framing.hpp"

#include <string>

#include "errors.hpp"
#include "wire_reader.hpp"

namespace opp::codec {
namespace {

Error framing_error(std::string message) {
  return Error{ErrorCode::kResponseUnableParse, std::string(kBadUpstreamReply), std::move(message),
               ""};
}

template <class R>
Result<MessageHeader> read_header(std::string_view message) {
  R in(message.data(), message.data() + message.size());
  MessageHeader header;
  if (!in.message_begin(header.name, header.type, header.seqid))
    return framing_error(in.malformed() ? "malformed message header" : "truncated message header");
  return header;
}

}  // namespace

Result<void> encode_framed_call(const Codec& codec, const idl::FunctionDescriptor& function,
                                int32_t seqid, std::string_view args_json,
                                const EncodeOptions& options, std::string& out) {
  const size_t at = begin_frame(out);
  Result<void> r = codec.encode_call(function, seqid, args_json, options, out);
  if (!r) {
    out.resize(at);  // encode_call restored `out` to just after the placeholder
    return r;
  }
  end_frame(out, at);
  return r;
}

Result<std::optional<FrameView>> split_frame(std::string_view bytes, uint32_t max_frame) {
  std::optional<uint32_t> length = frame_length(bytes);
  if (!length) return std::optional<FrameView>();
  if (*length > max_frame || (*length & 0x80000000u))
    return framing_error("frame of " + std::to_string(*length) + " bytes exceeds the limit of " +
                         std::to_string(max_frame));
  const size_t total = size_t{4} + *length;
  if (bytes.size() < total) return std::optional<FrameView>();
  return std::optional<FrameView>(FrameView{bytes.substr(4, *length), total});
}

Result<MessageHeader> read_message_header(std::string_view message, Protocol protocol) {
  return protocol == Protocol::kCompact ? read_header<CompactReader>(message)
                                        : read_header<BinaryReader>(message);
}

}  // namespace opp::codec
