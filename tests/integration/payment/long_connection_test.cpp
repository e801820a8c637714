// One connection must carry any amount of data: the gateway keeps its upstream connections
// for hours, and Apache Thrift 0.17's stock servers stop reading a connection after about
// 100 MB (THRIFT-5371). Every transport and protocol opp-payment offers is driven past
// 200 MB over one connection, and every call must be answered.
//
// Business fields are bounded (subject: 256 bytes), so the bytes travel as an extra field
// of the call's arguments, unknown to the server, which reads and skips it like any unknown
// field. The padding is made of what each protocol charges to the transport's budget:
// strings in TBinaryProtocol (only those TBufferedTransport holds whole in its 512-byte
// buffer, hence short ones), varints in TCompactProtocol (it reads strings around the
// budget), here 10-byte i64s.
#include <catch2/catch.hpp>

#include <thrift/protocol/TProtocol.h>
#include <thrift/transport/TTransport.h>

#include <cstdint>
#include <limits>
#include <string>

#include "payment_server.hpp"

using namespace opp::payment::testing;
namespace at = ::apache::thrift;

namespace {

constexpr int kCalls = 200;
constexpr long long kPaddingBytes = 1 << 20;  // per call: 200 calls x 1 MiB = 210 MB
constexpr int kStringBytes = 64;
constexpr int kVarintBytes = 10;  // INT64_MIN, zigzag-encoded

/// Sends QueryOrder(req) with about kPaddingBytes of padding as field 99 of the arguments.
void send_padded_query(at::protocol::TProtocol& out, const gen::QueryOrderReq& req, bool compact) {
  static const std::string text(kStringBytes, 'p');
  out.writeMessageBegin("QueryOrder", at::protocol::T_CALL, 0);
  out.writeStructBegin("PaymentSvc_QueryOrder_args");
  out.writeFieldBegin("req", at::protocol::T_STRUCT, 1);
  req.write(&out);
  out.writeFieldEnd();
  out.writeFieldBegin("padding", at::protocol::T_LIST, 99);
  if (compact) {
    const auto count = static_cast<uint32_t>(kPaddingBytes / kVarintBytes);
    out.writeListBegin(at::protocol::T_I64, count);
    for (uint32_t i = 0; i < count; ++i) out.writeI64(std::numeric_limits<int64_t>::min());
  } else {
    const auto count = static_cast<uint32_t>(kPaddingBytes / kStringBytes);
    out.writeListBegin(at::protocol::T_STRING, count);
    for (uint32_t i = 0; i < count; ++i) out.writeString(text);
  }
  out.writeListEnd();
  out.writeFieldEnd();
  out.writeFieldStop();
  out.writeStructEnd();
  out.writeMessageEnd();
  out.getTransport()->writeEnd();
  out.getTransport()->flush();
}

}  // namespace

TEST_CASE("payment: one connection carries over 200 MB on every transport and protocol",
          "[payment][integration]") {
  const std::string transport = GENERATE("framed", "buffered");
  const std::string protocol = GENERATE("binary", "compact");
  INFO(transport << " transport, " << protocol << " protocol");
  PaymentServerProcess server({transport, protocol, 2});
  server.start();
  auto client = server.connect();

  gen::QRPayReq pay;
  pay.__set_merchant_id("m1");
  pay.__set_out_order_no("long-lived");
  pay.__set_total_amount(42);
  pay.__set_auth_code("6212345678901234");
  gen::QRPayResp paid;
  client->QRPay(paid, pay);
  REQUIRE(paid.order_status == 1);

  gen::QueryOrderReq query;
  query.__set_merchant_id("m1");
  query.__set_out_order_no("long-lived");
  long long sent = 0;
  int answered = 0;
  for (int call = 0; call < kCalls; ++call) {
    gen::QueryOrderResp order;
    try {
      send_padded_query(*client.svc->getOutputProtocol(), query, protocol == "compact");
      client.svc->recv_QueryOrder(order);
    } catch (const std::exception& e) {
      FAIL("call " << call << " failed after " << sent << " bytes on the connection: " << e.what()
                   << "\nserver log:\n"
                   << server.log());
    }
    sent += kPaddingBytes;
    if (order.out_order_no == "long-lived" && order.order_status == 1) ++answered;
  }
  CHECK(answered == kCalls);
  CHECK(sent > 200'000'000);

  // The same connection still serves ordinary calls.
  gen::QueryOrderResp after;
  client->QueryOrder(after, query);
  CHECK(after.total_amount == 42);
  CHECK(server.stop() == 0);
}
