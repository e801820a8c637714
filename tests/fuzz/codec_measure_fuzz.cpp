// libFuzzer target: the buffered transport's measure pass against the full reply decoder.
// Input: a selector byte (bit 7 compact; bit 6 prepend a REPLY envelope naming the picked
// function, so struct bodies make replies; low 6 bits pick a function of the fuzz IDLs, and
// also where the input is cut into pieces), then the bytes. Checks, on the same bytes:
//  - whatever decode_reply accepts whole, measure_message measures as exactly that long;
//  - a measured message is re-measured the same on its own, every shorter prefix needs more
//    bytes, and the decoder never finds it truncated;
//  - feeding MessageMeasurer in pieces gives the one-shot answer;
//  - nothing reads out of bounds (ASan) or runs away (libFuzzer's timeout).
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "codec_fuzz_schemas.hpp"
#include "opp/codec/framing.hpp"

namespace {

using opp::codec::Protocol;

constexpr uint32_t kDepth = 64;
constexpr size_t kMaxSize = 1 << 20;

std::vector<const opp::idl::FunctionDescriptor*>& functions() {
  static std::vector<const opp::idl::FunctionDescriptor*> all = [] {
    std::vector<const opp::idl::FunctionDescriptor*> out;
    for (const auto& t : codec_fuzz::targets())
      for (const auto& service : t.schema->root().services)
        for (const auto& fn : service->functions) out.push_back(fn.get());
    return out;
  }();
  return all;
}

const opp::codec::Codec& codec_of(const opp::idl::FunctionDescriptor* fn) {
  for (const auto& t : codec_fuzz::targets())
    for (const auto& service : t.schema->root().services)
      for (const auto& f : service->functions)
        if (f.get() == fn) return *t.codec;
  __builtin_trap();
}

std::string envelope(const std::string& name, Protocol protocol) {
  std::string out;
  if (protocol == Protocol::kBinary) {
    out = std::string("\x80\x01\x00\x02", 4);
    const uint32_t n = static_cast<uint32_t>(name.size());
    for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>(n >> shift);
    out += name;
    out += std::string("\x00\x00\x00\x01", 4);
  } else {
    out = "\x82\x41\x01";
    out += static_cast<char>(name.size());  // fuzz IDL names are short
    out += name;
  }
  return out;
}

// Same answer: both errors, both "need more", or the same length.
bool same(const opp::Result<std::optional<size_t>>& a,
          const opp::Result<std::optional<size_t>>& b) {
  if (a.ok() != b.ok()) return false;
  return !a.ok() || *a == *b;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const uint8_t selector = data[0];
  const Protocol protocol = (selector & 0x80) ? Protocol::kCompact : Protocol::kBinary;
  const auto& fns = functions();
  const opp::idl::FunctionDescriptor* fn = fns[(selector & 0x3f) % fns.size()];
  std::string bytes(reinterpret_cast<const char*>(data + 1), size - 1);
  if (selector & 0x40) bytes = envelope(fn->name, protocol) + bytes;

  // The decoder counts skipped (unknown) levels one shallower than known ones, so the
  // measure pass, which knows no IDL, gets one level more to accept all it accepts.
  const auto whole = opp::codec::measure_message(bytes, protocol, kDepth + 1, kMaxSize);

  opp::codec::DecodeOptions dopt;
  dopt.protocol = protocol;
  dopt.max_depth = kDepth;
  std::string json;
  const bool decoded = codec_of(fn).decode_reply(*fn, bytes, dopt, json).ok();
  if (decoded && !(whole.ok() && *whole == bytes.size())) __builtin_trap();

  if (whole.ok() && whole->has_value()) {
    const size_t n = **whole;
    if (n == 0 || n > bytes.size()) __builtin_trap();
    std::string_view message(bytes.data(), n);
    auto alone = opp::codec::measure_message(message, protocol, kDepth + 1, kMaxSize);
    if (!alone.ok() || *alone != n) __builtin_trap();
    auto shorter =
        opp::codec::measure_message(message.substr(0, n - 1), protocol, kDepth + 1, kMaxSize);
    if (!shorter.ok() || shorter->has_value()) __builtin_trap();
    json.clear();
    auto r = codec_of(fn).decode_reply(*fn, message, dopt, json);
    // (Matched on the message's end: a method name in the message may contain anything.)
    if (!r.ok() && r.error().message.ends_with(": truncated input")) __builtin_trap();
  }

  // In pieces: cut points derived from the selector and the bytes themselves.
  opp::codec::MessageMeasurer measurer(protocol, kDepth + 1, kMaxSize);
  size_t step = 1 + (selector & 0x07);
  opp::Result<std::optional<size_t>> pieces = std::optional<size_t>();
  for (size_t end = 0;; end = std::min(bytes.size(), end + step)) {
    pieces = measurer.resume(std::string_view(bytes).substr(0, end));
    if (!pieces.ok() || pieces->has_value() || end == bytes.size()) break;
    if (measurer.at_least() <= end) __builtin_trap();  // the hint always asks for more
    step = step * 2 + 1;
  }
  if (!same(pieces, whole)) __builtin_trap();
  return 0;
}
