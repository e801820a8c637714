// Load client for a running opp-payment: QRPay (a write transaction per call, fsync'd on
// SQLite) and QueryOrder (a read) over framed binary Thrift, one connection per thread.
//   bench_payment --port=PORT [--host=127.0.0.1] [google benchmark flags]
#include <benchmark/benchmark.h>
#include <thrift/protocol/TBinaryProtocol.h>
#include <thrift/transport/TBufferTransports.h>
#include <thrift/transport/TSocket.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "PaymentSvc.h"

namespace {

namespace gen = ::opp::payment::thrift;
namespace at = ::apache::thrift;

std::string g_host = "127.0.0.1";
int g_port = 0;
// Distinguishes the order numbers of separate runs against the same database.
const std::string g_run =
    std::to_string(std::chrono::system_clock::now().time_since_epoch().count() % 1'000'000'000);
std::atomic<long> g_sequence{0};

struct Connection {
  std::shared_ptr<at::transport::TTransport> transport;
  std::unique_ptr<gen::PaymentSvcClient> client;

  Connection() {
    auto socket = std::make_shared<at::transport::TSocket>(g_host, g_port);
    transport = std::make_shared<at::transport::TFramedTransport>(socket);
    client = std::make_unique<gen::PaymentSvcClient>(
        std::make_shared<at::protocol::TBinaryProtocol>(transport));
    transport->open();
  }
  ~Connection() { transport->close(); }
};

gen::QRPayReq qr_request(const std::string& no) {
  gen::QRPayReq req;
  req.__set_merchant_id("bench");
  req.__set_out_order_no(no);
  req.__set_total_amount(100);
  req.__set_auth_code("134567890123456789");
  return req;
}

void BM_QRPay(benchmark::State& state) {
  Connection connection;
  gen::QRPayResp resp;
  for (auto _ : state) {
    const std::string no = "b" + g_run + "-" + std::to_string(g_sequence++);
    connection.client->QRPay(resp, qr_request(no));
    if (resp.order_status != 1) state.SkipWithError("QRPay did not succeed");
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_QueryOrder(benchmark::State& state) {
  Connection connection;
  const std::string no = "q" + g_run + "-" + std::to_string(state.thread_index());
  gen::QRPayResp paid;
  connection.client->QRPay(paid, qr_request(no));
  gen::QueryOrderReq req;
  req.__set_merchant_id("bench");
  req.__set_out_order_no(no);
  gen::QueryOrderResp resp;
  for (auto _ : state) {
    connection.client->QueryOrder(resp, req);
    benchmark::DoNotOptimize(resp.order_status);
  }
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK(BM_QRPay)->Threads(1)->Threads(4)->UseRealTime()->MinTime(2.0);
BENCHMARK(BM_QueryOrder)->Threads(1)->Threads(4)->UseRealTime()->MinTime(2.0);

}  // namespace

int main(int argc, char** argv) {
  std::vector<char*> rest;
  for (int i = 0; i < argc; ++i) {
    if (std::strncmp(argv[i], "--port=", 7) == 0) {
      g_port = std::atoi(argv[i] + 7);
    } else if (std::strncmp(argv[i], "--host=", 7) == 0) {
      g_host = argv[i] + 7;
    } else {
      rest.push_back(argv[i]);
    }
  }
  if (g_port <= 0) {
    std::fprintf(stderr, "bench_payment: --port=PORT of a running opp-payment is required\n");
    return 2;
  }
  int rest_count = static_cast<int>(rest.size());
  benchmark::Initialize(&rest_count, rest.data());
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
