#pragma once
// POST /gateway/{svc}: the request's whole way through the gateway, in one place.
//
//   parse params → authenticate (the nonce may wait for a shared store) → resolve method
//   → plugins → transcode biz_params
//   → call the upstream → decode the reply → envelope + response signature
//
// (the service is resolved first: an unknown {svc} answers before anything is parsed).
// One pipeline per io thread; a request stays on its thread from first byte to answer.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "gateway/auth/authenticator.hpp"
#include "gateway/auth/response_signer.hpp"
#include "gateway/http/request_handler.hpp"
#include "gateway/observe/access_log.hpp"
#include "gateway/observe/metrics.hpp"
#include "gateway/pipeline/call_context.hpp"
#include "gateway/pipeline/reply.hpp"
#include "gateway/pipeline/upstream_directory.hpp"
#include "gateway/upstream/client.hpp"
#include "opp/catalog/catalog.hpp"

namespace opp::gateway::pipeline {

/// What every io thread's pipeline shares; each member is thread-safe and outlives the
/// pipelines.
struct PipelineServices {
  const catalog::Catalog* catalog = nullptr;
  const auth::Authenticator* authenticator = nullptr;
  const auth::ResponseSigner* signer = nullptr;
  const UpstreamDirectory* upstreams = nullptr;
  observe::AccessLog* access_log = nullptr;  ///< null = no access log
  uint32_t max_json_depth = 64;
  /// Unix seconds; injectable so tests can move time.
  std::function<int64_t()> now_s;
};

class RequestPipeline {
 public:
  RequestPipeline(const PipelineServices& services, size_t io_index,
                  observe::MetricsShard& metrics);

  /// Answers one merchant request through `respond`, now or once the upstream replied;
  /// `plugins` run after method resolution and on the response (SPEC §9).
  void handle(http::IncomingRequest request, http::Responder respond,
              std::optional<plugins::PluginCall> plugins = std::nullopt);

 private:
  Result<auth::AuthenticatedMerchant> verify(CallContext& call);
  void claim_nonce(std::shared_ptr<CallContext> call, auth::AuthenticatedMerchant merchant);
  Result<void> admit(CallContext& call);
  void forward(std::shared_ptr<CallContext> call);
  void on_reply(CallContext& call, upstream::CallResult result);
  void finish(CallContext& call, Answer answer);

  const PipelineServices& services_;
  size_t io_index_;
  observe::MetricsShard& metrics_;
  catalog::CatalogReader catalog_;
  UpstreamReader upstreams_;
  int32_t next_seqid_ = 1;
};

}  // namespace opp::gateway::pipeline
