#pragma once
// Request metrics (SPEC §4 /metrics): counters by svc/method/err_code and a latency
// histogram, kept in one shard per io thread so recording never contends across threads;
// the /metrics scrape merges the shards.
//
// Label values are bounded: svc and method are recorded only once resolved against the
// catalog (an unknown svc or method is recorded with an empty label), so hostile input
// cannot grow the label set; the set is capped besides (kMaxSeries).

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

namespace opp::gateway::observe {

/// Upper bounds of the latency histogram, in seconds.
inline constexpr std::array<double, 14> kLatencyBuckets{
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

/// One io thread's counters. record() is called only by its thread; snapshot() by any.
class MetricsShard {
 public:
  static constexpr size_t kMaxSeries = 10000;

  void record(std::string_view svc, std::string_view method, int32_t err_code,
              double latency_seconds);

  struct Series {
    std::string svc, method;
    int32_t err_code;
    bool operator<(const Series& o) const {
      return std::tie(svc, method, err_code) < std::tie(o.svc, o.method, o.err_code);
    }
  };
  struct Totals {
    std::map<Series, uint64_t> requests;
    std::array<uint64_t, kLatencyBuckets.size() + 1> buckets{};  ///< last: +Inf
    double latency_sum = 0;
    uint64_t latency_count = 0;
  };
  /// Adds this shard's counters into `totals`.
  void add_to(Totals& totals) const;

 private:
  mutable std::mutex mutex_;  // uncontended: taken by the owner and the rare scrape
  Totals totals_;
};

/// Values read from elsewhere at scrape time (upstream pools, catalog, HTTP server).
struct Gauge {
  std::string name;  ///< e.g. "opp_registry_generation"
  std::string help;
  std::string type;    ///< "gauge" or "counter"
  std::string labels;  ///< rendered label set without braces, or ""
  double value = 0;
};

/// All shards plus the sources of gauges; renders the Prometheus text exposition.
class Metrics {
 public:
  explicit Metrics(size_t shards);
  MetricsShard& shard(size_t index) { return *shards_[index]; }

  using GaugeSource = std::function<void(std::vector<Gauge>&)>;
  /// Adds a source asked for its values at every scrape. Call before serving.
  void add_source(GaugeSource source) { sources_.push_back(std::move(source)); }

  /// Prometheus text exposition format 0.0.4.
  std::string render() const;

 private:
  std::vector<std::unique_ptr<MetricsShard>> shards_;
  std::vector<GaugeSource> sources_;
};

}  // namespace opp::gateway::observe
