// bench_payment_client: direct Thrift client of a PaymentSvc backend (framed, binary), the
// "no gateway" line of the gateway benchmark, and the tool that creates its orders.
//
//   bench_payment_client --port P [--host H] create [--merchants M] [--orders N] [--threads T]
//       QRPay for order BO000000.. (N per merchant) of merchants benchm00.. (M); retries of
//       an existing order return it as it is, so running it twice is harmless.
//   bench_payment_client --port P [--host H] load [--threads T] [--seconds S]
//                                                 [--merchants M] [--orders N]
//       T threads, one connection each, call QueryOrder in a loop (one call in flight per
//       connection) over the pre-created orders for S seconds, then print one line:
//       calls=... seconds=... calls_per_s=... p50_us=... p99_us=... errors=...
// A reply that is not the order asked for counts as an error. Exit 1 when any call failed.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <thrift/protocol/TBinaryProtocol.h>
#include <thrift/transport/TBufferTransports.h>
#include <thrift/transport/TSocket.h>

#include "PaymentSvc.h"
#include "bench_names.hpp"

namespace {

namespace gen = ::opp::payment::thrift;
namespace at = ::apache::thrift;
using Clock = std::chrono::steady_clock;

constexpr const char* kUsage =
    "Usage: bench_payment_client --port P [--host H] create|load [--threads T] [--seconds S]\n"
    "                            [--merchants M] [--orders N]\n";

struct Options {
  std::string host = "127.0.0.1";
  int port = 0;
  std::string mode;
  int threads = 1;
  double seconds = 5;
  int merchants = 16;
  int orders = 1000;
};

struct Connection {
  std::shared_ptr<at::transport::TTransport> transport;
  std::unique_ptr<gen::PaymentSvcClient> client;

  explicit Connection(const Options& options) {
    auto socket = std::make_shared<at::transport::TSocket>(options.host, options.port);
    socket->setNoDelay(true);
    transport = std::make_shared<at::transport::TFramedTransport>(socket);
    client = std::make_unique<gen::PaymentSvcClient>(
        std::make_shared<at::protocol::TBinaryProtocol>(transport));
    transport->open();
  }
  ~Connection() { transport->close(); }
};

/// Creates orders [first, last) of the flattened merchant x order population.
long create_orders(const Options& options, int first, int last) {
  Connection connection(options);
  long errors = 0;
  for (int k = first; k < last; ++k) {
    const int m = k / options.orders;
    const int o = k % options.orders;
    gen::QRPayReq req;
    req.__set_merchant_id(opp::bench::merchant_id(m));
    req.__set_out_order_no(opp::bench::order_no(o));
    req.__set_total_amount(opp::bench::order_amount(o));
    req.__set_subject("bench order");
    req.__set_auth_code(opp::bench::kAcceptedAuthCode);
    gen::QRPayResp resp;
    try {
      connection.client->QRPay(resp, req);
      if (resp.order_status != 1) ++errors;
    } catch (const std::exception& e) {
      if (errors++ == 0) std::fprintf(stderr, "QRPay %s: %s\n", req.out_order_no.c_str(), e.what());
    }
  }
  return errors;
}

struct LoadResult {
  std::vector<uint32_t> latencies_us;
  long errors = 0;
};

/// QueryOrder in a loop until `deadline`, starting at order `offset` so threads differ.
void query_orders(const Options& options, int offset, Clock::time_point deadline,
                  LoadResult& result) {
  Connection connection(options);
  std::vector<gen::QueryOrderReq> requests;
  const int population = options.merchants * options.orders;
  for (int k = 0; k < population; ++k) {
    gen::QueryOrderReq req;
    req.__set_merchant_id(opp::bench::merchant_id(k % options.merchants));
    req.__set_out_order_no(opp::bench::order_no((k / options.merchants) % options.orders));
    requests.push_back(std::move(req));
  }
  result.latencies_us.reserve(1 << 20);
  gen::QueryOrderResp resp;
  for (size_t k = static_cast<size_t>(offset);; ++k) {
    const gen::QueryOrderReq& req = requests[k % requests.size()];
    const auto start = Clock::now();
    if (start >= deadline) break;
    try {
      connection.client->QueryOrder(resp, req);
      if (resp.out_order_no != req.out_order_no) ++result.errors;
    } catch (const std::exception& e) {
      if (result.errors++ == 0) std::fprintf(stderr, "QueryOrder: %s\n", e.what());
      return;  // the connection is in an unknown state
    }
    const auto took = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start);
    result.latencies_us.push_back(static_cast<uint32_t>(took.count()));
  }
}

bool parse_options(int argc, char** argv, Options& options) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "create" || arg == "load") {
      options.mode = arg;
      continue;
    }
    if (arg == "--help" || arg == "-h") {
      std::fputs(kUsage, stdout);
      std::exit(0);
    }
    if (i + 1 >= argc) return false;
    const char* value = argv[++i];
    if (arg == "--host") {
      options.host = value;
    } else if (arg == "--port") {
      options.port = std::atoi(value);
    } else if (arg == "--threads") {
      options.threads = std::atoi(value);
    } else if (arg == "--seconds") {
      options.seconds = std::atof(value);
    } else if (arg == "--merchants") {
      options.merchants = std::atoi(value);
    } else if (arg == "--orders") {
      options.orders = std::atoi(value);
    } else {
      return false;
    }
  }
  return !options.mode.empty() && options.port > 0 && options.port <= 65535 &&
         options.threads >= 1 && options.threads <= 256 && options.seconds > 0 &&
         options.merchants >= 1 && options.merchants <= 100 && options.orders >= 1;
}

uint32_t percentile(const std::vector<uint32_t>& sorted, double p) {
  if (sorted.empty()) return 0;
  const size_t index = std::min(sorted.size() - 1, static_cast<size_t>(p * sorted.size()));
  return sorted[index];
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  if (!parse_options(argc, argv, options)) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  try {
    if (options.mode == "create") {
      const int population = options.merchants * options.orders;
      std::vector<long> errors(options.threads, 0);
      std::vector<std::thread> threads;
      for (int t = 0; t < options.threads; ++t) {
        threads.emplace_back([&, t] {
          errors[t] = create_orders(options, population * t / options.threads,
                                    population * (t + 1) / options.threads);
        });
      }
      for (auto& thread : threads) thread.join();
      long failed = 0;
      for (long e : errors) failed += e;
      std::printf("created=%d errors=%ld\n", population, failed);
      return failed == 0 ? 0 : 1;
    }

    std::vector<LoadResult> results(options.threads);
    std::vector<std::thread> threads;
    const auto start = Clock::now();
    const auto deadline =
        start + std::chrono::microseconds(static_cast<int64_t>(options.seconds * 1e6));
    for (int t = 0; t < options.threads; ++t) {
      threads.emplace_back([&, t] { query_orders(options, t * 7919, deadline, results[t]); });
    }
    for (auto& thread : threads) thread.join();
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    std::vector<uint32_t> all;
    long errors = 0;
    for (const LoadResult& r : results) {
      all.insert(all.end(), r.latencies_us.begin(), r.latencies_us.end());
      errors += r.errors;
    }
    std::sort(all.begin(), all.end());
    std::printf("calls=%zu seconds=%.3f calls_per_s=%.0f p50_us=%u p99_us=%u errors=%ld\n",
                all.size(), seconds, all.size() / seconds, percentile(all, 0.50),
                percentile(all, 0.99), errors);
    return errors == 0 ? 0 : 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_payment_client: %s\n", e.what());
    return 1;
  }
}
