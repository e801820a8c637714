// libFuzzer target: the merchant request path as far as it goes without a network — an
// HTTP body (form or JSON, chosen by the first byte) → params → envelope checks →
// `method` and `biz_params` against idl/payment.thrift → the Thrift call message.
// Oracles: every failure is a stable 10001/10002/10004 error with a message; whatever
// transcodes is one complete Thrift message whose arguments decode again.
#include <cstddef>
#include <cstdint>
#include <string>

#include "gateway/pipeline/route.hpp"
#include "gateway/pipeline/transcode.hpp"
#include "gateway/request/envelope.hpp"
#include "gateway/request/request_params.hpp"
#include "opp/catalog/catalog.hpp"
#include "opp/codec/framing.hpp"

namespace {

const opp::catalog::Snapshot& snapshot() {
  static std::shared_ptr<const opp::catalog::Snapshot> s =
      opp::catalog::scan(OPP_SOURCE_DIR "/idl");
  if (!s->find_service("payment")) __builtin_trap();
  return *s;
}

void expect_error(const opp::Error& error) {
  const auto code = static_cast<int32_t>(error.code);
  if (code != 10001 && code != 10002 && code != 10004) __builtin_trap();
  if (error.sub_code.empty() || error.message.empty()) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const bool json = data[0] & 1;
  const auto protocol =
      (data[0] & 2) ? opp::codec::Protocol::kCompact : opp::codec::Protocol::kBinary;
  std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);

  auto params = opp::gateway::request::parse_request_params(
      json ? "application/json" : "application/x-www-form-urlencoded", body);
  if (!params) return expect_error(params.error()), 0;
  auto envelope = opp::gateway::request::check_envelope(*params);
  if (!envelope) return expect_error(envelope.error()), 0;

  const opp::catalog::ServiceEntry& service = *snapshot().find_service("payment");
  auto function = opp::gateway::pipeline::resolve_method(service, envelope->method);
  if (!function) return expect_error(function.error()), 0;

  opp::gateway::pipeline::TranscodeInput input;
  input.service = &service;
  input.function = *function;
  input.biz_params = envelope->biz_params;
  input.merchant_id = envelope->merchant_id;
  input.protocol = protocol;
  input.seqid = 7;
  std::string message = "prefix";
  auto encoded = opp::gateway::pipeline::transcode(input, message);
  if (!encoded) {
    expect_error(encoded.error());
    if (message != "prefix") __builtin_trap();  // output restored on error
    return 0;
  }
  std::string_view call(message);
  call.remove_prefix(6);
  auto length = opp::codec::measure_message(call, protocol, 64, 1 << 24);
  if (!length || !*length || **length != call.size()) __builtin_trap();
  auto header = opp::codec::read_message_header(call, protocol);
  if (!header || header->seqid != 7 || header->name != (*function)->name) __builtin_trap();
  return 0;
}
