// libFuzzer target: arbitrary bytes → JSON, as a struct and as a reply message. Whatever
// decodes must be valid JSON for the encoder (when it satisfies the IDL's required/union
// rules, which decoding does not enforce), and JSON → Thrift → JSON is then a fixed point.
#include <cstddef>
#include <cstdint>
#include <string>

#include "codec_fuzz_schemas.hpp"

namespace {

void round_trip(const codec_fuzz::Pick& p, const std::string& json) {
  opp::codec::EncodeOptions eo;
  eo.protocol = p.protocol;
  opp::codec::DecodeOptions dopt;
  dopt.protocol = p.protocol;
  std::string bytes, again;
  auto encoded = p.codec->encode_struct(json, *p.type, eo, bytes);
  if (!encoded) {
    // Only IDL rules the decoder does not enforce may reject decoded JSON, never syntax.
    if (encoded.error().message.find("invalid JSON") != std::string::npos) __builtin_trap();
    return;
  }
  if (!p.codec->decode_struct(bytes, *p.type, dopt, again)) __builtin_trap();
  // Encoding adds IDL defaults the wire lacked, so compare from the second round on.
  std::string bytes2, again2;
  if (!p.codec->encode_struct(again, *p.type, eo, bytes2)) __builtin_trap();
  if (!p.codec->decode_struct(bytes2, *p.type, dopt, again2)) __builtin_trap();
  if (again2 != again) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  codec_fuzz::Pick p = codec_fuzz::pick(data[0]);
  std::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);
  opp::codec::DecodeOptions dopt;
  dopt.protocol = p.protocol;

  std::string json;
  auto decoded = p.codec->decode_struct(bytes, *p.type, dopt, json);
  if (decoded) {
    round_trip(p, json);
  } else if (!json.empty()) {
    __builtin_trap();  // output restored on error
  }

  // The same bytes as a reply of every function of the IDL the struct comes from.
  for (const auto& t : codec_fuzz::targets()) {
    if (t.codec.get() != p.codec) continue;
    for (const auto& service : t.schema->root().services) {
      for (const auto& fn : service->functions) {
        std::string out;
        auto reply = p.codec->decode_reply(*fn, bytes, dopt, out);
        (void)reply;
      }
    }
  }
  return 0;
}
