#pragma once
// What a plugin's unit test needs to drive it the way the gateway will: an instance made
// from YAML text through its opp_plugin table with the real host table, and an
// opp_request over an IncomingRequest (and params) the test fills in.

#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gateway/http/http_message.hpp"
#include "gateway/plugins/plugin_request.hpp"
#include "gateway/request/request_params.hpp"
#include "opp/plugin.h"

namespace opp::plugins::testing {

/// create() on `yaml`; the instance, or nullptr and the error line in *error.
inline void* create(const opp_plugin* plugin, std::string_view yaml, std::string* error = nullptr) {
  char text[512] = "";
  opp_error_buffer buffer{text, sizeof text};
  void* instance =
      plugin->create(opp::gateway::plugins::host_table(), yaml.data(), yaml.size(), &buffer);
  if (error) *error = text;
  return instance;
}

/// The error line create() gives for `yaml`; fails the test when it succeeds.
inline std::string create_error(const opp_plugin* plugin, std::string_view yaml) {
  std::string error;
  void* instance = create(plugin, yaml, &error);
  if (instance) {
    plugin->destroy(instance);
    FAIL("config accepted: " << yaml);
  }
  return error;
}

/// An instance destroyed at scope exit.
class Instance {
 public:
  Instance(const opp_plugin* plugin, std::string_view yaml) : plugin_(plugin) {
    std::string error;
    instance_ = create(plugin, yaml, &error);
    if (!instance_) FAIL("create failed: " << error);
  }
  ~Instance() { reset(); }
  Instance(const Instance&) = delete;
  Instance& operator=(const Instance&) = delete;

  void* get() const { return instance_; }
  /// destroy() now (it flushes, joins); idempotent.
  void reset() {
    if (instance_) plugin_->destroy(instance_);
    instance_ = nullptr;
  }
  /// reconfigure(); "" on success, else the error line.
  std::string reconfigure(std::string_view yaml) {
    char text[512] = "";
    opp_error_buffer buffer{text, sizeof text};
    return plugin_->reconfigure(instance_, yaml.data(), yaml.size(), &buffer) == 0 ? "" : text;
  }
  opp_verdict on_http(opp_request* r) const { return plugin_->on_http(instance_, r); }
  void on_response(opp_request* r) const { plugin_->on_response(instance_, r); }

 private:
  const opp_plugin* plugin_;
  void* instance_ = nullptr;
};

/// One request as a hook sees it. Not movable: request points into it.
struct HookRequest {
  opp::gateway::http::IncomingRequest http;
  opp::gateway::request::RequestParams params;
  opp_request request;

  HookRequest(opp::gateway::http::Method method, std::string target,
              std::vector<std::pair<std::string, std::string>> headers = {}) {
    http.method = method;
    http.target = std::move(target);
    for (const auto& [name, value] : headers) http.headers.add(name, value);
    http.client_address = "127.0.0.1";
    http.request_id = "rid-1";
    request.http = &http;
  }
  HookRequest(const HookRequest&) = delete;
  HookRequest& operator=(const HookRequest&) = delete;

  /// Sets the merchant call's params from a form body.
  void set_form(std::string_view body) {
    auto parsed =
        opp::gateway::request::parse_request_params("application/x-www-form-urlencoded", body);
    if (!parsed) FAIL("bad form body: " << parsed.error().message);
    params = std::move(parsed).value();
    request.params = &params;
  }
  opp_request* get() { return &request; }

  /// The value of an added response header, or nullptr; `count` tells how many times.
  const std::string* added(std::string_view name) const {
    for (const auto& [key, value] : request.added_headers)
      if (key == name) return &value;
    return nullptr;
  }
  size_t count(std::string_view name) const {
    size_t n = 0;
    for (const auto& header : request.added_headers) n += header.first == name;
    return n;
  }
};

}  // namespace opp::plugins::testing
