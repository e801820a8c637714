// The catalog's scans of an idl_dir of 200 generated service files that all include one
// shared file: the first scan (everything parsed and compiled), a rescan of an unchanged
// directory (hashes only), a rescan after one service file changed, and after the shared
// include changed (everything that includes it rebuilt).
#include <benchmark/benchmark.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "opp/catalog/catalog.hpp"

namespace {

namespace fs = std::filesystem;
constexpr int kServices = 200;

std::string service_file(int i, int revision) {
  std::string s = "include \"common.thrift\"\n";
  s += "struct Req" + std::to_string(i) +
       " {\n  1: string merchant_id,\n  2: string out_order_no,\n";
  s += "  3: i64 amount,\n  4: list<common.Item> items,\n  5: map<string, string> extra,\n}\n";
  s += "struct Resp" + std::to_string(i) +
       " {\n  1: i32 status,\n  2: common.Item item,\n  3: string note = \"r" +
       std::to_string(revision) + "\",\n}\n";
  s += "service Svc" + std::to_string(i) + " {\n";
  for (int f = 0; f < 6; ++f)
    s += "  Resp" + std::to_string(i) + " Call" + std::to_string(f) + "(1: Req" +
         std::to_string(i) + " req) throws (1: common.BizError e) (api.post = '/svc/call" +
         std::to_string(f) + "')\n";
  return s + "}\n";
}

std::string common_file(int revision) {
  return "struct Item { 1: string sku, 2: i32 count, 3: double price }\n"
         "exception BizError { 1: i32 code, 2: string message }\n"
         "const i32 REVISION = " +
         std::to_string(revision) + "\n";
}

void write(const fs::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

struct Dir {
  fs::path path;
  Dir() {
    path =
        fs::temp_directory_path() / ("opp-catalog-bench-" + std::to_string(std::random_device{}()));
    fs::create_directories(path);
    write(path / "common.thrift", common_file(0));
    for (int i = 0; i < kServices; ++i)
      write(path / ("svc" + std::to_string(i) + ".thrift"), service_file(i, 0));
  }
  ~Dir() { fs::remove_all(path); }
};

void BM_FirstScan(benchmark::State& state) {
  Dir dir;
  for (auto _ : state) benchmark::DoNotOptimize(opp::catalog::scan(dir.path));
}

void BM_RescanUnchanged(benchmark::State& state) {
  Dir dir;
  auto previous = opp::catalog::scan(dir.path);
  for (auto _ : state) benchmark::DoNotOptimize(opp::catalog::scan(dir.path, previous.get()));
}

void BM_RescanOneServiceChanged(benchmark::State& state) {
  Dir dir;
  auto previous = opp::catalog::scan(dir.path);
  int revision = 0;
  for (auto _ : state) {
    state.PauseTiming();
    write(dir.path / "svc7.thrift", service_file(7, ++revision));
    state.ResumeTiming();
    previous = opp::catalog::scan(dir.path, previous.get());
  }
}

void BM_RescanSharedIncludeChanged(benchmark::State& state) {
  Dir dir;
  auto previous = opp::catalog::scan(dir.path);
  int revision = 0;
  for (auto _ : state) {
    state.PauseTiming();
    write(dir.path / "common.thrift", common_file(++revision));
    state.ResumeTiming();
    previous = opp::catalog::scan(dir.path, previous.get());
  }
}

}  // namespace

BENCHMARK(BM_FirstScan)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RescanUnchanged)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RescanOneServiceChanged)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RescanSharedIncludeChanged)->Unit(benchmark::kMillisecond);
BENCHMARK_MAIN();
