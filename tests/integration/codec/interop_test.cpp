// Interop with Apache Thrift 0.17 generated C++: bytes the codec writes are read by the
// generated code and compared field by field, and bytes the generated code writes are
// decoded by the codec and compared as JSON; for TBinaryProtocol and TCompactProtocol.
#include <thrift/protocol/TBinaryProtocol.h>
#include <thrift/protocol/TCompactProtocol.h>
#include <thrift/transport/TBufferTransports.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include "CodecTest.h"
#include "all_types_types.h"
#include "codec_test_util.hpp"
#include "compiled_codec.hpp"
#include "opp/codec/codec.hpp"
#include "opp/idl/loader.hpp"

using namespace opp::codec;
using apache::thrift::protocol::TBinaryProtocol;
using apache::thrift::protocol::TCompactProtocol;
using apache::thrift::protocol::TProtocol;
using apache::thrift::transport::TMemoryBuffer;

namespace {

struct Loaded {
  std::shared_ptr<const opp::idl::Schema> schema;
  std::shared_ptr<const Codec> codec;
  const opp::idl::StructDescriptor* all = nullptr;
  const opp::idl::ServiceDescriptor* service = nullptr;
};

const Loaded& loaded() {
  static Loaded l = [] {
    Loaded x;
    auto r = opp::idl::load_idl_file(OPP_SOURCE_DIR "/tests/data/codec/all_types.thrift");
    if (!r.schema) throw std::runtime_error(r.errors.at(0).to_string());
    x.schema = r.schema;
    x.codec = opp::codec::test::compile_codec(r.schema);
    x.all = r.schema->find_struct("AllTypes");
    x.service = r.schema->root().find_service("CodecTest");
    return x;
  }();
  return l;
}

const opp::idl::FunctionDescriptor& function(const char* name) {
  return *loaded().service->find_function(name);
}

codec_test::Inner inner(int32_t a, std::string b) {
  codec_test::Inner i;
  i.a = a;
  i.__set_b(std::move(b));
  return i;
}

codec_test::AllTypes make_all() {
  codec_test::AllTypes a;
  a.__set_b(true);
  a.__set_i8v(-5);
  a.__set_i16v(300);
  a.__set_i32v(-70000);
  a.__set_i64v(1234567890123);
  a.__set_d(-0.25);
  a.__set_s("h\xc3\xa9\"\\\n\x01/");
  a.__set_bin(std::string("\x00\x01\x02\xff", 4));
  a.__set_color(codec_test::Color::GREEN);
  a.__set_li({1, 2, 3});
  a.__set_ss({"a", "b"});
  a.__set_msi({{"k", -1}});
  a.__set_mis({{3, "x"}});
  a.__set_mci({{codec_test::Color::RED, inner(1, "y")}});
  a.__set_inner(inner(9, "z"));
  a.__set_nested({{inner(1, "q")}, {}});
  codec_test::Choice c;
  c.__set_s("w");
  a.__set_choice(c);
  a.__set_opt(8);
  a.__set_dflt(1);
  a.__set_req("r");
  a.__set_js(77);
  a.__set_mil({{-5, {"p", "q"}}});
  a.__set_lb({true, false});
  a.__set_si16({-1, 2});
  a.__set_mbd({{-1, 2.5}});
  a.__set_lbin({std::string("\0", 1), ""});
  a.__set_opt_inner(inner(3, ""));
  a.__set_flag(false);
  a.__set_dd(2.25);
  a.__set_ldef({});
  a.__set_keyed("k");
  a.__set_mbs({{true, "t"}, {false, "f"}});
  return a;
}

const std::string kAllJson =
    R"({"b":true,"i8v":-5,"i16v":300,"i32v":-70000,"i64v":1234567890123,"d":-0.25,)"
    R"("s":"h\u00e9\"\\\n\u0001/","bin":"AAEC/w==","color":2,"li":[1,2,3],"ss":["a","b"],)"
    R"("msi":{"k":-1},"mis":{"3":"x"},"mci":{"1":{"a":1,"b":"y"}},"inner":{"a":9,"b":"z"},)"
    R"("nested":[[{"a":1,"b":"q"}],[]],"choice":{"s":"w"},"opt":8,"dflt":1,"req":"r",)"
    R"("js":"77","mil":{"-5":["p","q"]},"lb":[true,false],"si16":[-1,2],"mbd":{"-1":2.5},)"
    R"("lbin":["AA==",""],"opt_inner":{"a":3,"b":""},"flag":false,"dd":2.25,"ldef":[],)"
    R"("renamed":"k","mbs":{"true":"t","false":"f"}})";

