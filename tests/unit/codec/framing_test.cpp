// Message boundaries on a byte stream: framed calls (with rollback), frame splitting with a
// size limit, envelope headers, and the buffered transport's measure pass.
#include <catch2/catch.hpp>

#include "compiled_codec.hpp"

#include <string>

#include "codec_test_util.hpp"
#include "opp/codec/framing.hpp"
#include "opp/idl/loader.hpp"

using namespace opp::codec;
using namespace opp::codec::test;

namespace {

struct AllTypesIdl {
  std::shared_ptr<const opp::idl::Schema> schema;
  std::shared_ptr<const Codec> codec;
  const opp::idl::FunctionDescriptor* echo = nullptr;
  const opp::idl::FunctionDescriptor* add = nullptr;
  const opp::idl::FunctionDescriptor* ping = nullptr;

  AllTypesIdl() {
    auto loaded =
        opp::idl::load_idl_file(std::string(OPP_SOURCE_DIR) + "/tests/data/codec/all_types.thrift");
    REQUIRE(loaded.schema);
    schema = loaded.schema;
    codec = compile_codec(schema);
    for (const auto& fn : schema->root().services.back()->functions) {
      if (fn->name == "Echo") echo = fn.get();
      if (fn->name == "Add") add = fn.get();
      if (fn->name == "Ping") ping = fn.get();
    }
    REQUIRE(echo);
  }
};

const char* kAllTypesJson =
    R"({"b":true,"i8v":-5,"i16v":300,"i32v":-70000,"i64v":1234567890123,"d":-0.25,)"
    R"("s":"text","bin":"AAECAwQ=","color":2,"li":[1,2,3],"ss":["a","b"],)"
    R"("msi":{"k":-1},"mis":{"3":"x"},"mci":{"1":{"a":1,"b":"y"}},"inner":{"a":9,"b":"z"},)"
    R"("nested":[[{"a":1,"b":"q"}],[]],"choice":{"s":"w"},"opt":8,"req":"r","js":"77",)"
    R"("mil":{"5":["p","q"]},"lb":[true,false,true],"si16":[1,-2],"mbd":{"1":2.5},)"
    R"("lbin":["AQ=="],"opt_inner":{"a":2},"renamed":"k","mbs":{"true":"t"}})";

/// A reply envelope + result struct {0: value} of `fn`, as an upstream would send it.
std::string reply_message(const AllTypesIdl& idl, const opp::idl::FunctionDescriptor& fn,
                          int32_t seqid, const std::string& result_json, Protocol protocol,
                          uint8_t type = 2) {
  std::string out;
  if (protocol == Protocol::kBinary) {
    out += unhex("800100");
    out += static_cast<char>(type);
    out += unhex("000000") + static_cast<char>(fn.name.size()) + fn.name;
    out += static_cast<char>(seqid >> 24);
    out += static_cast<char>(seqid >> 16);
    out += static_cast<char>(seqid >> 8);
    out += static_cast<char>(seqid);
  } else {
    out += '\x82';
    out += static_cast<char>((type << 5) | 1);
    out += static_cast<char>(seqid);  // small seqids only: one varint byte
    out += static_cast<char>(fn.name.size()) + fn.name;
  }
  EncodeOptions options;
  options.protocol = protocol;
  REQUIRE(idl.codec->encode_struct(result_json, *fn.result, options, out).ok());
  return out;
}

std::optional<size_t> measured(std::string_view bytes, Protocol protocol, uint32_t depth = 64,
                               size_t max_size = 1 << 20) {
  auto r = measure_message(bytes, protocol, depth, max_size);
  REQUIRE(r.ok());
  return *r;
}

std::string measure_error(std::string_view bytes, Protocol protocol, uint32_t depth = 64,
                          size_t max_size = 1 << 20) {
  auto r = measure_message(bytes, protocol, depth, max_size);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == opp::ErrorCode::kResponseUnableParse);
  CHECK(r.error().sub_code == "bad-upstream-reply");
  return r.error().message;
}

}  // namespace

TEST_CASE("encode_framed_call writes the length and then the call", "[codec][framing]") {
  AllTypesIdl idl;
  std::string plain, framed = "prefix";
  REQUIRE(idl.codec->encode_call(*idl.add, 9, R"({"a":1,"b":2})", {}, plain).ok());
  REQUIRE(encode_framed_call(*idl.codec, *idl.add, 9, R"({"a":1,"b":2})", {}, framed).ok());
  REQUIRE(framed.size() == 6 + 4 + plain.size());
  CHECK(framed.substr(0, 6) == "prefix");
  CHECK(frame_length(std::string_view(framed).substr(6)) == plain.size());
  CHECK(framed.substr(10) == plain);
}

TEST_CASE("encode_framed_call leaves the buffer exactly as it was on failure", "[codec][framing]") {
  AllTypesIdl idl;
  std::string out = "earlier frame bytes";
  const std::string before = out;
  auto r = encode_framed_call(*idl.codec, *idl.add, 1, R"({"a":"x"})", {}, out);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == opp::ErrorCode::kBadRequest);
  CHECK(r.error().message == R"(biz_params.a: expected i32, got string "x")");
  CHECK(out == before);  // the placeholder is gone too
  auto syntax = encode_framed_call(*idl.codec, *idl.add, 1, R"({"a":)", {}, out);
  REQUIRE_FALSE(syntax.ok());
  CHECK(out == before);
}

