// The upstream client against the real opp-payment binary: a QueryOrder call encoded by
// the codec from idl/payment.thrift, sent over both wire formats, decoded back to JSON.
#include <catch2/catch.hpp>

#include <rapidjson/document.h>

#include "opp/codec/codec.hpp"
#include "opp/idl/loader.hpp"
#include "payment_server.hpp"
#include "upstream_test_support.hpp"

using namespace opp::gateway;
using namespace opp::gateway::testing;

namespace {

struct PaymentIdl {
  std::shared_ptr<const opp::idl::Schema> schema;
  std::shared_ptr<const opp::codec::Codec> codec;
  const opp::idl::FunctionDescriptor* query_order = nullptr;

  PaymentIdl() {
    auto loaded = opp::idl::load_idl_file(std::string(OPP_SOURCE_DIR) + "/idl/payment.thrift");
    REQUIRE(loaded.schema);
    schema = loaded.schema;
    auto compiled = opp::codec::Codec::compile(schema);
    REQUIRE(compiled);
    codec = *compiled;
    for (const auto& fn : schema->root().services.back()->functions)
      if (fn->name == "QueryOrder") query_order = fn.get();
    REQUIRE(query_order);
  }

  upstream::CallRequest query(const std::string& out_order_no, int32_t seqid,
                              opp::codec::Protocol protocol) const {
    opp::codec::EncodeOptions options;
    options.protocol = protocol;
    options.bound_key = "merchant_id";
    options.bound_value = "m1";
    upstream::CallRequest request;
    REQUIRE(codec
                ->encode_call(*query_order, seqid, R"({"out_order_no":")" + out_order_no + "\"}",
                              options, request.message)
                .ok());
    request.seqid = seqid;
    request.protocol = protocol;
    return request;
  }
};

}  // namespace

TEST_CASE("QueryOrder through the upstream client to opp-payment", "[upstream][payment]") {
  struct Wire {
    const char* transport;
    const char* protocol;
  };
  auto wire = GENERATE(Wire{"framed", "binary"}, Wire{"buffered", "compact"});
  INFO(wire.transport << " " << wire.protocol);
  opp::payment::testing::PaymentServerProcess::Options server_options;
  server_options.transport = wire.transport;
  server_options.protocol = wire.protocol;
  opp::payment::testing::PaymentServerProcess server(server_options);
  server.start();
  {  // an order to query, made with the generated client
    auto client = server.connect();
    opp::payment::testing::gen::QRPayReq req;
    req.__set_merchant_id("m1");
    req.__set_out_order_no("UP-1");
    req.__set_total_amount(4200);
    req.__set_auth_code("6212345678901234");
    opp::payment::testing::gen::QRPayResp resp;
    client->QRPay(resp, req);
    REQUIRE(resp.order_status == 1);
  }

  PaymentIdl idl;
  const auto protocol = std::string(wire.protocol) == "compact" ? opp::codec::Protocol::kCompact
                                                                : opp::codec::Protocol::kBinary;
  IoThreads io(2);
  auto cfg = upstream_config({{"127.0.0.1", static_cast<uint16_t>(server.port())}});
  cfg.transport = std::string(wire.transport) == "buffered" ? config::Transport::kBuffered
                                                            : config::Transport::kFramed;
  cfg.protocol = protocol == opp::codec::Protocol::kCompact ? config::Protocol::kCompact
                                                            : config::Protocol::kBinary;
  cfg.timeout_ms = 10000;
  upstream::UpstreamClient client(cfg, io.pointers());

  opp::codec::DecodeOptions decode;
  decode.protocol = protocol;
  for (int32_t seqid = 1; seqid <= 4; ++seqid) {  // both io threads, a kept connection each
    auto r = call_sync(client, io, seqid % 2, idl.query("UP-1", seqid, protocol));
    REQUIRE(r.reply.ok());
    CHECK(r.endpoint == "127.0.0.1:" + std::to_string(server.port()));
    std::string json;
    auto reply = idl.codec->decode_reply(*idl.query_order, *r.reply, decode, json);
    REQUIRE(reply.ok());
    CHECK(reply->seqid == seqid);
    CHECK(reply->kind == opp::codec::Reply::Kind::kSuccess);
    rapidjson::Document doc;
    doc.Parse(json.c_str());
    REQUIRE(doc.IsObject());
    CHECK(std::string(doc["out_order_no"].GetString()) == "UP-1");
    CHECK(doc["total_amount"].GetInt64() == 4200);
    CHECK(doc["order_status"].GetInt() == 1);
  }
  CHECK(client.stats().open_connections == 2);

  // A declared exception travels back as a reply like any other.
  auto missing = call_sync(client, io, 0, idl.query("NOPE", 9, protocol));
  REQUIRE(missing.reply.ok());
  std::string json;
  auto reply = idl.codec->decode_reply(*idl.query_order, *missing.reply, decode, json);
  REQUIRE(reply.ok());
  CHECK(reply->kind == opp::codec::Reply::Kind::kDeclaredException);
  CHECK(reply->err_code == opp::ErrorCode::kOrderNotFound);
}
