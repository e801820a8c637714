#include "gateway/pipeline/request_pipeline.hpp"

#include "gateway/pipeline/route.hpp"
#include "gateway/pipeline/transcode.hpp"
#include "gateway/request/envelope.hpp"
#include "gateway/request/request_params.hpp"
#include "opp/crypto/response_signature.hpp"

namespace opp::gateway::pipeline {

RequestPipeline::RequestPipeline(const PipelineServices& services, size_t io_index,
                                 observe::MetricsShard& metrics)
    : services_(services),
      io_index_(io_index),
      metrics_(metrics),
      catalog_(*services.catalog),
      upstreams_(*services.upstreams) {}

void RequestPipeline::handle(http::IncomingRequest request, http::Responder respond,
                             std::optional<plugins::PluginCall> plugins) {
  auto call =
      std::make_shared<CallContext>(std::move(request), std::move(respond), std::move(plugins));
  call->svc_name = service_segment(call->request.path());
  Result<auth::AuthenticatedMerchant> verified = verify(*call);
  if (!verified) return finish(*call, answer_error(verified.error(), call->request.request_id));
  claim_nonce(std::move(call), std::move(*verified));
}

// SPEC §3.1's order of checks up to the nonce; the first failure answers.
Result<auth::AuthenticatedMerchant> RequestPipeline::verify(CallContext& call) {
  call.snapshot = catalog_.current();  // the request keeps this snapshot to the end
  OPP_TRY_ASSIGN(call.service, resolve_service(call.snapshot.get(), call.svc_name));  // 10003
  OPP_TRY_ASSIGN(call.params, request::parse_request_params(call.request.content_type,
                                                            call.request.body));          // 10001
  OPP_TRY_ASSIGN(call.envelope, request::check_envelope(call.params));                    // 10001
  return services_.authenticator->verify(call.envelope, call.params, services_.now_s());  // 10002
}

// The nonce is the one check that may wait (a shared store answers over the network): the
// io thread serves other requests meanwhile and the request resumes here on its answer.
void RequestPipeline::claim_nonce(std::shared_ptr<CallContext> call,
                                  auth::AuthenticatedMerchant merchant) {
  CallContext& context = *call;
  // Built before the call, not in its argument list: `merchant` is read by the call and
  // would be moved from in an unspecified order.
  auth::NonceStore::Done resume = [this, call = std::move(call),
                                   merchant](Result<void> claimed) mutable {
    if (!claimed)  // 10002 nonce-replayed / nonce-quota-exceeded, 10005
      return finish(*call, answer_error(claimed.error(), call->request.request_id));
    call->merchant = std::move(merchant);
    if (Result<void> admitted = admit(*call); !admitted)
      return finish(*call, answer_error(admitted.error(), call->request.request_id));
    forward(std::move(call));
  };
  services_.authenticator->claim_nonce(io_index_, merchant, context.envelope, services_.now_s(),
                                       std::move(resume));
}

// The authenticated request: its method, then the plugins (§9).
Result<void> RequestPipeline::admit(CallContext& call) {
  OPP_TRY_ASSIGN(call.function, resolve_method(*call.service, call.envelope.method));  // 10004
  if (call.plugins) {
    if (std::optional<Error> rejected = call.plugins->on_call(
            call.request, call.params, (*call.merchant)->id, call.function->name))  // plugins
      return std::move(*rejected);
  }
  return {};
}

// biz_params against the IDL and merchant binding (10001 / 10002), then the upstream.
void RequestPipeline::forward(std::shared_ptr<CallContext> call) {
  call->upstream = upstreams_.find(call->service->name());

  upstream::CallRequest out;
  out.protocol = call->upstream ? call->upstream->protocol() : codec::Protocol::kBinary;
  call->protocol = out.protocol;
  out.seqid = next_seqid_++;
  if (next_seqid_ == INT32_MAX) next_seqid_ = 1;
  out.oneway = call->function->oneway;
  TranscodeInput input{call->service,           call->function, call->envelope.biz_params,
                       (*call->merchant)->id,   out.protocol,   out.seqid,
                       services_.max_json_depth};
  if (Result<void> encoded = transcode(input, out.message); !encoded)
    return finish(*call, answer_error(encoded.error(), call->request.request_id));
  if (!call->upstream)
    return finish(
        *call,
        answer_error(Error{ErrorCode::kRequestServerFail, "no-upstream",
                           "no upstream is configured for service " + call->service->name(), ""},
                     call->request.request_id));
  upstream::UpstreamClient* client = call->upstream.get();
  client->call(io_index_, std::move(out),
               [this, call](upstream::CallResult result) { on_reply(*call, std::move(result)); });
}

void RequestPipeline::on_reply(CallContext& call, upstream::CallResult result) {
  call.upstream_endpoint = std::move(result.endpoint);
  if (!result.reply)
    return finish(call, answer_error(result.reply.error(), call.request.request_id));
  finish(call, answer_reply(*call.service, *call.function, *result.reply, call.protocol,
                            services_.max_json_depth, call.request.request_id));
}

// Envelope + response signature (for requests that passed authentication), then the
// metrics and the access log.
void RequestPipeline::finish(CallContext& call, Answer answer) {
  http::OutgoingResponse response;
  response.status = answer.status;
  if (call.merchant) {
    Result<crypto::ResponseSignature> signature =
        services_.signer->sign(*call.merchant, answer.body, services_.now_s());
    if (!signature) {
      answer = answer_error(signature.error(), call.request.request_id);
      response.status = answer.status;
    } else {
      response.headers = {{std::string(crypto::kTimestampHeader), std::move(signature->timestamp)},
                          {std::string(crypto::kNonceHeader), std::move(signature->nonce)},
                          {std::string(crypto::kSignTypeHeader), std::move(signature->sign_type)},
                          {std::string(crypto::kSignatureHeader), std::move(signature->signature)}};
    }
  }
  response.body = std::move(answer.body);

  const double latency_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - call.started).count();
  // Only names resolved against the catalog become labels (bounded cardinality).
  const std::string_view svc = call.service ? std::string_view(call.service->name()) : "";
  const std::string_view method = call.function ? std::string_view(call.function->name) : "";
  metrics_.record(svc, method, static_cast<int32_t>(answer.err_code), latency_s);
  if (services_.access_log) {
    observe::AccessRecord record;
    record.request_id = call.request.request_id;
    record.client = call.request.client_address;
    record.merchant = call.merchant ? std::string_view((*call.merchant)->id) : "";
    record.svc = svc;
    record.method = method;
    record.err_code = static_cast<int32_t>(answer.err_code);
    record.status = response.status;
    record.latency_ms = latency_s * 1000;
    record.upstream = call.upstream_endpoint;
    services_.access_log->write(record);
  }
  if (call.plugins)
    call.plugins->on_response(call.request, response, static_cast<int32_t>(answer.err_code),
                              static_cast<int64_t>(latency_s * 1e6), &call.params,
                              call.merchant ? std::string_view((*call.merchant)->id) : "", method);
  call.responder(std::move(response));
}

}  // namespace opp::gateway::pipeline
