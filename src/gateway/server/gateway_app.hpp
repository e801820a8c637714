#pragma once
// opp-gateway put together: configuration in, every component built once in dependency
// order, the HTTP server started; stop() drains it.

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "gateway/auth/authenticator.hpp"
#include "gateway/auth/merchant_cache.hpp"
#include "gateway/auth/merchant_store.hpp"
#include "gateway/auth/nonce_store.hpp"
#include "gateway/auth/response_signer.hpp"
#include "gateway/config/config_loader.hpp"
#include "gateway/config/gateway_config.hpp"
#include "gateway/discovery/etcd_discovery.hpp"
#include "gateway/http/http_server.hpp"
#include "gateway/http/tls_context.hpp"
#include "gateway/observe/access_log.hpp"
#include "gateway/observe/metrics.hpp"
#include "gateway/pipeline/request_pipeline.hpp"
#include "gateway/pipeline/upstream_directory.hpp"
#include "gateway/plugins/plugin_directory.hpp"
#include "gateway/reload/file_watcher.hpp"
#include "gateway/reload/idl_reloader.hpp"
#include "gateway/server/gateway_handler.hpp"
#include "opp/catalog/catalog.hpp"
#include "opp/common/result.hpp"

namespace opp::gateway::server {

class GatewayApp {
 public:
  /// Builds every component of `config` (platform key and key-encryption key generated
  /// when missing, merchant store opened and its schema created, idl_dir scanned).
  /// Errors: the first component that cannot start, with a message naming it.
  static Result<std::unique_ptr<GatewayApp>> create(config::GatewayConfig config);
  ~GatewayApp();

  /// Starts serving; returns the addresses bound.
  Result<http::BoundListeners> start();
  /// Stops accepting, lets requests in flight finish (at most `grace`), then stops.
  /// Thread-safe; returns at once.
  void stop(std::chrono::milliseconds grace);
  /// Returns once serving has stopped.
  void wait();

  /// SIGHUP: reads the config file's `upstreams`, `plugins` and `tls` settings again and
  /// applies them (also done when the file changes), then the TLS certificate and key
  /// (SIGHUP only: they may have changed under the same config). A bad new config, or a
  /// certificate that cannot be used, is refused with a log line and the old one keeps
  /// serving. Thread-safe; the work happens on the control thread.
  void reload();

  const catalog::Catalog& catalog() const { return catalog_; }

 private:
  explicit GatewayApp(config::GatewayConfig config);
  void add_metric_sources();
  void add_tls_metric_source();
  Result<void> start_reloaders();
  // On the control thread: the config file (upstreams, plugins, tls settings), then the
  // certificate and key when the tls settings changed or `reread_certificates`.
  void reload_config(bool reread_certificates = false);
  bool apply_config_file();
  bool apply_tls_settings(const std::optional<config::TlsConfig>& next);
  void reload_tls();
  void apply_upstreams(const config::UpstreamMap& configured);
  void start_discovery();  // one etcd watcher per `discovery: etcd` upstream
  void apply_discovered(const std::string& svc, std::vector<config::HostPort> endpoints);
  void publish_plugins(std::shared_ptr<const plugins::PluginChain> chain);
  static void log(const std::string& line);

  config::GatewayConfig config_;
  std::unique_ptr<auth::MerchantStore> store_;
  std::unique_ptr<auth::MerchantCache> merchants_;
  std::unique_ptr<auth::NonceStore> nonces_;  ///< memory or redis (auth.nonce_store)
  std::unique_ptr<auth::Authenticator> authenticator_;
  std::unique_ptr<auth::ResponseSigner> signer_;
  catalog::Catalog catalog_;
  std::unique_ptr<observe::AccessLog> access_log_;
  std::unique_ptr<observe::Metrics> metrics_;
  std::unique_ptr<http::TlsContextStore> tls_;  ///< with a `tls` section; before the server
  std::unique_ptr<http::HttpServer> server_;
  // After the server: the clients use its io_contexts and go first.
  std::vector<boost::asio::io_context*> io_contexts_;
  pipeline::UpstreamDirectory upstreams_;
  /// Clients of upstreams removed by a reload: shut down once their calls are over,
  /// kept until exit so no request ever holds a destroyed client.
  std::vector<std::shared_ptr<upstream::UpstreamClient>> retired_upstreams_;
  std::string config_text_;  ///< of the last config applied, to ignore no-op changes
  plugins::PluginDirectory plugins_;
  std::atomic<bool> keep_headers_{false};  ///< a plugin is configured: requests keep headers
  pipeline::PipelineServices pipeline_services_;
  EndpointServices endpoint_services_;
  ListingCache listings_;

  // The control thread: file watching and reloads, off the request threads.
  boost::asio::io_context control_{1};
  std::unique_ptr<reload::IdlReloader> idl_reloader_;
  std::unique_ptr<reload::FileWatcher> config_watcher_;
  std::thread control_thread_;
  /// Endpoints last discovered per svc, applied again by reloads (control thread only).
  std::map<std::string, std::vector<config::HostPort>> discovered_;
  std::vector<std::unique_ptr<discovery::EtcdDiscovery>> discoveries_;
};

}  // namespace opp::gateway::server
