#include "gateway/server/gateway_app.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <ctime>
#include <fstream>
#include <iostream>
#include <sstream>

#include "gateway/auth/memory_nonce_store.hpp"
#include "gateway/auth/redis_nonce_store.hpp"
#include "gateway/config/config_loader.hpp"
#include "gateway/plugins/plugin_loader.hpp"
#include "opp/common/daemon_command_line.hpp"
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

upstream::ClientOptions client_options(const config::UpstreamConfig& upstream) {
  upstream::ClientOptions options;
  options.pipeline_depth = upstream.pipeline_depth;
  return options;
}

int64_t unix_now_s() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

/// "2027-01-31T12:00:00Z".
std::string utc_date_time(int64_t unix_seconds) {
  const auto t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

GatewayApp::GatewayApp(config::GatewayConfig config) : config_(std::move(config)) {}

GatewayApp::~GatewayApp() {
  for (const auto& watcher : discoveries_) watcher->stop();  // they post to control_
  if (control_thread_.joinable()) {
    boost::asio::post(control_, [this] {
      if (idl_reloader_) idl_reloader_->stop();
      if (config_watcher_) config_watcher_->stop();
    });
    control_.stop();
    control_thread_.join();
  }
  if (server_) {
    server_->drain(std::chrono::milliseconds(0));
    server_->join();
  }
  // Its Redis connections live on the io_contexts, which go with server_.
  authenticator_.reset();
  nonces_.reset();
  for (const auto& [name, client] : *upstreams_.current()) client->shutdown_stopped();
  for (const auto& client : retired_upstreams_) client->shutdown_stopped();
  if (merchants_) merchants_->stop();
}

void GatewayApp::log(const std::string& line) {
  std::cerr << "opp-gateway: " << line << std::endl;
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
  auth::MerchantCacheOptions cache_options;
  cache_options.refresh_interval = std::chrono::milliseconds(cfg.auth.merchant_refresh_ms);
  OPP_TRY_ASSIGN(app->merchants_, auth::MerchantCache::create(*app->store_, cache_options));
  app->merchants_->start();
  if (cfg.tls) {
    OPP_TRY_ASSIGN(app->tls_, http::TlsContextStore::open(*cfg.tls));
  }
  // The io threads' contexts exist from here on (their threads start in start()): the
  // clients that live on them are built below.
  http::ServerOptions options;
  options.listen = cfg.listen;
  if (cfg.tls) options.tls_listen = cfg.tls->listen;
  options.tls = app->tls_.get();
  options.threads = cfg.threads ? cfg.threads : std::max(1u, std::thread::hardware_concurrency());
  options.limits.max_header_bytes = cfg.limits.max_header_bytes;
  options.limits.max_body_bytes = cfg.limits.max_body_bytes;
  options.limits.http = cfg.http;
  options.keep_headers = &app->keep_headers_;
  app->server_ = std::make_unique<http::HttpServer>(options);
  app->metrics_ = std::make_unique<observe::Metrics>(app->server_->threads());

  for (size_t i = 0; i < app->server_->threads(); ++i)
    app->io_contexts_.push_back(&app->server_->context(i));
  if (cfg.auth.nonce_store == "redis") {
    // The loader refuses nonce_store: redis without the redis section.
    redis::ClientOptions redis_options;
    redis_options.host = cfg.redis->address.host;
    redis_options.port = cfg.redis->address.port;
    app->nonces_ =
        std::make_unique<auth::RedisNonceStore>(std::move(redis_options), app->io_contexts_);
  } else if (cfg.auth.nonce_store == "memory") {
    app->nonces_ = std::make_unique<auth::MemoryNonceStore>(cfg.auth.max_nonces_per_merchant);
  } else {
    return startup_error("unsupported-nonce-store",
                         "auth.nonce_store: '" + cfg.auth.nonce_store + "' is not built");
  }
  app->authenticator_ = std::make_unique<auth::Authenticator>(*app->merchants_, *app->nonces_,
                                                              cfg.auth.timestamp_window_s);

  std::error_code ec;
  if (!std::filesystem::is_directory(cfg.idl_dir, ec))
    return startup_error("idl-dir-missing",
                         "idl_dir: " + cfg.idl_dir.string() + " is not a directory");
  auto snapshot = app->catalog_.rescan(cfg.idl_dir);
  for (const auto& [file, status] : snapshot->files)
    if (status.last_error) log("idl: " + status.last_error->to_string());

  OPP_TRY_ASSIGN(app->access_log_, observe::AccessLog::open(cfg.access_log));
  OPP_TRY_ASSIGN(std::shared_ptr<const plugins::PluginChain> chain,
                 plugins::load_plugin_chain(cfg.plugins));
  app->publish_plugins(std::move(chain));

  auto upstreams = std::make_shared<pipeline::UpstreamMap>();
  for (const auto& [svc, upstream] : cfg.upstreams)
    upstreams->emplace(svc, std::make_shared<upstream::UpstreamClient>(upstream, app->io_contexts_,
                                                                       client_options(upstream)));
  app->upstreams_.publish(std::move(upstreams));
  if (!cfg.file.empty()) app->config_text_ = read_file(cfg.file);

  app->pipeline_services_.catalog = &app->catalog_;
  app->pipeline_services_.authenticator = app->authenticator_.get();
  app->pipeline_services_.signer = app->signer_.get();
  app->pipeline_services_.upstreams = &app->upstreams_;
  app->pipeline_services_.access_log = app->access_log_.get();
  app->pipeline_services_.max_json_depth = cfg.limits.max_json_depth;
  app->pipeline_services_.now_s = unix_now_s;
  app->endpoint_services_.metrics = app->metrics_.get();
  app->endpoint_services_.catalog = &app->catalog_;
  app->endpoint_services_.listings = &app->listings_;
  app->endpoint_services_.plugins = &app->plugins_;
  OPP_TRY(app->start_reloaders());
  app->endpoint_services_.reload_stats = &app->idl_reloader_->stats();
  app->add_metric_sources();
  if (app->tls_) app->add_tls_metric_source();
  app->start_discovery();
  return app;
}

Result<void> GatewayApp::start_reloaders() {
  idl_reloader_ = std::make_unique<reload::IdlReloader>(control_, catalog_, config_.idl_dir, log);
  OPP_TRY(idl_reloader_->start());
  if (!config_.file.empty()) {
    // The config file is watched through its directory: editors replace it by rename.
    config_watcher_ = std::make_unique<reload::FileWatcher>(
        control_, std::chrono::milliseconds(200), [this] { reload_config(); },
        [name = config_.file.filename()](const std::filesystem::path& path, bool) {
          return path.filename() == name;
        });
    OPP_TRY(config_watcher_->start());
    config_watcher_->watch({config_.file.parent_path()});
  }
  control_thread_ = std::thread([this] {
    auto guard = boost::asio::make_work_guard(control_);
    control_.run();
  });
  return {};
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
    const reload::ReloadStats& reloads = idl_reloader_->stats();
    out.push_back({"opp_registry_reloads_total", "Rescans of idl_dir published.", "counter", "",
                   double(reloads.reloads.load())});
    out.push_back({"opp_registry_reload_failures_total",
                   "Rescans that left at least one IDL file failing.", "counter", "",
                   double(reloads.failures.load())});
    out.push_back({"opp_registry_last_reload_seconds", "Duration of the last rescan.", "gauge", "",
                   double(reloads.last_duration_us.load()) / 1e6});
    out.push_back({"opp_http_connections_open", "Open client connections.", "gauge", "",
                   double(server_->open_connections())});
    out.push_back({"opp_http_connections_refused_total",
                   "Connections closed at accept because max_connections were open.", "counter", "",
                   double(server_->refused_connections())});
    out.push_back(
        {"opp_merchants", "Merchants held in memory.", "gauge", "", double(merchants_->size())});
    out.push_back({"opp_merchant_refresh_failures_total", "Failed merchant cache refreshes.",
                   "counter", "", double(merchants_->refresh_failures())});
    for (const auto& [svc, client] : *upstreams_.current()) {
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

void GatewayApp::add_tls_metric_source() {
  metrics_->add_source([this](std::vector<observe::Gauge>& out) {
    const http::HandshakeTotals handshakes = server_->tls_handshakes();
    out.push_back({"opp_tls_handshakes_total", "TLS handshakes completed.", "counter", "",
                   double(handshakes.completed)});
    for (size_t i = 0; i < http::kHandshakeFailureKinds; ++i) {
      const auto failure = static_cast<http::HandshakeFailure>(i);
      out.push_back({"opp_tls_handshake_failures_total",
                     "Connections to the TLS listener that never completed a handshake.", "counter",
                     "reason=\"" + std::string(http::handshake_failure_name(failure)) + "\"",
                     double(handshakes.failed[i])});
    }
    out.push_back({"opp_tls_certificate_reloads_total", "Certificate and key reloads applied.",
                   "counter", "", double(tls_->reloads())});
    out.push_back({"opp_tls_certificate_reload_failures_total",
                   "Certificate and key reloads refused (the running certificate stays).",
                   "counter", "", double(tls_->reload_failures())});
    out.push_back({"opp_tls_certificate_expiry_seconds",
                   "notAfter of the certificate served, Unix seconds.", "gauge", "",
                   double(tls_->not_after())});
  });
}

Result<http::BoundListeners> GatewayApp::start() {
  return server_->start([this](size_t index, boost::asio::io_context&) {
    return std::make_unique<GatewayHandler>(pipeline_services_, endpoint_services_, index,
                                            metrics_->shard(index));
  });
}

void GatewayApp::reload() {
  boost::asio::post(control_, [this] {
    config_text_.clear();  // SIGHUP applies the file even when it looks unchanged
    reload_config(true);
  });
}

void GatewayApp::reload_config(bool reread_certificates) {
  const bool tls_changed = apply_config_file();
  if (tls_changed || reread_certificates) reload_tls();
}

void GatewayApp::reload_tls() {
  if (!tls_) return;
  Result<void> reloaded = tls_->reload(*config_.tls);
  if (!reloaded) {
    log("tls: certificate reload refused, the running certificate stays: " +
        opp::one_line(reloaded.error().message));
    return;
  }
  log("tls: certificate reloaded from " + config_.tls->cert.string() + " (valid until " +
      utc_date_time(tls_->not_after()) + ")");
}

void GatewayApp::publish_plugins(std::shared_ptr<const plugins::PluginChain> chain) {
  keep_headers_.store(!chain->empty(), std::memory_order_relaxed);
  plugins_.publish(std::move(chain));
}

// Everything is validated (upstreams, then every plugin's config) before anything is
// applied: a bad config changes nothing. True when the tls settings changed.
bool GatewayApp::apply_config_file() {
  if (config_.file.empty()) return false;
  const std::string text = read_file(config_.file);
  if (text == config_text_) return false;  // the directory changed, not this file
  Result<config::UpstreamMap> configured = config::parse_upstreams(text);
  Result<config::GatewayConfig> whole =
      configured ? config::parse_gateway_config(text, config_.file.parent_path())
                 : Result<config::GatewayConfig>(configured.error());
  if (!whole) {
    log("config reload refused, the running config stays: " + opp::one_line(whole.error().message));
    return false;
  }
  const std::shared_ptr<const plugins::PluginChain> current = plugins_.current();
  Result<std::shared_ptr<const plugins::PluginChain>> chain =
      plugins::load_plugin_chain(whole->plugins, current.get());
  if (!chain) {
    log("config reload refused, the running config stays: " + chain.error().message);
    return false;
  }
  config_text_ = text;
  if (whole->plugins != config_.plugins) {
    publish_plugins(std::move(*chain));
    config_.plugins = whole->plugins;
    log("plugins reloaded: " + std::to_string(config_.plugins.size()) + " configured");
  }
  apply_upstreams(*configured);
  return apply_tls_settings(whole->tls);
}

// The listeners are bound at start: a tls section added or removed, or a new tls.listen,
// waits for a restart. The certificate, key and min_version apply at once.
bool GatewayApp::apply_tls_settings(const std::optional<config::TlsConfig>& next) {
  if (next.has_value() != config_.tls.has_value() || (next && next->listen != config_.tls->listen))
    log("tls: adding, removing or moving the TLS listener takes a restart; it stays as it is");
  if (!next || !config_.tls) return false;
  config::TlsConfig settings = *next;
  settings.listen = config_.tls->listen;
  if (settings == *config_.tls) return false;
  config_.tls = std::move(settings);
  return true;
}

void GatewayApp::apply_upstreams(const config::UpstreamMap& configured) {
  std::shared_ptr<const pipeline::UpstreamMap> current = upstreams_.current();
  auto next = std::make_shared<pipeline::UpstreamMap>();
  for (const auto& [svc, configured_upstream] : configured) {
    config::UpstreamConfig upstream = configured_upstream;
    if (!upstream.discovery.empty() && discovered_.count(svc))
      upstream.endpoints = discovered_.at(svc);  // a reload keeps what etcd said
    auto it = current->find(svc);
    if (it != current->end()) {
      it->second->update(upstream);  // keeps healthy connections to endpoints that remain
      next->emplace(svc, it->second);
    } else {
      next->emplace(svc, std::make_shared<upstream::UpstreamClient>(upstream, io_contexts_,
                                                                    client_options(upstream)));
    }
  }
  for (const auto& [svc, client] : *current) {
    if (next->count(svc)) continue;
    // Calls in flight keep the client; shut it down once they are past their deadline.
    retired_upstreams_.push_back(client);
    auto timer = std::make_shared<boost::asio::steady_timer>(
        control_, std::chrono::milliseconds(config_.upstreams.count(svc)
                                                ? config_.upstreams.at(svc).timeout_ms + 1000
                                                : 10000));
    timer->async_wait([timer, client](boost::system::error_code) { client->shutdown(); });
  }
  upstreams_.publish(std::move(next));
  config_.upstreams = configured;
  log("upstreams reloaded: " + std::to_string(configured.size()) + " configured");
}

void GatewayApp::start_discovery() {
  if (!config_.etcd) return;
  std::vector<etcd::Endpoint> etcd;
  for (const auto& e : config_.etcd->endpoints) etcd.push_back({e.host, e.port});
  for (const auto& [svc, upstream] : config_.upstreams) {
    if (upstream.discovery != "etcd") continue;
    discovery::EtcdDiscoveryOptions options;
    options.etcd = etcd;
    options.svc = svc;
    options.log = log;
    // Applied on the control thread, where reloads also change upstreams.
    options.on_change = [this, svc](std::vector<config::HostPort> endpoints) {
      boost::asio::post(control_, [this, svc, endpoints = std::move(endpoints)]() mutable {
        apply_discovered(svc, std::move(endpoints));
      });
    };
    discoveries_.push_back(std::make_unique<discovery::EtcdDiscovery>(std::move(options)));
    discoveries_.back()->start();
  }
  if (discoveries_.empty()) return;
  metrics_->add_source([this](std::vector<observe::Gauge>& out) {
    for (const auto& watcher : discoveries_) {
      const std::string labels = "svc=\"" + watcher->svc() + "\"";
      out.push_back({"opp_discovery_connected", "1 while the etcd watch of the upstream is live.",
                     "gauge", labels, watcher->connected() ? 1.0 : 0.0});
      out.push_back({"opp_discovery_endpoints", "Endpoints of the upstream discovered in etcd.",
                     "gauge", labels, double(watcher->endpoint_count())});
    }
  });
}

void GatewayApp::apply_discovered(const std::string& svc, std::vector<config::HostPort> endpoints) {
  discovered_[svc] = endpoints;
  auto configured = config_.upstreams.find(svc);
  if (configured == config_.upstreams.end() || configured->second.discovery.empty())
    return;  // a reload made it static or removed it
  const std::shared_ptr<const pipeline::UpstreamMap> current = upstreams_.current();
  auto client = current->find(svc);
  if (client == current->end()) return;
  config::UpstreamConfig upstream = configured->second;
  upstream.endpoints = std::move(endpoints);
  client->second->update(upstream);
}

void GatewayApp::stop(std::chrono::milliseconds grace) {
  server_->drain(grace);
}

void GatewayApp::wait() {
  server_->join();
  // The io threads are gone: shut the clients down here, not by posting to them.
  for (const auto& [name, client] : *upstreams_.current()) client->shutdown_stopped();
  for (const auto& client : retired_upstreams_) client->shutdown_stopped();
  if (access_log_) access_log_->flush();
}

}  // namespace opp::gateway::server