TEST_CASE("split_frame waits for a whole frame and splits back-to-back frames",
          "[codec][framing]") {
  std::string stream;
  size_t at = begin_frame(stream);
  stream += "first";
  end_frame(stream, at);
  at = begin_frame(stream);
  stream += "second!";
  end_frame(stream, at);

  for (size_t cut = 0; cut < 9; ++cut) {
    auto partial = split_frame(std::string_view(stream).substr(0, cut), 100);
    REQUIRE(partial.ok());
    CHECK_FALSE(partial->has_value());
  }
  auto first = split_frame(stream, 100);
  REQUIRE(first.ok());
  REQUIRE(first->has_value());
  CHECK((*first)->payload == "first");
  CHECK((*first)->consumed == 9);
  auto second = split_frame(std::string_view(stream).substr((*first)->consumed), 100);
  REQUIRE(second.ok());
  REQUIRE(second->has_value());
  CHECK((*second)->payload == "second!");
  CHECK((*second)->consumed == 11);
}

TEST_CASE("split_frame rejects a frame over the limit as soon as its header is in",
          "[codec][framing]") {
  auto over = split_frame(unhex("00000065"), 100);  // 101 bytes announced, none present
  REQUIRE_FALSE(over.ok());
  CHECK(over.error().code == opp::ErrorCode::kResponseUnableParse);
  CHECK(over.error().sub_code == "bad-upstream-reply");
  CHECK(over.error().message == "frame of 101 bytes exceeds the limit of 100");
  auto exact = split_frame(unhex("00000064"), 100);
  REQUIRE(exact.ok());
  CHECK_FALSE(exact->has_value());
  auto top_bit = split_frame(unhex("80000001ff"), UINT32_MAX);
  REQUIRE_FALSE(top_bit.ok());
  CHECK(top_bit.error().message == "frame of 2147483649 bytes exceeds the limit of 4294967295");
}

TEST_CASE("read_message_header reads both envelopes", "[codec][framing]") {
  AllTypesIdl idl;
  for (auto protocol : {Protocol::kBinary, Protocol::kCompact}) {
    EncodeOptions options;
    options.protocol = protocol;
    std::string call;
    REQUIRE(idl.codec->encode_call(*idl.add, 77, R"({"a":1,"b":2})", options, call).ok());
    auto header = read_message_header(call, protocol);
    REQUIRE(header.ok());
    CHECK(header->name == "Add");
    CHECK(header->type == 1);
    CHECK(header->seqid == 77);
    auto cut = read_message_header(std::string_view(call).substr(0, 5), protocol);
    REQUIRE_FALSE(cut.ok());
    CHECK(cut.error().message == "truncated message header");
  }
  auto bad = read_message_header(unhex("00000001"), Protocol::kBinary);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message == "malformed message header");
}

TEST_CASE("measure_message finds the end of calls and replies of every type", "[codec][framing]") {
  AllTypesIdl idl;
  for (auto protocol : {Protocol::kBinary, Protocol::kCompact}) {
    INFO("protocol " << static_cast<int>(protocol));
    EncodeOptions options;
    options.protocol = protocol;
    std::string call;
    REQUIRE(idl.codec->encode_call(*idl.echo, 3, kAllTypesJson, options, call).ok());
    const std::string reply = reply_message(
        idl, *idl.echo, 3, std::string(R"({"success":)") + kAllTypesJson + "}", protocol);
    const std::string exception =
        reply_message(idl, *idl.echo, 4, R"({"e":{"code":20001,"message":"no"}})", protocol);
    const std::string void_reply = reply_message(idl, *idl.ping, 5, "{}", protocol);
    for (const std::string& message : {call, reply, exception, void_reply}) {
      CHECK(measured(message, protocol) == message.size());
      // Trailing bytes (the next pipelined message) are not part of it.
      CHECK(measured(message + message, protocol) == message.size());
      // Every strict prefix needs more bytes.
      for (size_t cut = 0; cut < message.size(); ++cut) {
        INFO("cut at " << cut);
        auto r = measure_message(std::string_view(message).substr(0, cut), protocol, 64, 1 << 20);
        REQUIRE(r.ok());
        CHECK_FALSE(r->has_value());
      }
    }
    // The decoder accepts what was measured.
    DecodeOptions dopt;
    dopt.protocol = protocol;
    std::string json;
    REQUIRE(idl.codec->decode_reply(*idl.echo, reply, dopt, json).ok());
  }
}

