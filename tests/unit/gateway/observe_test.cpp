// Metrics shards and their Prometheus text; the access log's lines and its bound.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "gateway/observe/access_log.hpp"
#include "gateway/observe/metrics.hpp"

using namespace opp::gateway::observe;

namespace {

std::string temp_path(const std::string& name) {
  std::random_device rd;
  return (std::filesystem::temp_directory_path() / (name + std::to_string(rd()))).string();
}

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST_CASE("metrics: shards merge into one exposition", "[observe]") {
  Metrics metrics(2);
  metrics.shard(0).record("payment", "QueryOrder", 0, 0.0004);
  metrics.shard(1).record("payment", "QueryOrder", 0, 0.003);
  metrics.shard(1).record("payment", "Refund", 20005, 0.02);
  metrics.shard(0).record("", "", 10003, 0.0001);
  metrics.add_source([](std::vector<Gauge>& out) {
    out.push_back({"opp_registry_generation", "Catalog generation.", "gauge", "", 7});
  });
  const std::string text = metrics.render();
  CHECK(text.find("opp_requests_total{svc=\"payment\",method=\"QueryOrder\",err_code=\"0\"} 2\n") !=
        std::string::npos);
  CHECK(text.find("opp_requests_total{svc=\"payment\",method=\"Refund\",err_code=\"20005\"} 1\n") !=
        std::string::npos);
  CHECK(text.find("opp_requests_total{svc=\"\",method=\"\",err_code=\"10003\"} 1\n") !=
        std::string::npos);
  CHECK(text.find("opp_request_duration_seconds_bucket{le=\"0.0005\"} 2\n") != std::string::npos);
  CHECK(text.find("opp_request_duration_seconds_bucket{le=\"0.005\"} 3\n") != std::string::npos);
  CHECK(text.find("opp_request_duration_seconds_bucket{le=\"+Inf\"} 4\n") != std::string::npos);
  CHECK(text.find("opp_request_duration_seconds_count 4\n") != std::string::npos);
  CHECK(text.find("# TYPE opp_registry_generation gauge\nopp_registry_generation 7\n") !=
        std::string::npos);
}

TEST_CASE("metrics: label values are escaped and the series set is bounded", "[observe]") {
  Metrics metrics(1);
  metrics.shard(0).record("s\"v\\c", "m\nx", 0, 0.001);
  const std::string text = metrics.render();
  CHECK(text.find(R"(svc="s\"v\\c",method="m\nx")") != std::string::npos);
  for (size_t i = 0; i < MetricsShard::kMaxSeries + 50; ++i)
    metrics.shard(0).record("svc", "m" + std::to_string(i), 0, 0.001);
  const std::string bounded = metrics.render();
  size_t series = 0;
  for (size_t at = bounded.find("opp_requests_total{"); at != std::string::npos;
       at = bounded.find("opp_requests_total{", at + 1))
    ++series;
  CHECK(series <= MetricsShard::kMaxSeries + 1);
}

TEST_CASE("metrics: concurrent recording from shard owners while scraping", "[observe]") {
  Metrics metrics(2);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < 2; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 20000; ++i) metrics.shard(t).record("payment", "Q", 0, 0.001);
    });
  for (int i = 0; i < 20; ++i)
    CHECK(metrics.render().find("opp_requests_total") != std::string::npos);
  for (auto& t : threads) t.join();
  CHECK(metrics.render().find("err_code=\"0\"} 40000\n") != std::string::npos);
}

TEST_CASE("access log: one JSON line per request with the fields of record", "[observe]") {
  const std::string path = temp_path("opp-access-");
  {
    auto log = AccessLog::open(path);
    REQUIRE(log);
    AccessRecord record;
    record.request_id = "rid-1";
    record.client = "127.0.0.1";
    record.merchant = "M1";
    record.svc = "payment";
    record.method = "QueryOrder";
    record.err_code = 20002;
    record.status = 200;
    record.latency_ms = 1.25;
    record.upstream = "127.0.0.1:8081";
    (*log)->write(record);
    record.request_id = "rid-\"2\"\n";
    (*log)->write(record);
    (*log)->flush();
    CHECK((*log)->written() == 2);
  }
  const std::string text = slurp(path);
  std::filesystem::remove(path);
  CHECK(std::count(text.begin(), text.end(), '\n') == 2);
  CHECK(text.find(R"("request_id":"rid-1","client":"127.0.0.1","merchant":"M1","svc":"payment",)"
                  R"("method":"QueryOrder","err_code":20002,"status":200,"latency_ms":1.250,)"
                  R"("upstream":"127.0.0.1:8081"})") != std::string::npos);
  CHECK(text.find(R"("request_id":"rid-\"2\"\n")") != std::string::npos);
  CHECK(text.rfind("{\"time\":\"20", 0) == 0);
}

TEST_CASE("access log: a writer that cannot keep up drops and counts, never blocks", "[observe]") {
  // A pipe nobody reads fills after 64 KiB: the writer thread blocks, requests must not.
  int fds[2];
  REQUIRE(pipe(fds) == 0);
  const std::string path = "/dev/fd/" + std::to_string(fds[1]);
  auto log = AccessLog::open(path);
  REQUIRE(log);
  const std::string request_id(200, 'r');  // outlives the record's view of it
  AccessRecord record;
  record.request_id = request_id;
  const auto started = std::chrono::steady_clock::now();
  const size_t lines = (AccessLog::kMaxBufferedBytes / 200) * 2;
  for (size_t i = 0; i < lines; ++i) (*log)->write(record);
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(20));
  CHECK((*log)->dropped() > 0);
  // Unblock the writer so the log can shut down.
  std::thread drain([fd = fds[0]] {
    char buffer[65536];
    while (read(fd, buffer, sizeof buffer) > 0) {
    }
  });
  log->reset();
  close(fds[1]);
  drain.join();
  close(fds[0]);
}

TEST_CASE("access log: an unwritable destination is a start-up error", "[observe]") {
  // Below a file that is not a directory: unwritable even to root, who may create
  // directories anywhere.
  auto log = AccessLog::open("/dev/null/x/access.log");
  REQUIRE_FALSE(log);
  CHECK(log.error().sub_code == "access-log-unwritable");
  CHECK(log.error().message.find("/dev/null/x/access.log") != std::string::npos);
  auto off = AccessLog::open("");
  REQUIRE(off);
  CHECK(*off == nullptr);
}