std::shared_ptr<TProtocol> protocol_for(Protocol p, std::shared_ptr<TMemoryBuffer> buffer) {
  if (p == Protocol::kCompact) return std::make_shared<TCompactProtocol>(buffer);
  return std::make_shared<TBinaryProtocol>(buffer);
}

template <class T>
T read_generated(Protocol p, const std::string& bytes) {
  auto buffer =
      std::make_shared<TMemoryBuffer>(reinterpret_cast<uint8_t*>(const_cast<char*>(bytes.data())),
                                      static_cast<uint32_t>(bytes.size()));
  T value;
  value.read(protocol_for(p, buffer).get());
  CHECK(buffer->available_read() == 0);
  return value;
}

template <class T>
std::string write_generated(Protocol p, const T& value) {
  auto buffer = std::make_shared<TMemoryBuffer>();
  value.write(protocol_for(p, buffer).get());
  return buffer->getBufferAsString();
}

const char* name_of(Protocol p) {
  return p == Protocol::kCompact ? "compact" : "binary";
}

}  // namespace

TEST_CASE("codec-written AllTypes reads back in generated code", "[codec][interop]") {
  for (Protocol p : {Protocol::kBinary, Protocol::kCompact}) {
    INFO(name_of(p));
    EncodeOptions options;
    options.protocol = p;
    std::string bytes;
    auto r = loaded().codec->encode_struct(kAllJson, *loaded().all, options, bytes);
    REQUIRE(r.ok());
    auto value = read_generated<codec_test::AllTypes>(p, bytes);
    CHECK(value == make_all());
    CHECK(value.mbs == make_all().mbs);
    CHECK(value.nested == make_all().nested);
  }
}

TEST_CASE("generated-written AllTypes decodes to the same JSON", "[codec][interop]") {
  for (Protocol p : {Protocol::kBinary, Protocol::kCompact}) {
    INFO(name_of(p));
    DecodeOptions options;
    options.protocol = p;
    std::string json;
    auto r =
        loaded().codec->decode_struct(write_generated(p, make_all()), *loaded().all, options, json);
    REQUIRE(r.ok());
    CHECK(opp::codec::test::same_json(json, kAllJson));
  }
}

TEST_CASE("IDL defaults match the generated constructors", "[codec][interop]") {
  for (Protocol p : {Protocol::kBinary, Protocol::kCompact}) {
    INFO(name_of(p));
    EncodeOptions options;
    options.protocol = p;
    std::string bytes;
    REQUIRE(
        loaded()
            .codec->encode_struct(R"({"req":"r","inner":{"a":1}})", *loaded().all, options, bytes)
            .ok());
    auto value = read_generated<codec_test::AllTypes>(p, bytes);
    codec_test::AllTypes expected;
    expected.__set_req("r");
    expected.__set_inner(inner(1, "dflt"));
    CHECK(value.dflt == 42);
    CHECK(value.flag == true);
    CHECK(value.dd == 1.5);
    CHECK(value.ldef == std::vector<int32_t>{1, 2, 3});
    // Optional: not written even with a default (generated constructors mark it set, so
    // look at the bytes rather than at __isset).
    std::string json;
    DecodeOptions dopt;
    dopt.protocol = p;
    REQUIRE(loaded().codec->decode_struct(bytes, *loaded().all, dopt, json).ok());
    CHECK(json.find(R"("opt")") == std::string::npos);
    CHECK(json.find(R"("dflt":42)") != std::string::npos);
    CHECK(value.inner == expected.inner);
  }
}

