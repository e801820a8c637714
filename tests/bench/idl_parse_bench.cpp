// Parse + resolve speed of the IDL front end, on files read into memory beforehand so
// only the front end is measured (lexer, parser, resolver, lookup tables).
#include <benchmark/benchmark.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>

#include "opp/idl/loader.hpp"

namespace {

namespace fs = std::filesystem;

const fs::path kCorpus = fs::path(OPP_SHARED_DIR) / "idl-corpus" / "apache-thrift";

// Every corpus file, keyed by absolute path, so includes resolve from memory too.
const std::map<fs::path, std::string>& corpus_files() {
  static const std::map<fs::path, std::string> files = [] {
    std::map<fs::path, std::string> out;
    for (const fs::path& dir : {kCorpus, kCorpus / "v0.16"}) {
      for (const auto& entry : fs::directory_iterator(dir)) {
        if (entry.path().extension() != ".thrift") continue;
        std::ifstream in(entry.path(), std::ios::binary);
        std::ostringstream text;
        text << in.rdbuf();
        out[fs::absolute(entry.path()).lexically_normal()] = text.str();
      }
    }
    return out;
  }();
  return files;
}

opp::idl::LoadOptions memory_options() {
  opp::idl::LoadOptions options;
  options.include_dirs.push_back(kCorpus);
  options.reader = [](const fs::path& path) -> std::optional<std::string> {
    auto it = corpus_files().find(path);
    if (it == corpus_files().end()) return std::nullopt;
    return it->second;
  };
  return options;
}

void BM_ParseResolveThriftTest(benchmark::State& state) {
  const opp::idl::LoadOptions options = memory_options();
  const fs::path file = kCorpus / "ThriftTest.thrift";
  size_t bytes = corpus_files().at(fs::absolute(file).lexically_normal()).size();
  for (auto _ : state) {
    opp::idl::LoadResult result = opp::idl::load_idl_file(file, options);
    if (!result.schema) throw std::runtime_error(result.errors.front().to_string());
    benchmark::DoNotOptimize(result.schema.get());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
}
BENCHMARK(BM_ParseResolveThriftTest)->Unit(benchmark::kMicrosecond);

void BM_ParseResolveWholeCorpus(benchmark::State& state) {
  const opp::idl::LoadOptions options = memory_options();
  std::vector<fs::path> files;
  size_t bytes = 0;
  for (const auto& [path, text] : corpus_files()) {
    if (path.filename() == "BrokenConstants.thrift") continue;  // rejected by design
    files.push_back(path);
    bytes += text.size();
  }
  for (auto _ : state) {
    for (const fs::path& file : files) {
      opp::idl::LoadResult result = opp::idl::load_idl_file(file, options);
      if (!result.schema) throw std::runtime_error(result.errors.front().to_string());
      benchmark::DoNotOptimize(result.schema.get());
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
  state.counters["files"] = static_cast<double>(files.size());
}
BENCHMARK(BM_ParseResolveWholeCorpus)->Unit(benchmark::kMillisecond);

}  // namespace
