// bench_codec: JSON ⇄ Thrift on dynamicgo's baseline payloads, the descriptor-driven codec
// ("Codec") against Apache Thrift generated C++ with RapidJSON ("Generated"), for
// TBinaryProtocol and TCompactProtocol. Bytes processed = input bytes of the direction.
#include <benchmark/benchmark.h>
#include <thrift/protocol/TBinaryProtocol.h>
#include <thrift/protocol/TCompactProtocol.h>
#include <thrift/transport/TBufferTransports.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>

#include "codec_bench_generated.hpp"
#include "opp/codec/codec.hpp"
#include "opp/idl/loader.hpp"

using apache::thrift::protocol::TBinaryProtocol;
using apache::thrift::protocol::TCompactProtocol;
using apache::thrift::protocol::TProtocol;
using apache::thrift::transport::TMemoryBuffer;
using opp::codec::Protocol;

namespace {

std::string slurp(const std::string& name) {
  std::ifstream in(std::string(OPP_SHARED_DIR) + "/bench-idl/payloads/" + name, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read payload " + name);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::shared_ptr<TProtocol> protocol_for(Protocol p, std::shared_ptr<TMemoryBuffer> buffer) {
  if (p == Protocol::kCompact) return std::make_shared<TCompactProtocol>(buffer);
  return std::make_shared<TBinaryProtocol>(buffer);
}

template <class T>
std::string to_protocol(Protocol p, const std::string& binary) {
  auto in =
      std::make_shared<TMemoryBuffer>(reinterpret_cast<uint8_t*>(const_cast<char*>(binary.data())),
                                      static_cast<uint32_t>(binary.size()));
  T value;
  value.read(protocol_for(Protocol::kBinary, in).get());
  auto out = std::make_shared<TMemoryBuffer>();
  value.write(protocol_for(p, out).get());
  return out->getBufferAsString();
}

/// A TMemoryBuffer read over and over: Thrift counts every byte read against a 100 MB
/// message budget (TConfiguration) that only the transport itself may reset.
struct ReusableMemoryBuffer : TMemoryBuffer {
  using TMemoryBuffer::TMemoryBuffer;
  void reset_budget() { resetConsumedMessageSize(); }
};

struct Payload {
  const opp::idl::StructDescriptor* type = nullptr;
  std::string json;
  std::string binary;
  std::string compact;
  const std::string& bytes(Protocol p) const { return p == Protocol::kCompact ? compact : binary; }
};

struct Fixture {
  std::shared_ptr<const opp::idl::Schema> schema;
  std::shared_ptr<const opp::codec::Codec> codec;
  Payload simple, nesting;

  Fixture() {
    auto r = opp::idl::load_idl_file(std::string(OPP_SHARED_DIR) + "/bench-idl/baseline.thrift");
    if (!r.schema) throw std::runtime_error("cannot load baseline.thrift");
    schema = r.schema;
    auto compiled = opp::codec::Codec::compile(schema);
    if (!compiled) throw std::runtime_error(compiled.error().message);
    codec = *compiled;
    simple = {schema->find_struct("Simple"), slurp("simple.json"), slurp("simple.bin"), ""};
    simple.compact = to_protocol<::Simple>(Protocol::kCompact, simple.binary);
    nesting = {schema->find_struct("Nesting"), slurp("nesting.json"), slurp("nesting.bin"), ""};
    nesting.compact = to_protocol<::Nesting>(Protocol::kCompact, nesting.binary);
  }
};

Fixture& fixture() {
  static Fixture f;
  return f;
}

const Payload& payload_of(bool nesting) {
  return nesting ? fixture().nesting : fixture().simple;
}

void codec_json_to_thrift(benchmark::State& state, bool nesting, Protocol p) {
  const Payload& payload = payload_of(nesting);
  opp::codec::EncodeOptions options;
  options.protocol = p;
  std::string out;
  out.reserve(payload.json.size() * 2);
  for (auto _ : state) {
    out.clear();
    auto r = fixture().codec->encode_struct(payload.json, *payload.type, options, out);
    if (!r) state.SkipWithError(r.error().message.c_str());
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(int64_t(state.iterations()) * int64_t(payload.json.size()));
}

void codec_thrift_to_json(benchmark::State& state, bool nesting, Protocol p) {
  const Payload& payload = payload_of(nesting);
  const std::string& bytes = payload.bytes(p);
  opp::codec::DecodeOptions options;
  options.protocol = p;
  std::string out;
  out.reserve(payload.json.size() * 2);
  for (auto _ : state) {
    out.clear();
    auto r = fixture().codec->decode_struct(bytes, *payload.type, options, out);
    if (!r) state.SkipWithError(r.error().message.c_str());
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(int64_t(state.iterations()) * int64_t(bytes.size()));
}

template <class T>
void generated_json_to_thrift(benchmark::State& state, bool nesting, Protocol p) {
  const Payload& payload = payload_of(nesting);
  auto buffer = std::make_shared<TMemoryBuffer>(payload.json.size() * 2);
  auto proto = protocol_for(p, buffer);
  for (auto _ : state) {
    rapidjson::Document doc;
    doc.Parse(payload.json.data(), payload.json.size());
    T value;
    if (doc.HasParseError() || !bench::fill(value, doc)) state.SkipWithError("bad payload");
    buffer->resetBuffer();
    value.write(proto.get());
    benchmark::DoNotOptimize(buffer->available_read());
  }
  state.SetBytesProcessed(int64_t(state.iterations()) * int64_t(payload.json.size()));
}

template <class T>
void generated_thrift_to_json(benchmark::State& state, bool nesting, Protocol p) {
  const Payload& payload = payload_of(nesting);
  const std::string& bytes = payload.bytes(p);
  auto buffer = std::make_shared<ReusableMemoryBuffer>();
  auto proto = protocol_for(p, buffer);
  rapidjson::StringBuffer json;
  for (auto _ : state) {
    buffer->resetBuffer(reinterpret_cast<uint8_t*>(const_cast<char*>(bytes.data())),
                        static_cast<uint32_t>(bytes.size()));
    buffer->reset_budget();
    T value;
    value.read(proto.get());
    json.Clear();
    rapidjson::Writer<rapidjson::StringBuffer> writer(json);
    bench::write_json(value, writer);
    benchmark::DoNotOptimize(json.GetString());
  }
  state.SetBytesProcessed(int64_t(state.iterations()) * int64_t(bytes.size()));
}

void generated_simple_json_to_thrift(benchmark::State& s, bool n, Protocol p) {
  generated_json_to_thrift<::Simple>(s, n, p);
}
void generated_nesting_json_to_thrift(benchmark::State& s, bool n, Protocol p) {
  generated_json_to_thrift<::Nesting>(s, n, p);
}
void generated_simple_thrift_to_json(benchmark::State& s, bool n, Protocol p) {
  generated_thrift_to_json<::Simple>(s, n, p);
}
void generated_nesting_thrift_to_json(benchmark::State& s, bool n, Protocol p) {
  generated_thrift_to_json<::Nesting>(s, n, p);
}

constexpr Protocol kBinary = Protocol::kBinary;
constexpr Protocol kCompact = Protocol::kCompact;

}  // namespace

BENCHMARK_CAPTURE(codec_json_to_thrift, simple_binary, false, kBinary);
BENCHMARK_CAPTURE(generated_simple_json_to_thrift, simple_binary, false, kBinary);
BENCHMARK_CAPTURE(codec_json_to_thrift, nesting_binary, true, kBinary);
BENCHMARK_CAPTURE(generated_nesting_json_to_thrift, nesting_binary, true, kBinary);
BENCHMARK_CAPTURE(codec_thrift_to_json, simple_binary, false, kBinary);
BENCHMARK_CAPTURE(generated_simple_thrift_to_json, simple_binary, false, kBinary);
BENCHMARK_CAPTURE(codec_thrift_to_json, nesting_binary, true, kBinary);
BENCHMARK_CAPTURE(generated_nesting_thrift_to_json, nesting_binary, true, kBinary);

BENCHMARK_CAPTURE(codec_json_to_thrift, simple_compact, false, kCompact);
BENCHMARK_CAPTURE(generated_simple_json_to_thrift, simple_compact, false, kCompact);
BENCHMARK_CAPTURE(codec_json_to_thrift, nesting_compact, true, kCompact);
BENCHMARK_CAPTURE(generated_nesting_json_to_thrift, nesting_compact, true, kCompact);
BENCHMARK_CAPTURE(codec_thrift_to_json, simple_compact, false, kCompact);
BENCHMARK_CAPTURE(generated_simple_thrift_to_json, simple_compact, false, kCompact);
BENCHMARK_CAPTURE(codec_thrift_to_json, nesting_compact, true, kCompact);
BENCHMARK_CAPTURE(generated_nesting_thrift_to_json, nesting_compact, true, kCompact);

namespace {

/// Console output plus a closing table of ratios generated/codec per direction and case
/// (medians of CPU time over repetitions; above 1 means the codec is faster).
class RatioReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const Run& run : runs) {
      if (run.error_occurred) continue;
      const std::string& name = run.run_name.function_name;
      if (run.run_type == Run::RT_Iteration)
        cpu_ns_[name].push_back(run.GetAdjustedCPUTime());
      else if (run.aggregate_name == "median")
        median_ns_[name] = run.GetAdjustedCPUTime();
    }
  }

  void Finalize() override {
    ConsoleReporter::Finalize();
    std::map<std::string, std::pair<double, double>> pairs;  // case → (codec, generated)
    for (auto& [name, times] : cpu_ns_) {
      std::sort(times.begin(), times.end());
      median_ns_.emplace(name, times[times.size() / 2]);  // unless reported as an aggregate
    }
    for (const auto& [name, median] : median_ns_) {
      std::string function = name.substr(0, name.find('/'));
      std::string key = name.substr(name.find('/') + 1);
      bool codec = function.rfind("codec_", 0) == 0;
      std::string direction =
          codec ? function.substr(6) : function.substr(function.find('_', 10) + 1);
      auto& pair = pairs[direction + "/" + key];
      (codec ? pair.first : pair.second) = median;
    }
    std::ostream& out = GetOutputStream();
    out << "\nratio generated/codec (median CPU time; > 1: the codec is faster)\n";
    for (const auto& [key, pair] : pairs) {
      if (pair.first <= 0 || pair.second <= 0) continue;
      char line[160];
      std::snprintf(line, sizeof line, "%-34s codec %10.0f ns  generated %10.0f ns  ratio %5.2f\n",
                    key.c_str(), pair.first, pair.second, pair.second / pair.first);
      out << line;
    }
  }

 private:
  std::map<std::string, std::vector<double>> cpu_ns_;
  std::map<std::string, double> median_ns_;
};

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  return 0;
}
