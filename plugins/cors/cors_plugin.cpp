// The cors plugin's hooks. Everything happens in on_http, before routing: a preflight is
// answered there, and the headers of a simple request added there apply to whichever
// response answers it (the gateway's, another plugin's rejection, an error), which an
// on_response hook would only see for responses that reach it. One hook also means the
// gateway calls the plugin once per request.

#include <memory>
#include <string>
#include <string_view>

#include "common/plugin_support.hpp"
#include "common/shared_snapshot.hpp"
#include "cors/cors.hpp"
#include "cors/cors_config.hpp"
#include "opp/crypto/response_signature.hpp"

namespace opp::plugins {
namespace {

using cors::CorsConfig;

enum class CorsRoute { kNone, kListing, kMerchantApi };

// The routes SPEC §9 names: the three listings and /gateway/{svc}. The other fixed
// routes under /gateway/ (_status, platform-key) are operational, not for browsers.
CorsRoute route_of(std::string_view path) {
  constexpr std::string_view kPrefix = "/gateway/";
  if (!path.starts_with(kPrefix)) return CorsRoute::kNone;
  const std::string_view segment = path.substr(kPrefix.size());
  if (segment == "routes" || segment == "openapi.json" || segment == "docs")
    return CorsRoute::kListing;
  if (segment.empty() || segment.find('/') != std::string_view::npos || segment == "_status" ||
      segment == "platform-key")
    return CorsRoute::kNone;
  return CorsRoute::kMerchantApi;
}

// Response headers a script may read beyond the CORS-safelisted ones: the request id
// everywhere; on the merchant API also the response signature (so a browser client can
// verify it) and the Retry-After of a 429.
std::string exposed_headers(CorsRoute route) {
  if (route == CorsRoute::kListing) return "X-Request-Id";
  std::string out;
  for (std::string_view name : {crypto::kTimestampHeader, crypto::kNonceHeader,
                                crypto::kSignTypeHeader, crypto::kSignatureHeader}) {
    out.append(name);
    out += ", ";
  }
  return out + "X-Request-Id, Retry-After";
}

class CorsPlugin {
 public:
  static constexpr const char* kName = "cors";

  CorsPlugin(const opp_host* host, const YAML::Node& config)
      : host_(host), config_(std::make_shared<const CorsConfig>(cors::parse_cors_config(config))) {}

  /// A new config takes effect for requests that start after it; one in flight keeps
  /// the config it loaded.
  void reconfigure(const YAML::Node& config) {
    config_.store(std::make_shared<const CorsConfig>(cors::parse_cors_config(config)));
  }

  const opp_host* host() const { return host_; }

  opp_verdict on_http(opp_request* r) {
    const CorsRoute route = route_of(view(host_->path(r)));
    if (route == CorsRoute::kNone) return OPP_CONTINUE;
    const std::shared_ptr<const CorsConfig> config = config_.load();
    // With a list of origins the answer depends on Origin, so a cache must key on it,
    // also for the responses that carry no CORS header.
    if (!config->any_origin) host_->add_response_header(r, "Vary", "Origin");

    const opp_str origin = host_->header(r, "Origin");
    if (!present(origin)) return OPP_CONTINUE;  // not a cross-origin request
    const std::string* listed = config->any_origin ? nullptr : config->exact(view(origin));
    const bool allowed = listed || config->allows(view(origin));
    const bool preflight = view(host_->http_method(r)) == "OPTIONS" &&
                           present(host_->header(r, "Access-Control-Request-Method"));

    if (preflight && !allowed) {
      // A browser fails the preflight without Access-Control-Allow-Origin whatever the
      // status; 403 tells a developer reading the network panel why.
      static constexpr std::string_view kBody = "CORS preflight refused: origin not allowed\n";
      host_->respond(r, 403, "text/plain; charset=utf-8", kBody.data(), kBody.size());
      return OPP_STOP;
    }
    if (!allowed) return OPP_CONTINUE;

    // The origin exactly as sent (a browser compares bytes): the listed string when it
    // is byte-equal, else a NUL-terminated copy (it matched after normalization).
    std::string copy;
    const char* allow_origin = "*";
    if (listed)
      allow_origin = listed->c_str();
    else if (!config->any_origin)
      allow_origin = (copy = view(origin)).c_str();
    host_->add_response_header(r, "Access-Control-Allow-Origin", allow_origin);
    if (!preflight) {
      host_->add_response_header(
          r, "Access-Control-Expose-Headers",
          route == CorsRoute::kListing ? listing_exposed_.c_str() : api_exposed_.c_str());
      return OPP_CONTINUE;
    }
    host_->add_response_header(r, "Access-Control-Allow-Methods",
                               route == CorsRoute::kListing ? "GET, OPTIONS" : "POST, OPTIONS");
    if (!config->allow_headers.empty())
      host_->add_response_header(r, "Access-Control-Allow-Headers", config->allow_headers.c_str());
    host_->add_response_header(r, "Access-Control-Max-Age", config->max_age.c_str());
    host_->respond(r, 204, "text/plain", nullptr, 0);
    return OPP_STOP;
  }

 private:
  const opp_host* host_;
  SharedSnapshot<CorsConfig> config_;
  const std::string listing_exposed_ = exposed_headers(CorsRoute::kListing);
  const std::string api_exposed_ = exposed_headers(CorsRoute::kMerchantApi);
};

using Adapter = PluginAdapter<CorsPlugin>;

constexpr opp_plugin kPlugin{
    OPP_PLUGIN_ABI_VERSION, CorsPlugin::kName, OPP_VERSION, Adapter::create, Adapter::reconfigure,
    Adapter::destroy,       Adapter::on_http,  nullptr,     nullptr,
};

}  // namespace

const opp_plugin* cors_plugin() {
  return &kPlugin;
}

}  // namespace opp::plugins
