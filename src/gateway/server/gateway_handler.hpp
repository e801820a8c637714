#pragma once
// One io thread's answer to every HTTP request: the merchant API (POST /gateway/{svc})
// goes down the request pipeline; the operational endpoints (SPEC §4) are answered here.

#include <string>

#include "gateway/http/request_handler.hpp"
#include "gateway/observe/metrics.hpp"
#include "gateway/pipeline/request_pipeline.hpp"
#include "gateway/plugins/plugin_directory.hpp"
#include "gateway/reload/idl_reloader.hpp"
#include "gateway/server/listing_cache.hpp"

namespace opp::gateway::server {

/// What the operational endpoints read; shared by all threads.
struct EndpointServices {
  const observe::Metrics* metrics = nullptr;
  std::string platform_key_pem;  ///< GET /gateway/platform-key
  const catalog::Catalog* catalog = nullptr;
  const reload::ReloadStats* reload_stats = nullptr;  ///< null before the watcher runs
  ListingCache* listings = nullptr;
  const plugins::PluginDirectory* plugins = nullptr;
};

class GatewayHandler final : public http::RequestHandler {
 public:
  GatewayHandler(const pipeline::PipelineServices& pipeline_services,
                 const EndpointServices& endpoint_services, size_t io_index,
                 observe::MetricsShard& metrics);

  void handle(http::IncomingRequest request, http::Responder respond) override;
  http::OutgoingResponse refuse(const Error& error, std::string_view request_id) override;

 private:
  /// The operational endpoints and the errors of routing; `err_code` for the plugins.
  http::OutgoingResponse answer_endpoint(const http::IncomingRequest& request, int32_t& err_code);

  const EndpointServices& endpoints_;
  catalog::CatalogReader catalog_;
  plugins::PluginReader plugins_;
  pipeline::RequestPipeline pipeline_;
};

}  // namespace opp::gateway::server
