#include "request-log/request_line.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <string>

#include "common/plugin_support.hpp"
#include "opp/common/utc_timestamp.hpp"

namespace opp::plugins::request_log {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

// The params of SPEC §3.1 that are logged; `sign` is not among them and never read.
// (The host table reads params by name only, so extra params are not logged.)
constexpr const char* kLoggedParams[] = {"merchant_id", "method", "timestamp", "nonce_str",
                                         "sign_type"};

// The length of the valid UTF-8 sequence at s[0..], or 0 when it is not one.
size_t utf8_length(std::string_view s) {
  const auto byte = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  const auto cont = [&](size_t i) { return i < s.size() && (byte(i) & 0xC0) == 0x80; };
  const unsigned char b = byte(0);
  if (b < 0x80) return 1;
  if (b >= 0xC2 && b <= 0xDF) return cont(1) ? 2 : 0;
  if (b >= 0xE0 && b <= 0xEF) {
    if (s.size() < 2) return 0;
    const unsigned char b1 = byte(1);
    if ((b == 0xE0 && b1 < 0xA0) || (b == 0xED && b1 > 0x9F)) return 0;
    return cont(1) && cont(2) ? 3 : 0;
  }
  if (b >= 0xF0 && b <= 0xF4) {
    if (s.size() < 2) return 0;
    const unsigned char b1 = byte(1);
    if ((b == 0xF0 && b1 < 0x90) || (b == 0xF4 && b1 > 0x8F)) return 0;
    return cont(1) && cont(2) && cont(3) ? 4 : 0;
  }
  return 0;
}

// A string for the log: at most kMaxLoggedString bytes of whole UTF-8 sequences, each
// invalid byte replaced by U+FFFD, so every line is valid JSON whatever the client sent.
void write_string(Writer& writer, std::string_view s) {
  // Most values are short ASCII: written as they are.
  if (s.size() <= kMaxLoggedString &&
      std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; }))
    return static_cast<void>(writer.String(s.data(), static_cast<rapidjson::SizeType>(s.size())));
  thread_local std::string clean;
  clean.clear();
  while (!s.empty() && clean.size() < kMaxLoggedString) {
    const size_t n = utf8_length(s);
    if (n == 0) {
      clean += "\xEF\xBF\xBD";
      s.remove_prefix(1);
      continue;
    }
    if (clean.size() + n > kMaxLoggedString) break;
    clean.append(s.substr(0, n));
    s.remove_prefix(n);
  }
  writer.String(clean.data(), static_cast<rapidjson::SizeType>(clean.size()));
}

void write_optional(Writer& writer, const char* key, opp_str value) {
  writer.Key(key);
  if (present(value))
    write_string(writer, view(value));
  else
    writer.Null();
}

void write_marker(Writer& writer, const std::string& text) {
  writer.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
}

void write_biz_params(Writer& writer, std::string_view biz_params, const RedactFields& fields) {
  const auto size = [&] { return std::to_string(biz_params.size()) + " bytes"; };
  if (biz_params.size() > kMaxLoggedBizParams)
    return write_marker(writer, "<not logged: " + size() + ", over the " +
                                    std::to_string(kMaxLoggedBizParams) + "-byte limit>");
  if (biz_params.empty()) return write_marker(writer, "");
  thread_local std::string redacted;
  switch (redact_json(biz_params, fields, redacted)) {
    case RedactResult::kOk:
      writer.RawValue(redacted.data(), redacted.size(), rapidjson::kObjectType);
      return;
    case RedactResult::kTooDeep:
      return write_marker(writer, "<not logged: " + size() + ", nested deeper than " +
                                      std::to_string(kMaxRedactDepth) + ">");
    case RedactResult::kInvalid:
      break;
  }
  write_marker(writer, "<not logged: " + size() + ", not valid JSON>");
}

}  // namespace

bool is_merchant_call(const opp_host* host, const opp_request* r) {
  if (present(host->svc(r))) return true;
  // The gateway hands every POST to /gateway/<one segment> to the merchant API, also
  // those whose svc it does not know (10003): log them too.
  constexpr std::string_view kPrefix = "/gateway/";
  const std::string_view path = view(host->path(r));
  return view(host->http_method(r)) == "POST" && path.starts_with(kPrefix) &&
         path.find('/', kPrefix.size()) == std::string_view::npos;
}

std::string_view format_request_line(const opp_host* host, const opp_request* r,
                                     const RedactFields& redact_fields) {
  thread_local rapidjson::StringBuffer buffer;
  thread_local Writer writer;
  thread_local std::string time;
  buffer.Clear();
  writer.Reset(buffer);
  time.clear();
  append_utc_now(time);

  writer.StartObject();
  writer.Key("time");
  writer.String(time.data(), static_cast<rapidjson::SizeType>(time.size()));
  writer.Key("request_id");
  write_string(writer, view(host->request_id(r)));
  writer.Key("client");
  write_string(writer, view(host->client_address(r)));
  write_optional(writer, "merchant", host->merchant(r));
  opp_str svc = host->svc(r);
  if (!present(svc)) {  // an unknown svc: the path's segment says what was asked for
    const std::string_view path = view(host->path(r));
    const std::string_view segment = path.substr(std::min(path.size(), sizeof "/gateway/" - 1));
    svc = opp_str{segment.data(), segment.size()};
  }
  write_optional(writer, "svc", svc);
  write_optional(writer, "method", host->method(r));
  writer.Key("status");
  writer.Int(host->status(r));
  writer.Key("err_code");
  writer.Int(host->err_code(r));
  writer.Key("elapsed_us");
  writer.Int64(host->elapsed_us(r));

  writer.Key("params");
  writer.StartObject();
  for (const char* name : kLoggedParams) {
    const opp_str value = host->param(r, name);
    if (!present(value)) continue;
    writer.Key(name);
    write_string(writer, view(value));
  }
  if (const opp_str biz_params = host->param(r, "biz_params"); present(biz_params)) {
    writer.Key("biz_params");
    write_biz_params(writer, view(biz_params), redact_fields);
  }
  writer.EndObject();
  writer.EndObject();
  buffer.Put('\n');
  return std::string_view(buffer.GetString(), buffer.GetSize());
}

}  // namespace opp::plugins::request_log
