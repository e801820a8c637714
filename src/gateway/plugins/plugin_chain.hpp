#pragma once
// The plugins of one config, in their listed order, and what running them on a request
// means. A chain is immutable once built; a config reload builds a new one (reusing the
// instances whose entry did not change) and publishes it through a PluginDirectory.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gateway/config/gateway_config.hpp"
#include "gateway/http/http_message.hpp"
#include "gateway/plugins/plugin_request.hpp"
#include "opp/plugin.h"

namespace opp::gateway::plugins {

/// One plugin instance: its table, its instance pointer and the library that holds its
/// code (null for a built-in). Destroying it destroys the instance, then unloads.
class PluginInstance {
 public:
  PluginInstance(std::shared_ptr<void> library, const opp_plugin* table, void* instance)
      : library_(std::move(library)), table_(table), instance_(instance) {}
  ~PluginInstance() {
    if (table_->destroy) table_->destroy(instance_);
  }
  PluginInstance(const PluginInstance&) = delete;
  PluginInstance& operator=(const PluginInstance&) = delete;

  const opp_plugin& table() const { return *table_; }
  void* instance() const { return instance_; }

 private:
  std::shared_ptr<void> library_;  // first member: unloaded last
  const opp_plugin* table_;
  void* instance_;
};

/// One entry of the chain: an instance and the config entry it was made (or last
/// reconfigured) from. A reconfigured instance is shared by the old and the new chain.
class LoadedPlugin {
 public:
  LoadedPlugin(std::shared_ptr<PluginInstance> instance, config::PluginEntry entry)
      : instance_(std::move(instance)), entry_(std::move(entry)) {}

  const opp_plugin& table() const { return instance_->table(); }
  void* instance() const { return instance_->instance(); }
  const std::shared_ptr<PluginInstance>& shared_instance() const { return instance_; }
  const config::PluginEntry& entry() const { return entry_; }
  /// The name for log lines and errors: the built-in name, or the .so's path.
  std::string label() const;
  /// Whether a request to `svc` ("" outside the merchant API) reaches this plugin.
  bool sees(std::string_view svc) const;

 private:
  std::shared_ptr<PluginInstance> instance_;
  config::PluginEntry entry_;
};

class PluginChain {
 public:
  PluginChain() = default;
  explicit PluginChain(std::vector<std::shared_ptr<LoadedPlugin>> plugins);

  bool empty() const { return plugins_.empty(); }
  const std::vector<std::shared_ptr<LoadedPlugin>>& plugins() const { return plugins_; }
  /// Whether any plugin sees a request to `svc`.
  bool applies_to(std::string_view svc) const;

  /// on_http of every plugin that sees `svc`, in order, until one answers.
  opp_verdict run_http(opp_request& r) const;
  /// on_call of every plugin that sees `svc`, in order, until one rejects.
  opp_verdict run_call(opp_request& r) const;
  /// on_response of every plugin that sees `svc`, in order.
  void run_response(opp_request& r) const;

 private:
  std::vector<std::shared_ptr<LoadedPlugin>> plugins_;
};

/// One request's passage through a chain: holds the chain for the request's life (a
/// reload meanwhile changes nothing for it) and the headers the hooks added.
class PluginCall {
 public:
  PluginCall(std::shared_ptr<const PluginChain> chain, std::string_view svc)
      : chain_(std::move(chain)), svc_(svc) {}

  /// on_http; an answer when a plugin answered the request itself.
  std::optional<http::OutgoingResponse> on_http(const http::IncomingRequest& request);

  /// on_call for a merchant call that passed authentication and method resolution; an
  /// error when a plugin rejected it.
  std::optional<Error> on_call(const http::IncomingRequest& request,
                               const request::RequestParams& params, std::string_view merchant,
                               std::string_view method);

  /// on_response, then the headers every hook added are appended to `response`.
  void on_response(const http::IncomingRequest& request, http::OutgoingResponse& response,
                   int32_t err_code, int64_t elapsed_us, const request::RequestParams* params,
                   std::string_view merchant, std::string_view method);

 private:
  opp_request view(const http::IncomingRequest& request) const;
  void keep_headers(opp_request& r);

  std::shared_ptr<const PluginChain> chain_;
  std::string svc_;  // owned: the request moves while the call lasts
  std::vector<std::pair<std::string, std::string>> headers_;
};

}  // namespace opp::gateway::plugins
