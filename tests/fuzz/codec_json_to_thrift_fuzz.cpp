// libFuzzer target: arbitrary JSON → Thrift. Whatever the encoder accepts must decode, and
// decoding is a fixed point: decode(encode(decode(bytes))) == decode(bytes).
#include <cstddef>
#include <cstdint>
#include <string>

#include "codec_fuzz_schemas.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  codec_fuzz::Pick p = codec_fuzz::pick(data[0]);
  std::string_view json(reinterpret_cast<const char*>(data + 1), size - 1);
  opp::codec::EncodeOptions eo;
  eo.protocol = p.protocol;
  opp::codec::DecodeOptions dopt;
  dopt.protocol = p.protocol;

  std::string bytes;
  auto encoded = p.codec->encode_struct(json, *p.type, eo, bytes);
  if (!encoded) {
    if (!bytes.empty()) __builtin_trap();  // output restored on error
    if (encoded.error().message.empty()) __builtin_trap();
    return 0;
  }
  std::string first;
  if (!p.codec->decode_struct(bytes, *p.type, dopt, first)) __builtin_trap();
  std::string again_bytes, second;
  if (!p.codec->encode_struct(first, *p.type, eo, again_bytes)) __builtin_trap();
  if (!p.codec->decode_struct(again_bytes, *p.type, dopt, second)) __builtin_trap();
  if (first != second) __builtin_trap();
  return 0;
}