TEST_CASE("MessageMeasurer resumes byte by byte and reports how much it still needs",
          "[codec][framing]") {
  AllTypesIdl idl;
  for (auto protocol : {Protocol::kBinary, Protocol::kCompact}) {
    const std::string reply = reply_message(
        idl, *idl.echo, 3, std::string(R"({"success":)") + kAllTypesJson + "}", protocol);
    MessageMeasurer measurer(protocol, 64, 1 << 20);
    std::optional<size_t> end;
    for (size_t n = 0; n <= reply.size() && !end; ++n) {
      auto r = measurer.resume(std::string_view(reply).substr(0, n));
      REQUIRE(r.ok());
      end = *r;
      if (!end) CHECK(measurer.at_least() > n);
    }
    CHECK(end == reply.size());
    measurer.reset();
    REQUIRE(measurer.resume(std::string_view(reply).substr(0, reply.size() / 2)).ok());
    auto shrunk = measurer.resume(std::string_view(reply).substr(0, 10));
    REQUIRE_FALSE(shrunk.ok());  // a misuse, reported rather than read past the bytes
    measurer.reset();
    auto again = measurer.resume(reply);
    REQUIRE(again.ok());
    CHECK(*again == reply.size());
  }
  // A long string: the hint is the string's end, known from its length prefix.
  std::string big = reply_message(idl, *idl.add, 1, "{}", Protocol::kBinary);
  big.pop_back();  // the result struct's STOP; then an unknown string field follows
  big += unhex("0b0009") + unhex("00001000");  // field 9, string of 4096 bytes
  MessageMeasurer measurer(Protocol::kBinary, 64, 1 << 20);
  auto r = measurer.resume(big);
  REQUIRE(r.ok());
  REQUIRE_FALSE(r->has_value());
  CHECK(measurer.at_least() == big.size() + 4096);
  big += std::string(4096, 'x') + '\0';
  r = measurer.resume(big);
  REQUIRE(r.ok());
  CHECK(*r == big.size());
}

TEST_CASE("measure_message rejects malformed, too deep and too long messages", "[codec][framing]") {
  const std::string envelope = unhex("80010002000000014d00000001");  // REPLY "M" seqid 1
  CHECK(measure_error(unhex("0001000200000001"), Protocol::kBinary) ==
        "malformed message header at byte 0");
  CHECK(measure_error(unhex("80010007000000014d00000001"), Protocol::kBinary) ==
        "unknown message type 7 at byte 0");
  CHECK(measure_error(envelope + unhex("010001"), Protocol::kBinary) ==
        "invalid wire type 1 at byte 13");
  CHECK(measure_error(envelope + unhex("0b0001ffffffff"), Protocol::kBinary) ==
        "malformed value at byte 13");
  CHECK(measure_error(envelope + unhex("0f000108ffffffff"), Protocol::kBinary) ==
        "malformed value at byte 13");
  CHECK(measure_error(envelope + unhex("0f00010100000001"), Protocol::kBinary) ==
        "invalid wire type 1 at byte 13");
  CHECK(measure_error(unhex("8241") + "\x01\x01M" + "\x1f", Protocol::kCompact) ==
        "malformed field header at byte 5");  // compact type code 15 is invalid

  // Nesting: struct in struct in ... ; the message struct is level 1.
  std::string nested = envelope;
  for (int i = 0; i < 5; ++i) nested += unhex("0c0001");
  nested += std::string(6, '\0');
  CHECK(measured(nested, Protocol::kBinary, 6) == nested.size());
  CHECK(measure_error(nested, Protocol::kBinary, 5) == "message nests deeper than 5");

  // A string announcing more than the limit fails before its bytes arrive.
  CHECK(measure_error(envelope + unhex("0b00010000ffff"), Protocol::kBinary, 64, 1000) ==
        "message of at least 65555 bytes exceeds the limit of 1000");
  // So does a message that simply has not ended within the limit.
  std::string endless = envelope;
  for (int i = 0; i < 100; ++i) endless += unhex("080001") + "abcd";
  CHECK(measure_error(endless, Protocol::kBinary, 64, 200) ==
        "message of at least 201 bytes exceeds the limit of 200");
  CHECK_FALSE(measured(std::string_view(endless).substr(0, 150), Protocol::kBinary, 64, 200));
}

TEST_CASE("a container announcing 2^31 elements is not walked while its bytes are missing",
          "[codec][framing]") {
  const std::string envelope = unhex("80010002000000014d00000001");
  // list<struct> of 2^31-1 empty structs (one byte each), three present.
  std::string huge_list = envelope + unhex("0f00010c7fffffff") + std::string(3, '\0');
  CHECK_FALSE(measured(huge_list, Protocol::kBinary, 64, SIZE_MAX));
  MessageMeasurer measurer(Protocol::kBinary, 64, SIZE_MAX);
  REQUIRE(measurer.resume(huge_list).ok());
  CHECK(measurer.at_least() == 21 + size_t{0x7fffffff});
  // With a realistic limit it is an error straight away.
  CHECK(measure_error(huge_list, Protocol::kBinary, 64, 16 << 20) ==
        "message of at least 2147483668 bytes exceeds the limit of 16777216");
  // map<bool,bool> in compact: 2 bytes per entry.
  std::string compact_map =
      unhex("8241") + "\x01\x01M" + unhex("1b") + unhex("ffffffff07") + unhex("11") + "\x01\x01";
  CHECK_FALSE(measured(compact_map, Protocol::kCompact, 64, SIZE_MAX));
}
