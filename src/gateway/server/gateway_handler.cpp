#include "gateway/server/gateway_handler.hpp"

#include "gateway/pipeline/envelope.hpp"
#include "gateway/pipeline/route.hpp"

namespace opp::gateway::server {
namespace {

http::OutgoingResponse json_error(const Error& error, std::string_view request_id) {
  http::OutgoingResponse response;
  response.status = http_status(error);
  response.body = pipeline::error_body(error, request_id);
  return response;
}

http::OutgoingResponse text(uint16_t status, std::string content_type, std::string body) {
  http::OutgoingResponse response;
  response.status = status;
  response.content_type = std::move(content_type);
  response.body = std::move(body);
  return response;
}

}  // namespace

GatewayHandler::GatewayHandler(const pipeline::PipelineServices& pipeline_services,
                               const EndpointServices& endpoint_services, size_t io_index,
                               observe::MetricsShard& metrics)
    : endpoints_(endpoint_services), pipeline_(pipeline_services, io_index, metrics) {}

void GatewayHandler::handle(http::IncomingRequest request, http::Responder respond) {
  const std::string_view path = request.path();
  const bool get = request.method == http::Method::kGet;
  // The fixed GET routes first: some live under /gateway/ beside the services.
  if (get && path == "/healthz")
    return respond(text(200, "application/json", R"({"status":"ok"})"));
  if (get && path == "/metrics")
    return respond(
        text(200, "text/plain; version=0.0.4; charset=utf-8", endpoints_.metrics->render()));
  if (get && path == "/gateway/platform-key")
    return respond(text(200, "application/x-pem-file", endpoints_.platform_key_pem));
  if (!pipeline::service_segment(path).empty() || path == "/gateway/") {
    if (request.method == http::Method::kPost)
      return pipeline_.handle(std::move(request), std::move(respond));
    http::OutgoingResponse response = json_error(
        Error{ErrorCode::kBadRequest, "method-not-allowed", "the merchant API takes POST only", ""},
        request.request_id);
    response.headers.emplace_back("Allow", "POST");
    return respond(std::move(response));
  }
  respond(json_error(Error{ErrorCode::kServerNotFound, "unknown-route",
                           "no such route: " + std::string(path.substr(0, 128)), ""},
                     request.request_id));
}

http::OutgoingResponse GatewayHandler::refuse(const Error& error, std::string_view request_id) {
  http::OutgoingResponse response = json_error(error, request_id);
  response.close = true;
  return response;
}

}  // namespace opp::gateway::server
