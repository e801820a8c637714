#include "gateway/observe/metrics.hpp"

#include <algorithm>
#include <charconv>

namespace opp::gateway::observe {
namespace {

// A label value with \, " and newline escaped as the exposition format requires.
void append_label_value(std::string& out, std::string_view value) {
  for (char c : value) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
}

// Shortest fixed-point text that reads back as the same double ("0.0005", not 5e-04).
void append_number(std::string& out, double value) {
  char text[400];  // fixed notation of the largest double
  auto end = std::to_chars(text, text + sizeof text, value, std::chars_format::fixed).ptr;
  out.append(text, end);
}

void append_number(std::string& out, uint64_t value) {
  out += std::to_string(value);
}

}  // namespace

void MetricsShard::record(std::string_view svc, std::string_view method, int32_t err_code,
                          double latency_seconds) {
  std::lock_guard lock(mutex_);
  Series series{std::string(svc), std::string(method), err_code};
  auto it = totals_.requests.find(series);
  if (it == totals_.requests.end()) {
    if (totals_.requests.size() >= kMaxSeries) series = Series{"", "", err_code};
    it = totals_.requests.emplace(std::move(series), 0).first;
  }
  ++it->second;
  size_t bucket = static_cast<size_t>(
      std::lower_bound(kLatencyBuckets.begin(), kLatencyBuckets.end(), latency_seconds) -
      kLatencyBuckets.begin());
  ++totals_.buckets[bucket];
  totals_.latency_sum += latency_seconds;
  ++totals_.latency_count;
}

void MetricsShard::add_to(Totals& totals) const {
  std::lock_guard lock(mutex_);
  for (const auto& [series, count] : totals_.requests) totals.requests[series] += count;
  for (size_t i = 0; i < totals.buckets.size(); ++i) totals.buckets[i] += totals_.buckets[i];
  totals.latency_sum += totals_.latency_sum;
  totals.latency_count += totals_.latency_count;
}

Metrics::Metrics(size_t shards) {
  for (size_t i = 0; i < std::max<size_t>(1, shards); ++i)
    shards_.push_back(std::make_unique<MetricsShard>());
}

std::string Metrics::render() const {
  MetricsShard::Totals totals;
  for (const auto& shard : shards_) shard->add_to(totals);
  std::string out;
  out.reserve(4096);
  out += "# HELP opp_requests_total Merchant API requests by svc, method and err_code.\n";
  out += "# TYPE opp_requests_total counter\n";
  for (const auto& [series, count] : totals.requests) {
    out += "opp_requests_total{svc=\"";
    append_label_value(out, series.svc);
    out += "\",method=\"";
    append_label_value(out, series.method);
    out += "\",err_code=\"" + std::to_string(series.err_code) + "\"} ";
    append_number(out, count);
    out += '\n';
  }
  out += "# HELP opp_request_duration_seconds Merchant API request latency in the gateway.\n";
  out += "# TYPE opp_request_duration_seconds histogram\n";
  uint64_t cumulative = 0;
  for (size_t i = 0; i < totals.buckets.size(); ++i) {
    cumulative += totals.buckets[i];
    out += "opp_request_duration_seconds_bucket{le=\"";
    if (i < kLatencyBuckets.size())
      append_number(out, kLatencyBuckets[i]);
    else
      out += "+Inf";
    out += "\"} ";
    append_number(out, cumulative);
    out += '\n';
  }
  out += "opp_request_duration_seconds_sum ";
  append_number(out, totals.latency_sum);
  out += "\nopp_request_duration_seconds_count ";
  append_number(out, totals.latency_count);
  out += '\n';

  std::vector<Gauge> gauges;
  for (const auto& source : sources_) source(gauges);
  std::stable_sort(gauges.begin(), gauges.end(),
                   [](const Gauge& a, const Gauge& b) { return a.name < b.name; });
  std::string_view last;
  for (const Gauge& g : gauges) {
    if (g.name != last) {
      out += "# HELP " + g.name + " " + g.help + "\n# TYPE " + g.name + " " + g.type + "\n";
      last = g.name;
    }
    out += g.name;
    if (!g.labels.empty()) out += "{" + g.labels + "}";
    out += ' ';
    append_number(out, g.value);
    out += '\n';
  }
  return out;
}

}  // namespace opp::gateway::observe
