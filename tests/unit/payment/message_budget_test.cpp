// PerMessageBufferedTransport: the read budget (TConfiguration maxMessageSize) bounds one
// message, not a connection's lifetime (THRIFT-5371). A small budget makes the difference
// show within a few kilobytes; the integration tests drive 200 MB through the real server.
#include <catch2/catch.hpp>

#include <thrift/TConfiguration.h>
#include <thrift/protocol/TBinaryProtocol.h>
#include <thrift/protocol/TCompactProtocol.h>
#include <thrift/transport/TBufferTransports.h>

#include <cstdint>
#include <limits>
#include <memory>
#include <string>

#include "payment/server/message_budget.hpp"

using namespace opp::payment;
namespace at = ::apache::thrift;

namespace {

constexpr int kBudget = 4096;
constexpr int kMessages = 40;           // 10 budgets' worth in all ...
constexpr int kBytesPerMessage = 1024;  // ... a quarter of one per message

std::shared_ptr<at::protocol::TProtocol> protocol_on(
    const std::string& kind, std::shared_ptr<at::transport::TTransport> transport) {
  if (kind == "compact") return std::make_shared<at::protocol::TCompactProtocol>(transport);
  return std::make_shared<at::protocol::TBinaryProtocol>(transport);
}

/// kMessages calls, each a struct holding a list of about kBytesPerMessage, as a client
/// sends them. The values are the kind each protocol charges to the budget: strings in
/// TBinaryProtocol (64 bytes each), varints in TCompactProtocol (i64s of 10 bytes each).
std::shared_ptr<at::transport::TMemoryBuffer> wire(const std::string& protocol) {
  auto buffer = std::make_shared<at::transport::TMemoryBuffer>();
  auto out = protocol_on(protocol, buffer);
  const bool compact = protocol == "compact";
  const int values = kBytesPerMessage / (compact ? 10 : 64);
  const std::string text(64, 'x');
  for (int i = 0; i < kMessages; ++i) {
    out->writeMessageBegin("Echo", at::protocol::T_CALL, i);
    out->writeStructBegin("args");
    out->writeFieldBegin("values", at::protocol::T_LIST, 1);
    out->writeListBegin(compact ? at::protocol::T_I64 : at::protocol::T_STRING, values);
    for (int v = 0; v < values; ++v) {
      if (compact) {
        out->writeI64(std::numeric_limits<int64_t>::min());
      } else {
        out->writeString(text);
      }
    }
    out->writeListEnd();
    out->writeFieldEnd();
    out->writeFieldStop();
    out->writeStructEnd();
    out->writeMessageEnd();
  }
  return buffer;
}

/// Reads messages through `transport` the way a generated processor does (message, body,
/// readMessageEnd, readEnd); returns how many were read before the transport refused.
int readable_messages(const std::string& protocol,
                      std::shared_ptr<at::transport::TTransport> transport) {
  auto in = protocol_on(protocol, transport);
  int read = 0;
  try {
    for (; read < kMessages; ++read) {
      std::string name;
      at::protocol::TMessageType type;
      int32_t seqid = 0;
      in->readMessageBegin(name, type, seqid);
      in->skip(at::protocol::T_STRUCT);
      in->readMessageEnd();
      transport->readEnd();
    }
  } catch (const at::transport::TTransportException&) {
    // "MaxMessageSize reached": the connection is done for
  }
  return read;
}

}  // namespace

TEST_CASE("payment server: the buffered transport gives every message the full read budget",
          "[payment][server]") {
  const std::string protocol = GENERATE("binary", "compact");
  INFO(protocol);
  auto config = std::make_shared<at::TConfiguration>(kBudget);

  PerMessageBufferedTransportFactory factory(config);
  CHECK(readable_messages(protocol, factory.getTransport(wire(protocol))) == kMessages);

  // Thrift's own TBufferedTransport gives up within the first budget: the reason for ours.
  auto stock = std::make_shared<at::transport::TBufferedTransport>(wire(protocol), config);
  CHECK(readable_messages(protocol, stock) < kMessages / 4);
}

TEST_CASE("payment server: one message over the budget is still refused", "[payment][server]") {
  // The limit keeps its purpose: it bounds what a single message may make the server read.
  const std::string protocol = GENERATE("binary", "compact");
  INFO(protocol);
  auto config = std::make_shared<at::TConfiguration>(kBytesPerMessage / 2);
  PerMessageBufferedTransportFactory factory(config);
  CHECK(readable_messages(protocol, factory.getTransport(wire(protocol))) == 0);
}
