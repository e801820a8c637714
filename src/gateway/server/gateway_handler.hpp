#pragma once
// One io thread's answer to every HTTP request: the merchant API (POST /gateway/{svc})
// goes down the request pipeline; the operational endpoints (SPEC §4) are answered here.

#include <string>

#include "gateway/http/request_handler.hpp"
#include "gateway/observe/metrics.hpp"
#include "gateway/pipeline/request_pipeline.hpp"

namespace opp::gateway::server {

/// What the operational endpoints read; shared by all threads.
struct EndpointServices {
  const observe::Metrics* metrics = nullptr;
  std::string platform_key_pem;  ///< GET /gateway/platform-key
};

class GatewayHandler final : public http::RequestHandler {
 public:
  GatewayHandler(const pipeline::PipelineServices& pipeline_services,
                 const EndpointServices& endpoint_services, size_t io_index,
                 observe::MetricsShard& metrics);

  void handle(http::IncomingRequest request, http::Responder respond) override;
  http::OutgoingResponse refuse(const Error& error, std::string_view request_id) override;

 private:
  const EndpointServices& endpoints_;
  pipeline::RequestPipeline pipeline_;
};

}  // namespace opp::gateway::server
