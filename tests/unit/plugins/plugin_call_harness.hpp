#pragma once
// Drives a plugin the way the gateway does: only through its opp_plugin table, with the
// gateway's real host table and an opp_request filled in like the pipeline fills it.

#include <catch2/catch.hpp>

#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

#include "gateway/http/http_message.hpp"
#include "gateway/plugins/plugin_request.hpp"
#include "gateway/request/request_params.hpp"
#include "opp/plugin.h"

namespace opp::plugins::testing {

/// The error line create() writes for `yaml`, after checking it returned NULL.
inline std::string create_error(const opp_plugin* plugin, std::string_view yaml) {
  char text[512] = "untouched";
  opp_error_buffer error{text, sizeof text};
  void* instance = plugin->create(gateway::plugins::host_table(), yaml.data(), yaml.size(), &error);
  if (instance) plugin->destroy(instance);
  CHECK(instance == nullptr);
  return text;
}

/// One instance, destroyed at scope exit.
class Instance {
 public:
  Instance(const opp_plugin* plugin, std::string_view yaml) : plugin_(plugin) {
    char text[512] = "";
    opp_error_buffer error{text, sizeof text};
    instance_ = plugin->create(gateway::plugins::host_table(), yaml.data(), yaml.size(), &error);
    INFO("create: " << text);
    REQUIRE(instance_ != nullptr);
  }
  ~Instance() { plugin_->destroy(instance_); }
  Instance(const Instance&) = delete;
  Instance& operator=(const Instance&) = delete;

  /// reconfigure(): "" on success, else the error line.
  std::string reconfigure(std::string_view yaml) {
    char text[512] = "";
    opp_error_buffer error{text, sizeof text};
    const int rc = plugin_->reconfigure(instance_, yaml.data(), yaml.size(), &error);
    CHECK((rc == 0) == (text[0] == '\0'));
    return rc == 0 ? "" : (text[0] ? text : "(no message)");
  }

  opp_verdict on_call(opp_request* r) const { return plugin_->on_call(instance_, r); }

 private:
  const opp_plugin* plugin_;
  void* instance_ = nullptr;
};

/// An authenticated merchant call as on_call sees it: POST /gateway/{svc}, signed params.
class MerchantCall {
 public:
  MerchantCall(std::string merchant, std::string method, std::string client_address = "127.0.0.1",
               std::string svc = "payment")
      : merchant_(std::move(merchant)), method_(std::move(method)), svc_(std::move(svc)) {
    http_.method = gateway::http::Method::kPost;
    http_.target = "/gateway/" + svc_;
    http_.content_type = "application/x-www-form-urlencoded";
    http_.body = "app_id=" + merchant_ + "&method=" + method_ + "&biz_params=%7B%7D";
    http_.request_id = "test-request";
    http_.client_address = std::move(client_address);
    auto params = gateway::request::parse_request_params(http_.content_type, http_.body);
    // No Catch2 assertion: calls are also built on the tests' own threads.
    if (!params.ok()) throw std::invalid_argument("test call params: " + params.error().message);
    params_ = std::move(*params);
    reset();
  }
  MerchantCall(const MerchantCall&) = delete;
  MerchantCall& operator=(const MerchantCall&) = delete;

  /// A fresh opp_request for the next hook call (nothing added, no rejection).
  opp_request* reset() {
    request_ = opp_request{};
    request_.http = &http_;
    request_.params = &params_;
    request_.merchant = merchant_;
    request_.svc = svc_;
    request_.method = method_;
    return &request_;
  }
  opp_request* request() { return &request_; }

  /// The value of a header a hook added, or "" when none was.
  std::string added_header(std::string_view name) const {
    for (const auto& [key, value] : request_.added_headers)
      if (key == name) return value;
    return "";
  }

 private:
  std::string merchant_, method_, svc_;
  gateway::http::IncomingRequest http_;
  gateway::request::RequestParams params_;
  opp_request request_;
};

}  // namespace opp::plugins::testing
