#include "gateway/plugins/plugin_chain.hpp"

#include <algorithm>

namespace opp::gateway::plugins {

std::string LoadedPlugin::label() const {
  return entry_.name.empty() ? entry_.path.string() : entry_.name;
}

bool LoadedPlugin::sees(std::string_view svc) const {
  if (entry_.svc.empty()) return true;
  return !svc.empty() && std::find(entry_.svc.begin(), entry_.svc.end(), svc) != entry_.svc.end();
}

PluginChain::PluginChain(std::vector<std::shared_ptr<LoadedPlugin>> plugins)
    : plugins_(std::move(plugins)) {}

bool PluginChain::applies_to(std::string_view svc) const {
  return std::any_of(plugins_.begin(), plugins_.end(),
                     [&](const auto& plugin) { return plugin->sees(svc); });
}

opp_verdict PluginChain::run_http(opp_request& r) const {
  for (const auto& plugin : plugins_) {
    if (!plugin->table().on_http || !plugin->sees(r.svc)) continue;
    if (plugin->table().on_http(plugin->instance(), &r) == OPP_STOP && r.answer) return OPP_STOP;
  }
  return OPP_CONTINUE;
}

opp_verdict PluginChain::run_call(opp_request& r) const {
  for (const auto& plugin : plugins_) {
    if (!plugin->table().on_call || !plugin->sees(r.svc)) continue;
    if (plugin->table().on_call(plugin->instance(), &r) == OPP_STOP) {
      // OPP_STOP without a reject() is a plugin bug; it still stops the call.
      if (!r.rejection) r.rejection = rejection_error(0, "", "");
      return OPP_STOP;
    }
  }
  return OPP_CONTINUE;
}

void PluginChain::run_response(opp_request& r) const {
  for (const auto& plugin : plugins_)
    if (plugin->table().on_response && plugin->sees(r.svc))
      plugin->table().on_response(plugin->instance(), &r);
}

opp_request PluginCall::view(const http::IncomingRequest& request) const {
  opp_request r;
  r.http = &request;
  r.svc = svc_;
  return r;
}

void PluginCall::keep_headers(opp_request& r) {
  for (auto& header : r.added_headers) headers_.push_back(std::move(header));
}

std::optional<http::OutgoingResponse> PluginCall::on_http(const http::IncomingRequest& request) {
  opp_request r = view(request);
  const opp_verdict verdict = chain_->run_http(r);
  keep_headers(r);
  if (verdict == OPP_STOP) return std::move(r.answer);
  return std::nullopt;
}

std::optional<Error> PluginCall::on_call(const http::IncomingRequest& request,
                                         const request::RequestParams& params,
                                         std::string_view merchant, std::string_view method) {
  opp_request r = view(request);
  r.params = &params;
  r.merchant = merchant;
  r.method = method;
  const opp_verdict verdict = chain_->run_call(r);
  keep_headers(r);
  if (verdict == OPP_STOP) return std::move(r.rejection);
  return std::nullopt;
}

void PluginCall::on_response(const http::IncomingRequest& request, http::OutgoingResponse& response,
                             int32_t err_code, int64_t elapsed_us,
                             const request::RequestParams* params, std::string_view merchant,
                             std::string_view method) {
  opp_request r = view(request);
  r.params = params;
  r.merchant = merchant;
  r.method = method;
  r.status = response.status;
  r.err_code = err_code;
  r.elapsed_us = elapsed_us;
  chain_->run_response(r);
  keep_headers(r);
  for (auto& header : headers_) response.headers.push_back(std::move(header));
  headers_.clear();
}

}  // namespace opp::gateway::plugins
