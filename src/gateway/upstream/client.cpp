#include "gateway/upstream/client.hpp"

#include <boost/asio/post.hpp>
#include <stdexcept>

#include "gateway/upstream/endpoint.hpp"
#include "gateway/upstream/pool.hpp"

namespace opp::gateway::upstream {

UpstreamClient::UpstreamClient(const config::UpstreamConfig& config,
                               std::vector<boost::asio::io_context*> io_threads,
                               ClientOptions options)
    : io_(std::move(io_threads)), options_(options), totals_(std::make_shared<Totals>()) {
  if (io_.empty()) throw std::invalid_argument("upstream client: no io thread");
  for (boost::asio::io_context* io : io_) pools_.push_back(std::make_shared<Pool>(*io, totals_));
  settings_ = Settings::from(config, options_);
  protocol_.store(settings_->protocol);
  endpoints_ = std::make_shared<EndpointSet>(config.endpoints, nullptr);
  configure_pools(settings_, endpoints_, true);
}

UpstreamClient::~UpstreamClient() {
  shutdown();
}

void UpstreamClient::configure_pools(const std::shared_ptr<const Settings>& settings,
                                     const std::shared_ptr<const EndpointSet>& endpoints,
                                     bool now) {
  for (size_t i = 0; i < pools_.size(); ++i) {
    const uint32_t connections = share_of(settings->max_connections, pools_.size(), i);
    const uint32_t pending = share_of(settings->max_pending, pools_.size(), i);
    if (now) {
      pools_[i]->configure(settings, endpoints, connections, pending);
    } else {
      boost::asio::post(*io_[i], [pool = pools_[i], settings, endpoints, connections, pending] {
        pool->configure(settings, endpoints, connections, pending);
      });
    }
  }
}

void UpstreamClient::call(size_t io_index, CallRequest request, CallCallback done) {
  Pool& pool = *pools_[io_index];
  if (pool.connection_share() > 0) return pool.call(std::move(request), std::move(done));
  // Fewer connections than io threads: a thread with a share serves this one's calls.
  auto home = pools_[io_index % pool.settings().max_connections];
  boost::asio::io_context& origin = *io_[io_index];
  boost::asio::post(home->io(), [home, &origin, request = std::move(request),
                                 done = std::move(done)]() mutable {
    home->call(std::move(request), [&origin, done = std::move(done)](CallResult result) mutable {
      boost::asio::post(origin, [done = std::move(done), result = std::move(result)]() mutable {
        done(std::move(result));
      });
    });
  });
}

void UpstreamClient::update(const config::UpstreamConfig& config) {
  std::shared_ptr<const Settings> settings = Settings::from(config, options_);
  std::shared_ptr<const EndpointSet> endpoints;
  {
    std::lock_guard lock(mutex_);
    endpoints = std::make_shared<EndpointSet>(config.endpoints, endpoints_.get());
    endpoints_ = endpoints;
    settings_ = settings;
  }
  protocol_.store(settings->protocol);
  configure_pools(settings, endpoints, false);
}

void UpstreamClient::shutdown() {
  for (size_t i = 0; i < pools_.size(); ++i)
    boost::asio::post(*io_[i], [pool = pools_[i]] { pool->shutdown(); });
}

void UpstreamClient::shutdown_stopped() {
  for (const auto& pool : pools_) pool->shutdown();
}

UpstreamStats UpstreamClient::stats() const {
  std::shared_ptr<const EndpointSet> endpoints;
  {
    std::lock_guard lock(mutex_);
    endpoints = endpoints_;
  }
  UpstreamStats out;
  const auto now = Clock::now();
  for (const auto& endpoint : endpoints->all()) {
    EndpointStats e;
    e.endpoint = endpoint->name();
    e.open_connections = endpoint->open_connections();
    e.ejected = endpoint->ejected(now);
    e.connect_failures = endpoint->connect_failures();
    e.failures = endpoint->failures();
    out.open_connections += e.open_connections;
    out.endpoints.push_back(std::move(e));
  }
  for (size_t i = 0; i < kFailureKinds; ++i)
    out.failures[i] = totals_->failures[i].load(std::memory_order_relaxed);
  out.waiting = totals_->waiting.load(std::memory_order_relaxed);
  return out;
}

}  // namespace opp::gateway::upstream
