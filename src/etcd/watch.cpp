#include "opp/etcd/watch.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <optional>

#include "etcd/etcd_errors.hpp"
#include "etcd/json_fields.hpp"
#include "opp/crypto/base64.hpp"

namespace opp::etcd {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
using tcp = boost::asio::ip::tcp;

// One watch response bigger than this is refused: bounded memory whatever etcd sends.
constexpr size_t kMaxObjectBytes = 4 * 1024 * 1024;
constexpr auto kConnectTimeout = std::chrono::seconds(2);

/// Length of the first complete top-level JSON object in `text` (after leading
/// whitespace), or 0 when it has not fully arrived yet. Strings are skipped so braces in
/// them do not count.
size_t complete_object(std::string_view text, size_t& start) {
  start = 0;
  while (start < text.size() && text[start] != '{') ++start;
  int depth = 0;
  bool in_string = false, escaped = false;
  for (size_t i = start; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (escaped)
        escaped = false;
      else if (c == '\\')
        escaped = true;
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{') {
      ++depth;
    } else if (c == '}' && --depth == 0) {
      return i + 1 - start;
    }
  }
  return 0;
}

std::string watch_request(const std::string& prefix, int64_t start_revision) {
  rapidjson::StringBuffer out;
  rapidjson::Writer<rapidjson::StringBuffer> w(out);
  const std::string key = crypto::base64_encode(prefix);
  const std::string end = crypto::base64_encode(prefix_range_end(prefix));
  w.StartObject();
  w.Key("create_request");
  w.StartObject();
  w.Key("key");
  w.String(key.c_str());
  w.Key("range_end");
  w.String(end.c_str());
  if (start_revision > 0) {
    w.Key("start_revision");
    w.Int64(start_revision);
  }
  w.EndObject();
  w.EndObject();
  return std::string(out.GetString(), out.GetSize());
}

}  // namespace

struct PrefixWatch::State {
  boost::asio::io_context io{1};
  std::atomic<bool> stopped{false};
};

PrefixWatch::PrefixWatch() : state_(std::make_shared<State>()) {}
PrefixWatch::~PrefixWatch() = default;

void PrefixWatch::stop() {
  state_->stopped = true;
  state_->io.stop();
}

Result<void> PrefixWatch::run(const Endpoint& endpoint, const std::string& prefix,
                              int64_t start_revision, const OnBatch& on_batch,
                              const std::function<void()>& on_created) {
  boost::asio::io_context& io = state_->io;
  io.restart();
  if (state_->stopped) return {};

  beast::tcp_stream stream(io);
  tcp::resolver resolver(io);
  beast::error_code ec;
  auto addresses = resolver.resolve(endpoint.host, std::to_string(endpoint.port), ec);
  if (ec) return detail::unavailable(endpoint.to_string() + ": " + ec.message());

  http::request<http::string_body> request{http::verb::post, "/v3/watch", 11};
  request.set(http::field::host, endpoint.to_string());
  request.set(http::field::content_type, "application/json");
  request.body() = watch_request(prefix, start_revision);
  request.prepare_payload();
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(boost::none);  // the stream never ends; the body is trimmed as it is read

  std::optional<Error> failure;
  bool created = false;
  // Takes every complete object off the front of the body read so far.
  auto consume = [&]() -> bool {
    std::string& body = parser.get().body();
    for (;;) {
      size_t start = 0;
      const size_t length = complete_object(body, start);
      if (length == 0) {
        if (body.size() - start > kMaxObjectBytes) {
          failure = detail::bad_reply("a watch response is larger than 4 MiB");
          return false;
        }
        body.erase(0, start);
        return true;
      }
      const std::string object = body.substr(start, length);
      body.erase(0, start + length);
      rapidjson::Document doc;
      doc.Parse(object.data(), object.size());
      if (doc.HasParseError() || !doc.IsObject()) {
        failure = detail::bad_reply("a watch response is not JSON");
        return false;
      }
      if (doc.HasMember("error")) {
        // The gateway's word that the gRPC stream behind it broke (etcd shutting down).
        failure = detail::unavailable(endpoint.to_string() +
                                      ": watch stream error: " + detail::etcd_message(object));
        return false;
      }
      if (!doc.HasMember("result") || !doc["result"].IsObject()) {
        failure = detail::bad_reply("a watch response has no result");
        return false;
      }
      const rapidjson::Value& result = doc["result"];
      if (result.HasMember("canceled") && result["canceled"].IsBool() &&
          result["canceled"].GetBool()) {
        const int64_t compacted = detail::int64_member(result, "compact_revision");
        failure = detail::refused(
            "watch canceled by etcd" +
            (compacted ? " (revision compacted up to " + std::to_string(compacted) + ")"
                       : std::string()) +
            (detail::string_member(result, "cancel_reason").empty()
                 ? ""
                 : ": " + detail::string_member(result, "cancel_reason")));
        return false;
      }
      if (!created && result.HasMember("created") && result["created"].IsBool() &&
          result["created"].GetBool()) {
        created = true;
        if (on_created) on_created();
      }
      WatchBatch batch;
      if (result.HasMember("header"))
        batch.revision = detail::int64_member(result["header"], "revision");
      if (result.HasMember("events") && result["events"].IsArray()) {
        for (const auto& item : result["events"].GetArray()) {
          if (!item.IsObject() || !item.HasMember("kv")) continue;
          auto kv = detail::key_value(item["kv"]);
          if (!kv) {
            failure = std::move(kv).error();
            return false;
          }
          WatchEvent event;
          event.type = detail::string_member(item, "type") == "DELETE" ? WatchEvent::Type::kDelete
                                                                       : WatchEvent::Type::kPut;
          event.kv = std::move(kv).value();
          batch.events.push_back(std::move(event));
        }
      }
      if (!batch.events.empty()) on_batch(batch);
    }
  };

  std::function<void(beast::error_code, size_t)> on_read = [&](beast::error_code e, size_t) {
    if (e) {
      failure = detail::unavailable(endpoint.to_string() + ": watch stream: " + e.message());
      return;
    }
    if (parser.is_header_done() && parser.get().result() != http::status::ok) {
      failure = detail::refused(endpoint.to_string() + ": watch: HTTP " +
                                std::to_string(parser.get().result_int()));
      return;
    }
    if (!consume()) return;
    if (parser.is_done()) {
      failure = detail::unavailable(endpoint.to_string() + ": the watch stream ended");
      return;
    }
    http::async_read_some(stream, buffer, parser, on_read);
  };

  stream.expires_after(kConnectTimeout);
  stream.async_connect(addresses, [&](beast::error_code e, const tcp::endpoint&) {
    if (e) return void(failure = detail::unavailable(endpoint.to_string() + ": " + e.message()));
    http::async_write(stream, request, [&](beast::error_code e2, size_t) {
      if (e2)
        return void(failure = detail::unavailable(endpoint.to_string() + ": " + e2.message()));
      // From here the stream is quiet for as long as nothing changes: no deadline.
      stream.expires_never();
      http::async_read_some(stream, buffer, parser, on_read);
    });
  });
  io.run();
  if (state_->stopped) return {};
  if (failure) return *failure;
  return detail::unavailable(endpoint.to_string() + ": the watch stopped");
}

}  // namespace opp::etcd
