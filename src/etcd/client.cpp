#include "opp/etcd/client.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <stdexcept>

#include "etcd/etcd_errors.hpp"
#include "etcd/json_fields.hpp"
#include "opp/crypto/base64.hpp"

namespace opp::etcd {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
using tcp = boost::asio::ip::tcp;

// etcd answers small objects to these calls; anything bigger is not etcd.
constexpr size_t kMaxReplyBytes = 4 * 1024 * 1024;

/// One request and its reply under one deadline, on an io_context of this call's own (the
/// deadline needs the asynchronous operations).
Result<std::string> exchange(const Endpoint& endpoint, const std::string& target,
                             const std::string& body, std::chrono::milliseconds timeout) {
  boost::asio::io_context io;
  beast::tcp_stream stream(io);
  tcp::resolver resolver(io);
  beast::error_code ec;
  auto addresses = resolver.resolve(endpoint.host, std::to_string(endpoint.port), ec);
  if (ec) return detail::unavailable(endpoint.to_string() + ": " + ec.message());

  http::request<http::string_body> request{http::verb::post, target, 11};
  request.set(http::field::host, endpoint.to_string());
  request.set(http::field::content_type, "application/json");
  request.body() = body;
  request.prepare_payload();
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(kMaxReplyBytes);

  beast::error_code failure;
  stream.expires_after(timeout);
  stream.async_connect(addresses, [&](beast::error_code e, const tcp::endpoint&) {
    if (e) return void(failure = e);
    http::async_write(stream, request, [&](beast::error_code e2, size_t) {
      if (e2) return void(failure = e2);
      http::async_read(stream, buffer, parser, [&](beast::error_code e3, size_t) { failure = e3; });
    });
  });
  io.run();
  if (failure) return detail::unavailable(endpoint.to_string() + ": " + failure.message());
  auto& response = parser.get();
  if (response.result() != http::status::ok) {
    std::string message = detail::etcd_message(response.body());
    return detail::refused(endpoint.to_string() + " " + target + ": HTTP " +
                           std::to_string(response.result_int()) +
                           (message.empty() ? "" : ": " + message));
  }
  return std::move(response.body());
}

std::string b64(std::string_view bytes) {
  return crypto::base64_encode(bytes);
}

template <class Fill>
std::string json_object(Fill fill) {
  rapidjson::StringBuffer out;
  rapidjson::Writer<rapidjson::StringBuffer> writer(out);
  writer.StartObject();
  fill(writer);
  writer.EndObject();
  return std::string(out.GetString(), out.GetSize());
}

void field(rapidjson::Writer<rapidjson::StringBuffer>& w, const char* name,
           const std::string& value) {
  w.Key(name);
  w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}

Result<rapidjson::Document> parse(const std::string& text) {
  rapidjson::Document doc;
  doc.Parse(text.data(), text.size());
  if (doc.HasParseError() || !doc.IsObject()) return detail::bad_reply("etcd reply is not JSON");
  return doc;
}

}  // namespace

std::string prefix_range_end(std::string_view prefix) {
  std::string end(prefix);
  // The first key after every key with the prefix: drop trailing 0xff, bump the last byte.
  while (!end.empty() && static_cast<unsigned char>(end.back()) == 0xff) end.pop_back();
  if (end.empty()) return std::string(1, '\0');
  end.back() = static_cast<char>(static_cast<unsigned char>(end.back()) + 1);
  return end;
}

Client::Client(std::vector<Endpoint> endpoints, std::chrono::milliseconds timeout)
    : endpoints_(std::move(endpoints)), timeout_(timeout) {
  if (endpoints_.empty()) throw std::invalid_argument("etcd client: no endpoint");
}

Result<std::string> Client::post(const std::string& target, const std::string& body) {
  Error last;
  for (const Endpoint& endpoint : endpoints_) {
    Result<std::string> reply = exchange(endpoint, target, body, timeout_);
    // Only an endpoint that did not answer is worth skipping; a refusal is etcd's word.
    if (reply || reply.error().sub_code != "etcd-unavailable") return reply;
    last = std::move(reply).error();
  }
  return last;
}

Result<int64_t> Client::lease_grant(int64_t ttl_s) {
  const std::string body = json_object([&](auto& w) {
    w.Key("TTL");
    w.Int64(ttl_s);
  });
  OPP_TRY_ASSIGN(std::string reply, post("/v3/lease/grant", body));
  OPP_TRY_ASSIGN(rapidjson::Document doc, parse(reply));
  if (auto error = detail::string_member(doc, "error"); !error.empty())
    return detail::refused("lease grant: " + error);
  const int64_t id = detail::int64_member(doc, "ID");
  if (id == 0) return detail::bad_reply("lease grant: no lease ID in the reply");
  return id;
}

Result<int64_t> Client::lease_keepalive(int64_t lease) {
  const std::string body = json_object([&](auto& w) {
    w.Key("ID");
    w.Int64(lease);
  });
  OPP_TRY_ASSIGN(std::string reply, post("/v3/lease/keepalive", body));
  // A streaming call in gRPC: the gateway wraps the one answer in {"result": ...}.
  OPP_TRY_ASSIGN(rapidjson::Document doc, parse(reply));
  const rapidjson::Value* result = &doc;
  if (doc.HasMember("result") && doc["result"].IsObject()) result = &doc["result"];
  if (doc.HasMember("error"))
    return detail::refused("lease keepalive: " + detail::etcd_message(reply));
  // TTL 0 (omitted from the JSON) is etcd's way of saying the lease is gone.
  const int64_t ttl = detail::int64_member(*result, "TTL");
  if (ttl <= 0)
    return Error{ErrorCode::kServerHandleFail, "etcd-lease-expired",
                 "lease " + std::to_string(lease) + " is no longer known to etcd", ""};
  return ttl;
}

Result<void> Client::lease_revoke(int64_t lease) {
  const std::string body = json_object([&](auto& w) {
    w.Key("ID");
    w.Int64(lease);
  });
  OPP_TRY(post("/v3/lease/revoke", body));
  return {};
}

Result<void> Client::put(std::string_view key, std::string_view value, int64_t lease) {
  const std::string body = json_object([&](auto& w) {
    field(w, "key", b64(key));
    field(w, "value", b64(value));
    if (lease != 0) {
      w.Key("lease");
      w.Int64(lease);
    }
  });
  OPP_TRY(post("/v3/kv/put", body));
  return {};
}

Result<void> Client::remove(std::string_view key) {
  const std::string body = json_object([&](auto& w) { field(w, "key", b64(key)); });
  OPP_TRY(post("/v3/kv/deleterange", body));
  return {};
}

Result<RangeResult> Client::range_prefix(std::string_view prefix) {
  const std::string body = json_object([&](auto& w) {
    field(w, "key", b64(prefix));
    field(w, "range_end", b64(prefix_range_end(prefix)));
  });
  OPP_TRY_ASSIGN(std::string reply, post("/v3/kv/range", body));
  OPP_TRY_ASSIGN(rapidjson::Document doc, parse(reply));
  RangeResult range;
  if (!doc.HasMember("header") || !doc["header"].IsObject())
    return detail::bad_reply("range: no header in the reply");
  range.revision = detail::int64_member(doc["header"], "revision");
  if (doc.HasMember("kvs")) {
    if (!doc["kvs"].IsArray()) return detail::bad_reply("range: kvs is not a list");
    for (const auto& item : doc["kvs"].GetArray()) {
      OPP_TRY_ASSIGN(KeyValue kv, detail::key_value(item));
      range.kvs.push_back(std::move(kv));
    }
  }
  return range;
}

}  // namespace opp::etcd
