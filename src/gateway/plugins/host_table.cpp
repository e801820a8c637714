#include <algorithm>
#include <iostream>
#include <mutex>

#include "gateway/plugins/plugin_request.hpp"
#include "gateway/request/request_params.hpp"

namespace opp::gateway::plugins {
namespace {

opp_str str(std::string_view s) {
  return opp_str{s.data(), s.size()};
}
constexpr opp_str kAbsent{nullptr, 0};
// An empty view that still reads as present (a sent but empty value).
opp_str present(std::string_view s) {
  return s.data() ? str(s) : opp_str{"", 0};
}
opp_str maybe(std::string_view s) {
  return s.empty() ? kAbsent : str(s);
}

opp_str http_method(const opp_request* r) {
  using http::Method;
  switch (r->http->method) {
    case Method::kGet:
      return str("GET");
    case Method::kHead:
      return str("HEAD");
    case Method::kPost:
      return str("POST");
    case Method::kOptions:
      return str("OPTIONS");
    case Method::kOther:
      break;
  }
  return str("OTHER");
}

opp_str path(const opp_request* r) {
  return str(r->http->path());
}

opp_str header(const opp_request* r, const char* name) {
  if (!name) return kAbsent;
  std::optional<std::string_view> value = r->http->headers.find(name);
  return value ? present(*value) : kAbsent;
}

opp_str client_address(const opp_request* r) {
  return str(r->http->client_address);
}
opp_str request_id(const opp_request* r) {
  return str(r->http->request_id);
}

opp_str param(const opp_request* r, const char* name) {
  if (!r->params || !name) return kAbsent;
  std::optional<std::string_view> value = r->params->find(name);
  return value ? present(*value) : kAbsent;
}

opp_str merchant(const opp_request* r) {
  return maybe(r->merchant);
}
opp_str svc(const opp_request* r) {
  return maybe(r->svc);
}
opp_str method(const opp_request* r) {
  return maybe(r->method);
}
int32_t status(const opp_request* r) {
  return r->status;
}
int32_t err_code(const opp_request* r) {
  return r->err_code;
}
int64_t elapsed_us(const opp_request* r) {
  return r->elapsed_us;
}

// Header names and values a plugin may add: no CR/LF (no response splitting), bounded.
// One pass (find_first_of calls memchr per byte of `s`).
bool header_safe(std::string_view s, size_t max) {
  if (s.size() > max) return false;
  for (const char c : s)
    if (c == '\r' || c == '\n' || c == '\0') return false;
  return true;
}

void add_response_header(opp_request* r, const char* name, const char* value) {
  if (!name || !value || !*name) return;
  if (!header_safe(name, 128) || !header_safe(value, 4096) ||
      std::string_view(name).find(':') != std::string_view::npos)
    return;
  if (r->added_headers.size() < 32) r->added_headers.emplace_back(name, value);
}

void reject(opp_request* r, int32_t code, const char* sub_code, const char* message) {
  r->rejection = rejection_error(code, sub_code ? sub_code : "", message ? message : "");
}

void respond(opp_request* r, int32_t http_status, const char* content_type, const char* body,
             size_t body_size) {
  http::OutgoingResponse response;
  response.status =
      http_status >= 100 && http_status <= 599 ? static_cast<uint16_t>(http_status) : uint16_t{500};
  response.content_type =
      content_type && header_safe(content_type, 256) ? content_type : "text/plain";
  if (body) response.body.assign(body, body_size);
  r->answer = std::move(response);
}

void log(opp_log_level level, const char* plugin_name, const char* message) {
  static std::mutex mutex;  // whole lines, never interleaved
  const char* word = level == OPP_LOG_ERROR ? "error" : level == OPP_LOG_WARN ? "warn" : "info";
  std::lock_guard lock(mutex);
  std::cerr << "opp-gateway: plugin " << (plugin_name ? plugin_name : "?") << ": " << word << ": "
            << (message ? message : "") << '\n';
}

constexpr opp_host kHost{
    OPP_PLUGIN_ABI_VERSION,
    http_method,
    path,
    header,
    client_address,
    request_id,
    param,
    merchant,
    svc,
    method,
    status,
    err_code,
    elapsed_us,
    add_response_header,
    reject,
    respond,
    log,
};

}  // namespace

const opp_host* host_table() {
  return &kHost;
}

Error rejection_error(int32_t err_code, std::string_view sub_code, std::string_view message) {
  const auto code = static_cast<ErrorCode>(err_code);
  std::string text(message.substr(0, 512));
  if (err_code != 0 && find_sub_code(code, sub_code))
    return Error{code, std::string(sub_code), std::move(text), ""};
  return Error{ErrorCode::kServerHandleFail, "plugin-error",
               "a plugin rejected the call with an unknown code " + std::to_string(err_code) + " " +
                   std::string(sub_code.substr(0, 64)),
               ""};
}

}  // namespace opp::gateway::plugins