TEST_CASE("calls written by the codec are read by generated args", "[codec][interop]") {
  for (Protocol p : {Protocol::kBinary, Protocol::kCompact}) {
    INFO(name_of(p));
    EncodeOptions options;
    options.protocol = p;
    std::string bytes;
    REQUIRE(loaded().codec->encode_call(function("Echo"), 17, kAllJson, options, bytes).ok());
    auto buffer = std::make_shared<TMemoryBuffer>(reinterpret_cast<uint8_t*>(bytes.data()),
                                                  static_cast<uint32_t>(bytes.size()));
    auto proto = protocol_for(p, buffer);
    std::string name;
    apache::thrift::protocol::TMessageType type;
    int32_t seqid;
    proto->readMessageBegin(name, type, seqid);
    CHECK(name == "Echo");
    CHECK(type == apache::thrift::protocol::T_CALL);
    CHECK(seqid == 17);
    codec_test::CodecTest_Echo_args args;
    args.read(proto.get());
    CHECK(args.req == make_all());

    bytes.clear();
    REQUIRE(loaded()
                .codec->encode_call(function("Add"), 3, R"({"a":40,"b":"2"})", options, bytes)
                .ok());
    buffer->resetBuffer(reinterpret_cast<uint8_t*>(bytes.data()),
                        static_cast<uint32_t>(bytes.size()));
    proto->readMessageBegin(name, type, seqid);
    codec_test::CodecTest_Add_args add;
    add.read(proto.get());
    CHECK(add.a == 40);
    CHECK(add.b == 2);

    bytes.clear();
    REQUIRE(loaded().codec->encode_call(function("Fire"), 4, R"({"s":"x"})", options, bytes).ok());
    buffer->resetBuffer(reinterpret_cast<uint8_t*>(bytes.data()),
                        static_cast<uint32_t>(bytes.size()));
    proto->readMessageBegin(name, type, seqid);
    CHECK(type == apache::thrift::protocol::T_ONEWAY);
  }
}

TEST_CASE("replies written by generated code decode to their kinds", "[codec][interop]") {
  for (Protocol p : {Protocol::kBinary, Protocol::kCompact}) {
    INFO(name_of(p));
    DecodeOptions options;
    options.protocol = p;
    auto write_reply = [&](auto&& result, apache::thrift::protocol::TMessageType type,
                           const char* name) {
      auto buffer = std::make_shared<TMemoryBuffer>();
      auto proto = protocol_for(p, buffer);
      proto->writeMessageBegin(name, type, 5);
      result.write(proto.get());
      proto->writeMessageEnd();
      return buffer->getBufferAsString();
    };

    codec_test::CodecTest_Echo_presult unused;
    (void)unused;
    codec_test::CodecTest_Echo_result ok;
    ok.success = make_all();
    ok.__isset.success = true;
    std::string json;
    auto r = loaded().codec->decode_reply(
        function("Echo"), write_reply(ok, apache::thrift::protocol::T_REPLY, "Echo"), options,
        json);
    REQUIRE(r.ok());
    CHECK(r->kind == Reply::Kind::kSuccess);
    CHECK(r->seqid == 5);
    CHECK(opp::codec::test::same_json(json, kAllJson));

    codec_test::CodecTest_Echo_result failed;
    failed.e.code = 20042;
    failed.e.message = "nope";
    failed.__isset.e = true;
    json.clear();
    r = loaded().codec->decode_reply(function("Echo"),
                                     write_reply(failed, apache::thrift::protocol::T_REPLY, "Echo"),
                                     options, json);
    REQUIRE(r.ok());
    CHECK(r->kind == Reply::Kind::kDeclaredException);
    CHECK(static_cast<int32_t>(r->err_code) == 20042);
    CHECK(r->err_message == "nope");
    CHECK(json == R"({"code":20042,"message":"nope"})");

    apache::thrift::TApplicationException app(apache::thrift::TApplicationException::UNKNOWN_METHOD,
                                              "no such method");
    json.clear();
    r = loaded().codec->decode_reply(
        function("Echo"), write_reply(app, apache::thrift::protocol::T_EXCEPTION, "Echo"), options,
        json);
    REQUIRE(r.ok());
    CHECK(r->kind == Reply::Kind::kApplicationException);
    CHECK(r->application_error_type == apache::thrift::TApplicationException::UNKNOWN_METHOD);
    CHECK(r->application_error_message == "no such method");

    codec_test::CodecTest_Add_result sum;
    sum.success = 42;
    sum.__isset.success = true;
    json.clear();
    r = loaded().codec->decode_reply(
        function("Add"), write_reply(sum, apache::thrift::protocol::T_REPLY, "Add"), options, json);
    REQUIRE(r.ok());
    CHECK(json == "42");

    codec_test::CodecTest_Ping_result pong;
    json.clear();
    r = loaded().codec->decode_reply(function("Ping"),
                                     write_reply(pong, apache::thrift::protocol::T_REPLY, "Ping"),
                                     options, json);
    REQUIRE(r.ok());
    CHECK(json == "{}");
  }
}
