// Message envelopes: calls (SPEC §3.1 argument conventions) and replies (SPEC §3.3 kinds).
#include <catch2/catch.hpp>

#include "codec_test_util.hpp"
#include "compiled_codec.hpp"
#include "opp/codec/framing.hpp"
#include "schema_fixture.hpp"

using namespace opp::codec;
using namespace opp::codec::test;
using opp::idl::Requiredness;
using opp::idl::StructDescriptor;

namespace {

struct Service {
  SchemaFixture fx;
  StructDescriptor* req = fx.structure("PayReq");
  StructDescriptor* resp = fx.structure("PayResp");
  StructDescriptor* biz_error = fx.structure("BizError", StructDescriptor::Kind::kException);
  StructDescriptor* pay_args = fx.structure("Svc_Pay_args");
  StructDescriptor* pay_result = fx.structure("Svc_Pay_result");
  StructDescriptor* ping_args = fx.structure("Svc_Ping_args");
  StructDescriptor* ping_result = fx.structure("Svc_Ping_result");
  StructDescriptor* bye_args = fx.structure("Svc_Bye_args");
  StructDescriptor* bye_result = fx.structure("Svc_Bye_result");
  opp::idl::FunctionDescriptor* pay;
  opp::idl::FunctionDescriptor* ping;
  opp::idl::FunctionDescriptor* bye;

  Service() {
    fx.field(req, 1, "amount", fx.base(TypeKind::kI64), Requiredness::kRequired);
    fx.field(resp, 1, "id", fx.base(TypeKind::kString));
    fx.field(biz_error, 1, "code", fx.base(TypeKind::kI32));
    fx.field(biz_error, 2, "message", fx.base(TypeKind::kString));
    fx.field(pay_args, 1, "req", fx.of(req));
    fx.field(pay_result, 0, "success", fx.of(resp), Requiredness::kOptional);
    fx.field(pay_result, 1, "e", fx.of(biz_error), Requiredness::kOptional);
    pay = fx.function("Pay", pay_args, pay_result, fx.of(resp));
    pay->exceptions.push_back(&pay_result->fields[1]);

    fx.field(ping_args, 1, "s", fx.base(TypeKind::kString));
    fx.field(ping_args, 2, "n", fx.base(TypeKind::kI32));
    fx.field(ping_result, 0, "success", fx.base(TypeKind::kI32), Requiredness::kOptional);
    ping = fx.function("Ping", ping_args, ping_result, fx.base(TypeKind::kI32));

    bye = fx.function("Bye", bye_args, bye_result, fx.base(TypeKind::kVoid));
    bye->oneway = true;
  }
  std::vector<const StructDescriptor*> roots() {
    return {pay_args, pay_result, ping_args, ping_result, bye_args, bye_result};
  }
};

}  // namespace

TEST_CASE("a single struct argument takes the struct's JSON directly", "[codec][message]") {
  Service s;
  auto compiled = compile_codec(s.roots());
  const Codec& codec = *compiled;
  std::string out;
  REQUIRE(codec.encode_call(*s.pay, 7, R"({"amount":5})", {}, out).ok());
  CHECK(hex(out) ==
        "80010001"
        "00000003"
        "506179"
        "00000007"  // CALL "Pay" seqid 7
        "0c0001"
        "0a00010000000000000005"
        "00"  // req {amount: 5}
        "00");
  out.clear();
  auto r = codec.encode_call(*s.pay, 7, R"({"req":{"amount":5}})", {}, out);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message == "biz_params.amount: missing required field");
}

TEST_CASE("other functions take an object keyed by argument name", "[codec][message]") {
  Service s;
  auto compiled = compile_codec(s.roots());
  const Codec& codec = *compiled;
  std::string out;
  REQUIRE(codec.encode_call(*s.ping, 1, R"({"s":"x","n":2})", {}, out).ok());
  CHECK(hex(out) ==
        "80010001"
        "00000004"
        "50696e67"
        "00000001"
        "0b0001"
        "0000000178"
        "080002"
        "00000002"
        "00");
  EncodeOptions compact;
  compact.protocol = Protocol::kCompact;
  out.clear();
  REQUIRE(codec.encode_call(*s.ping, 300, R"({"n":2})", compact, out).ok());
  // 0x82, version 1 | CALL<<5, varint seqid 300, name; n: delta 2 type i32, zigzag(2)=4
  CHECK(hex(out) ==
        "8221"
        "ac02"
        "04"
        "50696e67"
        "25"
        "04"
        "00");
}

TEST_CASE("oneway calls and functions without arguments", "[codec][message]") {
  Service s;
  auto compiled = compile_codec(s.roots());
  const Codec& codec = *compiled;
  for (const char* json : {"", "{}"}) {
    std::string out;
    REQUIRE(codec.encode_call(*s.bye, 2, json, {}, out).ok());
    CHECK(hex(out) ==
          "80010004"
          "00000003"
          "427965"
          "00000002"
          "00");
  }
}

