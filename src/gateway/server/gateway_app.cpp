#include "gateway/server/gateway_app.hpp"

#include <iostream>
#include <thread>

#include "gateway/config/config_loader.hpp"
#include "opp/crypto/platform_key.hpp"

namespace opp::gateway::server {
namespace {

Error startup_error(std::string sub_code, std::string message) {
  return Error{ErrorCode::kServerHandleFail, std::move(sub_code), std::move(message), ""};
}

Error named(const char* component, Error error) {
  error.message = std::string(component) + ": " + error.message;
  return error;
}

int64_t unix_now_s() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

GatewayApp::GatewayApp(config::GatewayConfig config) : config_(std::move(config)) {}

GatewayApp::~GatewayApp() {
  if (server_) {
    server_->drain(std::chrono::milliseconds(0));
    server_->join();
  }
  for (auto& [name, client] : upstreams_) client->shutdown();
  if (merchants_) merchants_->stop();
}

Result<std::unique_ptr<GatewayApp>> GatewayApp::create(config::GatewayConfig config) {
  std::unique_ptr<GatewayApp> app(new GatewayApp(std::move(config)));
  const config::GatewayConfig& cfg = app->config_;

  Result<crypto::PrivateKey> platform_key =
      crypto::load_or_create_platform_key(cfg.auth.platform_private_key);
  if (!platform_key) return named("auth.platform_private_key", std::move(platform_key).error());
  app->endpoint_services_.platform_key_pem = platform_key->public_key().to_pem();
  app->signer_ = std::make_unique<auth::ResponseSigner>(*platform_key);

  OPP_TRY_ASSIGN(app->store_, auth::MerchantStore::open(cfg.database, cfg.auth.secret_key, 2));
  OPP_TRY_ASSIGN(app->merchants_, auth::MerchantCache::create(*app->store_));
  app->merchants_->start();
  if (cfg.auth.nonce_store != "memory")
    return startup_error("unsupported-nonce-store",
                         "auth.nonce_store: '" + cfg.auth.nonce_store + "' is not built yet");
  app->nonces_ = std::make_unique<auth::MemoryNonceStore>(cfg.auth.max_nonces_per_merchant);
  app->authenticator_ = std::make_unique<auth::Authenticator>(*app->merchants_, *app->nonces_,
                                                              cfg.auth.timestamp_window_s);

  std::error_code ec;
  if (!std::filesystem::is_directory(cfg.idl_dir, ec))
    return startup_error("idl-dir-missing",
                         "idl_dir: " + cfg.idl_dir.string() + " is not a directory");
  auto snapshot = app->catalog_.rescan(cfg.idl_dir);
  for (const auto& [file, status] : snapshot->files)
    if (status.last_error) std::cerr << "idl: " << status.last_error->to_string() << "\n";

  OPP_TRY_ASSIGN(app->access_log_, observe::AccessLog::open(cfg.access_log));

  http::ServerOptions options;
  options.listen = cfg.listen;
  options.threads = cfg.threads ? cfg.threads : std::max(1u, std::thread::hardware_concurrency());
  options.limits.max_header_bytes = cfg.limits.max_header_bytes;
  options.limits.max_body_bytes = cfg.limits.max_body_bytes;
  options.limits.http = cfg.http;
  app->server_ = std::make_unique<http::HttpServer>(options);
  app->metrics_ = std::make_unique<observe::Metrics>(app->server_->threads());

  std::vector<boost::asio::io_context*> contexts;
  for (size_t i = 0; i < app->server_->threads(); ++i)
    contexts.push_back(&app->server_->context(i));
  for (const auto& [svc, upstream] : cfg.upstreams)
    app->upstreams_.emplace(svc, std::make_unique<upstream::UpstreamClient>(upstream, contexts));

  app->pipeline_services_.catalog = &app->catalog_;
  app->pipeline_services_.authenticator = app->authenticator_.get();
  app->pipeline_services_.signer = app->signer_.get();
  app->pipeline_services_.upstreams = &app->upstreams_;
  app->pipeline_services_.access_log = app->access_log_.get();
  app->pipeline_services_.max_json_depth = cfg.limits.max_json_depth;
  app->pipeline_services_.now_s = unix_now_s;
  app->endpoint_services_.metrics = app->metrics_.get();
  app->add_metric_sources();
  return app;
}

void GatewayApp::add_metric_sources() {
  metrics_->add_source([this](std::vector<observe::Gauge>& out) {
    auto snapshot = catalog_.current();
    out.push_back({"opp_registry_generation", "Generation of the IDL catalog snapshot.", "gauge",
                   "", snapshot ? double(snapshot->generation) : 0});
    size_t failing = 0;
    if (snapshot)
      for (const auto& [file, status] : snapshot->files) failing += status.last_error ? 1 : 0;
    out.push_back({"opp_registry_files_failing", "IDL files whose last load failed.", "gauge", "",
                   double(failing)});
    out.push_back({"opp_http_connections_open", "Open client connections.", "gauge", "",
                   double(server_->open_connections())});
    out.push_back({"opp_http_connections_refused_total",
                   "Connections closed at accept because max_connections were open.", "counter", "",
                   double(server_->refused_connections())});
    out.push_back(
        {"opp_merchants", "Merchants held in memory.", "gauge", "", double(merchants_->size())});
    out.push_back({"opp_merchant_refresh_failures_total", "Failed merchant cache refreshes.",
                   "counter", "", double(merchants_->refresh_failures())});
    for (const auto& [svc, client] : upstreams_) {
      const upstream::UpstreamStats stats = client->stats();
      const std::string svc_label = "svc=\"" + svc + "\"";
      for (const upstream::EndpointStats& e : stats.endpoints) {
        const std::string labels = svc_label + ",endpoint=\"" + e.endpoint + "\"";
        out.push_back({"opp_upstream_connections_open", "Open connections to an upstream endpoint.",
                       "gauge", labels, double(e.open_connections)});
        out.push_back({"opp_upstream_endpoint_ejected",
                       "1 while passive health rests the endpoint.", "gauge", labels,
                       e.ejected ? 1.0 : 0.0});
        out.push_back({"opp_upstream_connect_failures_total", "Failed connection attempts.",
                       "counter", labels, double(e.connect_failures)});
        for (size_t k = 0; k < upstream::kFailureKinds; ++k) {
          const auto kind = static_cast<upstream::FailureKind>(k);
          out.push_back({"opp_upstream_errors_total", "Failed upstream calls by kind and endpoint.",
                         "counter",
                         labels + ",kind=\"" + std::string(upstream::sub_code(kind)) + "\"",
                         double(e.failures[k])});
        }
      }
      out.push_back({"opp_upstream_waiting", "Calls waiting for an upstream connection.", "gauge",
                     svc_label, double(stats.waiting)});
    }
    if (access_log_) {
      out.push_back({"opp_access_log_dropped_total",
                     "Access log lines dropped because the disk could not keep up.", "counter", "",
                     double(access_log_->dropped())});
    }
  });
}

Result<uint16_t> GatewayApp::start() {
  return server_->start([this](size_t index, boost::asio::io_context&) {
    return std::make_unique<GatewayHandler>(pipeline_services_, endpoint_services_, index,
                                            metrics_->shard(index));
  });
}

void GatewayApp::reload() {
  if (config_.file.empty()) return;
  Result<config::UpstreamMap> upstreams = config::load_upstreams(config_.file);
  if (!upstreams) {
    std::cerr << "opp-gateway: reload refused, the running configuration stays: "
              << upstreams.error().message << "\n";
    return;
  }
  for (const auto& [svc, upstream] : *upstreams) {
    auto it = upstreams_.find(svc);
    if (it != upstreams_.end()) it->second->update(upstream);
  }
  // Adding or removing a whole upstream takes a restart (the pipelines hold the map).
  std::cerr << "opp-gateway: upstreams reloaded\n";
}

void GatewayApp::stop(std::chrono::milliseconds grace) {
  server_->drain(grace);
}

void GatewayApp::wait() {
  server_->join();
  for (auto& [name, client] : upstreams_) client->shutdown();
  if (access_log_) access_log_->flush();
}

}  // namespace opp::gateway::server
