#include "gateway/server/gateway_handler.hpp"

#include <chrono>
#include <optional>

#include "gateway/pipeline/envelope.hpp"
#include "gateway/pipeline/route.hpp"
#include "gateway/server/status_page.hpp"

namespace opp::gateway::server {
namespace {

http::OutgoingResponse json_error(const Error& error, std::string_view request_id) {
  http::OutgoingResponse response;
  response.status = http_status(error);
  response.body = pipeline::error_body(error, request_id);
  return response;
}

http::OutgoingResponse text_response(uint16_t status, std::string content_type, std::string body) {
  http::OutgoingResponse response;
  response.status = status;
  response.content_type = std::move(content_type);
  response.body = std::move(body);
  return response;
}

// The operational routes that live under /gateway/ beside the services.
bool is_fixed_route(std::string_view path) {
  return path == "/gateway/platform-key" || path == "/gateway/routes" ||
         path == "/gateway/openapi.json" || path == "/gateway/docs" || path == "/gateway/_status";
}

}  // namespace

GatewayHandler::GatewayHandler(const pipeline::PipelineServices& pipeline_services,
                               const EndpointServices& endpoint_services, size_t io_index,
                               observe::MetricsShard& metrics)
    : endpoints_(endpoint_services),
      catalog_(*endpoint_services.catalog),
      plugins_(*endpoint_services.plugins),
      pipeline_(pipeline_services, io_index, metrics) {}

// Plugins' on_http first (a CORS preflight answers here), then the merchant API down the
// pipeline or an operational endpoint; plugins' on_response on every answer.
void GatewayHandler::handle(http::IncomingRequest request, http::Responder respond) {
  const std::string_view path = request.path();
  const std::string_view svc = pipeline::service_segment(path);
  std::optional<plugins::PluginCall> plugin_call =
      plugins_.start(is_fixed_route(path) ? std::string_view() : svc);
  const auto started = std::chrono::steady_clock::now();
  auto answered = [&](http::OutgoingResponse response, int32_t err_code) {
    if (plugin_call) {
      const auto elapsed = std::chrono::duration_cast<std::chrono::microseconds>(
          std::chrono::steady_clock::now() - started);
      plugin_call->on_response(request, response, err_code, elapsed.count(), nullptr, "", "");
    }
    respond(std::move(response));
  };
  if (plugin_call) {
    if (std::optional<http::OutgoingResponse> answer = plugin_call->on_http(request))
      return answered(std::move(*answer), 0);
  }
  if ((!svc.empty() || path == "/gateway/") && request.method == http::Method::kPost)
    return pipeline_.handle(std::move(request), std::move(respond), std::move(plugin_call));
  int32_t err_code = 0;
  http::OutgoingResponse response = answer_endpoint(request, err_code);
  answered(std::move(response), err_code);
}

http::OutgoingResponse GatewayHandler::answer_endpoint(const http::IncomingRequest& request,
                                                       int32_t& err_code) {
  const std::string_view path = request.path();
  const bool get = request.method == http::Method::kGet;
  // The fixed GET routes first: some live under /gateway/ beside the services.
  if (get && path == "/healthz")
    return text_response(200, "application/json", R"({"status":"ok"})");
  if (get && path == "/metrics")
    return text_response(200, "text/plain; version=0.0.4; charset=utf-8",
                         endpoints_.metrics->render());
  if (get && path == "/gateway/platform-key")
    return text_response(200, "application/x-pem-file", endpoints_.platform_key_pem);
  if (get) {
    std::optional<routes::Format> listing;
    if (path == "/gateway/routes") listing = routes::Format::kJson;
    if (path == "/gateway/openapi.json") listing = routes::Format::kOpenApi;
    if (path == "/gateway/docs") listing = routes::Format::kHtml;
    if (listing) {
      auto text = endpoints_.listings->get(catalog_.current(), *listing);
      return text_response(200, std::string(routes::content_type(*listing)), *text);
    }
  }
  if (get && path == "/gateway/_status")
    return text_response(200, "application/json",
                         render_status(*catalog_.current(), endpoints_.reload_stats));
  if (!pipeline::service_segment(path).empty() || path == "/gateway/") {
    err_code = static_cast<int32_t>(ErrorCode::kBadRequest);
    http::OutgoingResponse response = json_error(
        Error{ErrorCode::kBadRequest, "method-not-allowed", "the merchant API takes POST only", ""},
        request.request_id);
    response.headers.emplace_back("Allow", "POST");
    return response;
  }
  err_code = static_cast<int32_t>(ErrorCode::kServerNotFound);
  return json_error(Error{ErrorCode::kServerNotFound, "unknown-route",
                          "no such route: " + std::string(path.substr(0, 128)), ""},
                    request.request_id);
}

http::OutgoingResponse GatewayHandler::refuse(const Error& error, std::string_view request_id) {
  http::OutgoingResponse response = json_error(error, request_id);
  response.close = true;
  return response;
}

}  // namespace opp::gateway::server