TEST_CASE("replies: success values, declared exceptions, application exceptions",
          "[codec][message]") {
  Service s;
  auto compiled = compile_codec(s.roots());
  const Codec& codec = *compiled;
  const std::string head =
      "80010002"
      "00000003"
      "506179"
      "00000009";
  std::string json;
  auto r = codec.decode_reply(*s.pay,
                              unhex(head + "0c0000"
                                           "0b000100000002"
                                           "6869"
                                           "00"
                                           "00"),
                              {}, json);
  REQUIRE(r.ok());
  CHECK(r->kind == Reply::Kind::kSuccess);
  CHECK(r->seqid == 9);
  CHECK(json == R"({"id":"hi"})");

  json.clear();
  r = codec.decode_reply(*s.pay,
                         unhex(head + "0c0001"
                                      "08000100004e25"
                                      "0b000200000003"
                                      "6e6f21"
                                      "00"
                                      "00"),
                         {}, json);
  REQUIRE(r.ok());
  CHECK(r->kind == Reply::Kind::kDeclaredException);
  CHECK(r->exception == &s.pay_result->fields[1]);
  CHECK(static_cast<int32_t>(r->err_code) == 20005);
  CHECK(r->err_message == "no!");
  CHECK(json == R"({"code":20005,"message":"no!"})");

  json.clear();
  r = codec.decode_reply(*s.pay,
                         unhex(head + "0c0001"
                                      "080001"
                                      "00000005"
                                      "00"
                                      "00"),
                         {}, json);
  REQUIRE(r.ok());
  CHECK(static_cast<int32_t>(r->err_code) == 20000);
  CHECK(r->err_message == "BizError");

  json.clear();
  const std::string exc =
      "80010003"
      "00000003"
      "506179"
      "00000009";
  r = codec.decode_reply(*s.pay,
                         unhex(exc + "0b000100000004"
                                     "6f6f7073"
                                     "080002"
                                     "00000006"
                                     "00"),
                         {}, json);
  REQUIRE(r.ok());
  CHECK(r->kind == Reply::Kind::kApplicationException);
  CHECK(r->application_error_type == 6);
  CHECK(r->application_error_message == "oops");
}

TEST_CASE("replies of scalar and void functions", "[codec][message]") {
  Service s;
  auto compiled = compile_codec(s.roots());
  const Codec& codec = *compiled;
  std::string json;
  auto r = codec.decode_reply(*s.ping,
                              unhex("80010002"
                                    "00000004"
                                    "50696e67"
                                    "00000001"
                                    "080000"
                                    "0000002a"
                                    "00"),
                              {}, json);
  REQUIRE(r.ok());
  CHECK(json == "42");

  json.clear();
  r = codec.decode_reply(*s.ping,
                         unhex("80010002"
                               "00000004"
                               "50696e67"
                               "00000001"
                               "00"),
                         {}, json);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message == "data: reply carries no result");

  json.clear();
  r = codec.decode_reply(*s.bye,
                         unhex("80010002"
                               "00000003"
                               "427965"
                               "00000001"
                               "00"),
                         {}, json);
  REQUIRE(r.ok());
  CHECK(json == "{}");
}

TEST_CASE("malformed replies", "[codec][message]") {
  Service s;
  auto compiled = compile_codec(s.roots());
  const Codec& codec = *compiled;
  std::string json = "prefix";
  auto r = codec.decode_reply(*s.ping,
                              unhex("00000004"
                                    "50696e67"),
                              {}, json);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == opp::ErrorCode::kResponseUnableParse);
  CHECK(r.error().message == "data: malformed message header");
  CHECK(json == "prefix");
  r = codec.decode_reply(*s.ping,
                         unhex("80010002"
                               "00000003"
                               "427965"
                               "00000001"
                               "00"),
                         {}, json);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message == R"(data: reply names method "Bye", expected "Ping")");
  r = codec.decode_reply(*s.ping,
                         unhex("80010001"
                               "00000004"
                               "50696e67"
                               "00000001"
                               "00"),
                         {}, json);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message == "data: unexpected message type 1");
  r = codec.decode_reply(*s.ping,
                         unhex("80010002"
                               "00000004"
                               "50696e67"
                               "00000001"
                               "080000"
                               "0000002a"
                               "00"
                               "00"),
                         {}, json);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message == "data: 1 trailing bytes after the reply");
}

TEST_CASE("framing writes and reads a big-endian length", "[codec][message]") {
  std::string out = "x";
  size_t at = begin_frame(out);
  out += "hello";
  end_frame(out, at);
  CHECK(hex(out) ==
        "78"
        "00000005"
        "68656c6c6f");
  CHECK(frame_length(std::string_view(out).substr(1)) == 5u);
  CHECK_FALSE(frame_length("abc").has_value());
}
