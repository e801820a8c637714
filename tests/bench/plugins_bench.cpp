// bench_plugins: what the cors and request-log hooks cost a request, through their
// opp_plugin tables and the gateway's host table, on one thread and on two at once
// (their shared state is a config pointer and, for request-log, the line queue).
#include <benchmark/benchmark.h>

#include <string>

#include "cors/cors.hpp"
#include "gateway/http/http_message.hpp"
#include "gateway/plugins/plugin_request.hpp"
#include "gateway/request/request_params.hpp"
#include "request-log/request_log.hpp"

namespace {

using opp::gateway::http::IncomingRequest;
using opp::gateway::http::Method;

void* create(const opp_plugin* plugin, const std::string& yaml) {
  char error[256] = "";
  opp_error_buffer buffer{error, sizeof error};
  void* instance =
      plugin->create(opp::gateway::plugins::host_table(), yaml.data(), yaml.size(), &buffer);
  if (!instance) throw std::runtime_error(error);
  return instance;
}

struct Instance {
  const opp_plugin* plugin;
  void* instance;
  Instance(const opp_plugin* p, const std::string& yaml) : plugin(p), instance(create(p, yaml)) {}
  ~Instance() { plugin->destroy(instance); }
};

IncomingRequest request(Method method, const char* path) {
  IncomingRequest http;
  http.method = method;
  http.target = path;
  http.client_address = "10.1.2.3";
  http.request_id = "8d1c6f0e-5b7a-4c57-9e0f-2a1f3c4d5e6f";
  // Headers as a browser sends them: the plugin scans this list by name.
  http.headers = {{"Host", "gateway.example"},
                  {"User-Agent", "Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0"},
                  {"Accept", "*/*"},
                  {"Accept-Language", "en-US,en;q=0.5"},
                  {"Content-Type", "application/x-www-form-urlencoded"},
                  {"Origin", "https://shop.example"},
                  {"Connection", "keep-alive"}};
  return http;
}

Instance& cors() {
  static Instance instance(
      opp::plugins::cors_plugin(),
      "allow_origins: ['https://a.example', 'https://shop.example', 'http://localhost:8080']");
  return instance;
}

void BM_CorsPreflight(benchmark::State& state) {
  IncomingRequest http = request(Method::kOptions, "/gateway/payment");
  http.headers.add("Access-Control-Request-Method", "POST");
  for (auto _ : state) {
    opp_request r;
    r.http = &http;
    benchmark::DoNotOptimize(cors().plugin->on_http(cors().instance, &r));
    benchmark::DoNotOptimize(r.answer);
  }
}
BENCHMARK(BM_CorsPreflight)->Threads(1)->Threads(2)->UseRealTime();

void BM_CorsSimplePost(benchmark::State& state) {
  IncomingRequest http = request(Method::kPost, "/gateway/payment");
  for (auto _ : state) {
    opp_request r;
    r.http = &http;
    benchmark::DoNotOptimize(cors().plugin->on_http(cors().instance, &r));
    benchmark::DoNotOptimize(r.added_headers);
  }
}
BENCHMARK(BM_CorsSimplePost)->Threads(1)->Threads(2)->UseRealTime();

// A UnifyPay-sized call: ~450 bytes of biz_params with two members to mask.
const std::string& form_body() {
  static const std::string body =
      "merchant_id=M100200300&method=unifypay&timestamp=1700000000&nonce_str=n0nc3n0nc3n0nc3&"
      "sign_type=HMAC-SHA256&sign=0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0&"
      "biz_params=%7B%22out_order_no%22%3A%22ORD-2024-000123456%22%2C%22total_amount%22%3A12999%2C"
      "%22currency%22%3A%22CNY%22%2C%22subject%22%3A%22Order%20123456%22%2C%22notify_url%22%3A%22"
      "https%3A%2F%2Fshop.example%2Fnotify%22%2C%22payer%22%3A%7B%22name%22%3A%22Li%20Lei%22%2C"
      "%22card_no%22%3A%224111111111111111%22%2C%22phone%22%3A%2213800000000%22%7D%2C%22items%22"
      "%3A%5B%7B%22sku%22%3A%22A1%22%2C%22qty%22%3A2%2C%22price%22%3A4999%7D%2C%7B%22sku%22%3A%22"
      "B2%22%2C%22qty%22%3A1%2C%22price%22%3A3001%7D%5D%2C%22attach%22%3A%22campaign%3Dspring%22"
      "%2C%22cvv%22%3A%22123%22%7D";
  return body;
}

void BM_RequestLogOnResponse(benchmark::State& state) {
  // /dev/null: the hook's cost, not the disk's (it is not a regular file: never rotated).
  static Instance log(opp::plugins::request_log_plugin(),
                      "path: /dev/null\nredact_fields: [card_no, cvv]");
  IncomingRequest http = request(Method::kPost, "/gateway/payment");
  auto params =
      opp::gateway::request::parse_request_params("application/x-www-form-urlencoded", form_body());
  for (auto _ : state) {
    opp_request r;
    r.http = &http;
    r.params = &*params;
    r.merchant = "M100200300";
    r.svc = "payment";
    r.method = "UnifyPay";
    r.status = 200;
    r.elapsed_us = 812;
    log.plugin->on_response(log.instance, &r);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * form_body().size()));
}
BENCHMARK(BM_RequestLogOnResponse)->Threads(1)->Threads(2)->UseRealTime();

}  // namespace
