#pragma once
// Everything one merchant request accumulates on its way through the pipeline. It owns
// the request's bytes and holds the catalog snapshot it started on, so a reload while it
// waits for the upstream changes nothing for it.

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "gateway/auth/authenticator.hpp"
#include "gateway/http/http_message.hpp"
#include "gateway/http/request_handler.hpp"
#include "gateway/plugins/plugin_chain.hpp"
#include "gateway/request/envelope.hpp"
#include "gateway/request/request_params.hpp"
#include "opp/catalog/snapshot.hpp"
#include "opp/codec/options.hpp"

namespace opp::gateway::upstream {
class UpstreamClient;
}

namespace opp::gateway::pipeline {

struct CallContext {
  CallContext(http::IncomingRequest r, http::Responder respond,
              std::optional<plugins::PluginCall> plugin_call)
      : request(std::move(r)), responder(std::move(respond)), plugins(std::move(plugin_call)) {}

  http::IncomingRequest request;
  http::Responder responder;
  /// The plugins that see this request, or nullopt (then none is called).
  std::optional<plugins::PluginCall> plugins;
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();

  std::string_view svc_name;  ///< from the path, into request.target
  std::shared_ptr<const catalog::Snapshot> snapshot;
  const catalog::ServiceEntry* service = nullptr;
  request::RequestParams params;
  request::EnvelopeParams envelope;
  /// Set once authentication passed: from then on every answer is signed.
  std::optional<auth::AuthenticatedMerchant> merchant;
  const idl::FunctionDescriptor* function = nullptr;
  /// Held for the request's life: a reload may drop it from the directory meanwhile.
  std::shared_ptr<upstream::UpstreamClient> upstream;
  codec::Protocol protocol = codec::Protocol::kBinary;  ///< the call was encoded in
  std::string upstream_endpoint;                        ///< for the access log
};

}  // namespace opp::gateway::pipeline
