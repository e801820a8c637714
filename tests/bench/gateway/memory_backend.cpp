// bench_payment_memory: a fast in-memory PaymentSvc for the gateway benchmark, so that the
// gateway, not SQLite, is what a run measures. Generated Thrift C++ (idl/payment.thrift),
// framed transport, binary protocol.
//
//   bench_payment_memory [--port N] [--host H] [--server threaded|nb] [--io-threads N]
//                        [--merchants M] [--orders N]
//
// Starts with orders BO000000.. (N per merchant) of merchants benchm00.. (M) already paid,
// so QueryOrder has something to find. QueryOrder answers from an in-memory map; UnifyPay
// and QRPay add to it (idempotent per out_order_no); the other functions answer trivially.
// Prints "listening on HOST:PORT" once it accepts calls (--port 0 = any free port).
// SIGTERM or SIGINT ends it.
//
// --server threaded (default): TThreadedServer, one thread per connection. Its framed
// transport resets the read budget after every message: with the stock factory, Thrift
// 0.17 drops a connection once ~100 MB has been read on it (THRIFT-5371), which a
// gateway's long-lived upstream connections reach within minutes of a benchmark.
// --server nb: TNonblockingServer; the handler runs on its --io-threads I/O threads.
#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <thread>
#include <unordered_map>

#include <thrift/protocol/TBinaryProtocol.h>
#include <thrift/server/TNonblockingServer.h>
#include <thrift/server/TThreadedServer.h>
#include <thrift/transport/TBufferTransports.h>
#include <thrift/transport/TNonblockingServerSocket.h>
#include <thrift/transport/TServerSocket.h>

#include "PaymentSvc.h"
#include "bench_names.hpp"

namespace {

namespace gen = ::opp::payment::thrift;
namespace at = ::apache::thrift;
using ::opp::common::thrift::BizError;

constexpr const char* kUsage =
    "Usage: bench_payment_memory [--port N] [--host H] [--server threaded|nb]\n"
    "                            [--io-threads N] [--merchants M] [--orders N]\n";

/// Framed transport that restores the per-message read budget after every message
/// (THRIFT-5371: the stock one never does on the input side of a TServerFramework server).
class ResettingFramedTransport final : public at::transport::TFramedTransport {
 public:
  using TFramedTransport::TFramedTransport;
  uint32_t readEnd() override {
    const uint32_t n = TFramedTransport::readEnd();
    resetConsumedMessageSize();
    return n;
  }
};

class ResettingFramedTransportFactory final : public at::transport::TTransportFactory {
 public:
  std::shared_ptr<at::transport::TTransport> getTransport(
      std::shared_ptr<at::transport::TTransport> inner) override {
    return std::make_shared<ResettingFramedTransport>(inner);
  }
};

[[noreturn]] void fail(int code, const std::string& message) {
  BizError error;
  error.__set_code(code);
  error.__set_message(message);
  throw error;
}

void require(const std::string& value, const char* field) {
  if (value.empty()) fail(20009, std::string(field) + ": required");
}

/// Orders by merchant and order number. Reads share a lock; only new orders take it
/// exclusively, and the benchmark's hot path (QueryOrder) never writes.
class OrderBook {
 public:
  /// The order, or nullptr. The entry lives as long as the book (orders are never removed).
  const gen::QueryOrderResp* find(const std::string& merchant, const std::string& no) const {
    const std::string key = merchant + '\x1f' + no;
    std::shared_lock lock(mutex_);
    const auto it = orders_.find(key);
    return it == orders_.end() ? nullptr : &it->second;
  }

  /// Adds the order unless one with its number exists; returns the stored one.
  const gen::QueryOrderResp& insert(const gen::QueryOrderResp& order) {
    const std::string key = order.merchant_id + '\x1f' + order.out_order_no;
    std::unique_lock lock(mutex_);
    return orders_.try_emplace(key, order).first->second;
  }

 private:
  mutable std::shared_mutex mutex_;
  std::unordered_map<std::string, gen::QueryOrderResp> orders_;
};

/// A paid order as the sandbox would leave it.
gen::QueryOrderResp paid_order(const std::string& merchant, const std::string& no, int64_t amount,
                               const std::string& pay_way, const std::string& subject) {
  gen::QueryOrderResp order;
  order.__set_merchant_id(merchant);
  order.__set_out_order_no(no);
  order.__set_order_status(1);
  order.__set_total_amount(amount);
  order.__set_refunded_amount(0);
  order.__set_pay_way(pay_way);
  order.__set_transaction_id("T" + merchant + no);
  order.__set_out_transaction_id("wx" + no);
  order.__set_subject(subject);
  order.__set_created_at("2026-12-01T08:00:00Z");
  order.__set_paid_at("2026-12-01T08:00:01Z");
  order.__set_expire_at("2026-12-01T10:00:00Z");
  order.__set_closed_at("");
  return order;
}

class MemoryPaymentHandler final : public gen::PaymentSvcIf {
 public:
  explicit MemoryPaymentHandler(OrderBook& book) : book_(book) {}

  void UnifyPay(gen::UnifyPayResp& out, const gen::UnifyPayReq& req) override {
    require(req.merchant_id, "merchant_id");
    require(req.out_order_no, "out_order_no");
    require(req.pay_way, "pay_way");
    if (req.total_amount < 1) fail(20004, "total_amount: must be at least 1");
    gen::QueryOrderResp order =
        paid_order(req.merchant_id, req.out_order_no, req.total_amount, req.pay_way, req.subject);
    order.__set_order_status(0);
    order.__set_paid_at("");
    const gen::QueryOrderResp& stored = book_.insert(order);
    out.__set_merchant_id(stored.merchant_id);
    out.__set_sub_merchant_id("sub-" + stored.merchant_id);
    out.__set_out_order_no(stored.out_order_no);
    out.__set_jspay_info(R"({"prepay_id":"wx)" + stored.out_order_no + R"("})");
    out.__set_pay_way(stored.pay_way);
    out.__set_transaction_id(stored.transaction_id);
    out.__set_order_status(stored.order_status);
    out.__set_total_amount(stored.total_amount);
    out.__set_created_at(stored.created_at);
    out.__set_expire_at(stored.expire_at);
  }

  void QRPay(gen::QRPayResp& out, const gen::QRPayReq& req) override {
    require(req.merchant_id, "merchant_id");
    require(req.out_order_no, "out_order_no");
    require(req.auth_code, "auth_code");
    if (req.total_amount < 1) fail(20004, "total_amount: must be at least 1");
    const gen::QueryOrderResp& stored = book_.insert(
        paid_order(req.merchant_id, req.out_order_no, req.total_amount, "wxpay", req.subject));
    out.__set_merchant_id(stored.merchant_id);
    out.__set_out_order_no(stored.out_order_no);
    out.__set_order_status(stored.order_status);
    out.__set_pay_way(stored.pay_way);
    out.__set_open_id("o" + stored.merchant_id);
    out.__set_out_transaction_id(stored.out_transaction_id);
    out.__set_transaction_id(stored.transaction_id);
    out.__set_total_amount(stored.total_amount);
    out.__set_paid_at(stored.paid_at);
  }

  void QueryOrder(gen::QueryOrderResp& out, const gen::QueryOrderReq& req) override {
    require(req.merchant_id, "merchant_id");
    require(req.out_order_no, "out_order_no");
    const gen::QueryOrderResp* order = book_.find(req.merchant_id, req.out_order_no);
    if (order == nullptr) fail(20002, "order not found: " + req.out_order_no);
    out = *order;
  }

  void CloseOrder(gen::CloseOrderResp& out, const gen::CloseOrderReq& req) override {
    require(req.merchant_id, "merchant_id");
    require(req.out_order_no, "out_order_no");
    const gen::QueryOrderResp* order = book_.find(req.merchant_id, req.out_order_no);
    if (order == nullptr) fail(20002, "order not found: " + req.out_order_no);
    if (order->order_status != 0 && order->order_status != 9) fail(20003, "order is not NOTPAY");
    out = gen::CloseOrderResp();
  }

  void Refund(gen::RefundResp& out, const gen::RefundReq& req) override {
    require(req.merchant_id, "merchant_id");
    require(req.out_order_no, "out_order_no");
    require(req.out_refund_no, "out_refund_no");
    const gen::QueryOrderResp* order = book_.find(req.merchant_id, req.out_order_no);
    if (order == nullptr) fail(20002, "order not found: " + req.out_order_no);
    if (req.refund_amount < 1 || req.refund_amount > order->total_amount) {
      fail(20005, "refund_amount exceeds total_amount");
    }
    // Trivial on purpose: refunds are not booked, this backend serves reads.
    out.__set_merchant_id(req.merchant_id);
    out.__set_out_order_no(req.out_order_no);
    out.__set_out_refund_no(req.out_refund_no);
    out.__set_refund_amount(req.refund_amount);
    out.__set_refund_status(1);
    out.__set_refunded_total(req.refund_amount);
    out.__set_refund_id("R" + req.out_refund_no);
    out.__set_created_at("2026-12-01T08:00:02Z");
  }

  void QueryRefund(gen::QueryRefundResp&, const gen::QueryRefundReq& req) override {
    require(req.merchant_id, "merchant_id");
    require(req.out_refund_no, "out_refund_no");
    fail(20008, "refund not found: " + req.out_refund_no);
  }

  void DownloadBill(gen::DownloadBillResp& out, const gen::DownloadBillReq& req) override {
    require(req.merchant_id, "merchant_id");
    require(req.bill_date, "bill_date");
    out.__set_bill_date(req.bill_date);
    out.__set_csv(
        "record_type,out_order_no,out_refund_no,transaction_id,pay_way,status,amount,created_at,"
        "finished_at\n");
    out.__set_order_count(0);
    out.__set_total_amount(0);
    out.__set_refund_count(0);
    out.__set_refund_amount(0);
  }

 private:
  OrderBook& book_;
};

/// Prints the bound port once the server listens.
class ListeningReporter final : public at::server::TServerEventHandler {
 public:
  ListeningReporter(std::string host, std::function<int()> port)
      : host_(std::move(host)), port_(std::move(port)) {}
  void preServe() override {
    std::printf("listening on %s:%d\n", host_.c_str(), port_());
    std::fflush(stdout);
  }

 private:
  std::string host_;
  std::function<int()> port_;
};

struct Options {
  std::string host = "127.0.0.1";
  int port = 0;
  std::string server = "threaded";
  int io_threads = 2;
  int merchants = 16;
  int orders = 1000;
};

bool parse_int(const char* text, int min, int& out) {
  char* end = nullptr;
  const long value = std::strtol(text, &end, 10);
  if (end == text || *end != '\0' || value < min || value > 1000000) return false;
  out = static_cast<int>(value);
  return true;
}

bool parse_options(int argc, char** argv, Options& options) {
  for (int i = 1; i < argc; i += 2) {
    const std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::fputs(kUsage, stdout);
      std::exit(0);
    }
    const char* value = i + 1 < argc ? argv[i + 1] : nullptr;
    bool ok = value != nullptr;
    if (!ok) {
    } else if (arg == "--host") {
      options.host = value;
    } else if (arg == "--port") {
      ok = parse_int(value, 0, options.port) && options.port <= 65535;
    } else if (arg == "--server") {
      options.server = value;
      ok = options.server == "threaded" || options.server == "nb";
    } else if (arg == "--io-threads") {
      ok = parse_int(value, 1, options.io_threads);
    } else if (arg == "--merchants") {
      ok = parse_int(value, 1, options.merchants) && options.merchants <= 100;
    } else if (arg == "--orders") {
      ok = parse_int(value, 1, options.orders);
    } else {
      ok = false;
    }
    if (!ok) {
      std::fprintf(stderr, "bench_payment_memory: bad argument '%s'\n%s", arg.c_str(), kUsage);
      return false;
    }
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  if (!parse_options(argc, argv, options)) return 2;

  OrderBook book;
  for (int m = 0; m < options.merchants; ++m) {
    for (int o = 0; o < options.orders; ++o) {
      book.insert(paid_order(opp::bench::merchant_id(m), opp::bench::order_no(o),
                             opp::bench::order_amount(o), "wxpay", "bench order"));
    }
  }

  auto handler = std::make_shared<MemoryPaymentHandler>(book);
  auto processor = std::make_shared<gen::PaymentSvcProcessor>(handler);
  auto protocols = std::make_shared<at::protocol::TBinaryProtocolFactory>();
  std::shared_ptr<at::server::TServer> server;
  std::function<int()> bound_port;
  if (options.server == "nb") {
    auto socket =
        std::make_shared<at::transport::TNonblockingServerSocket>(options.host, options.port);
    auto nb = std::make_shared<at::server::TNonblockingServer>(processor, protocols, socket);
    nb->setNumIOThreads(options.io_threads);
    bound_port = [nb] { return nb->getListenPort(); };
    server = nb;
  } else {
    auto socket = std::make_shared<at::transport::TServerSocket>(options.host, options.port);
    server = std::make_shared<at::server::TThreadedServer>(
        processor, socket, std::make_shared<ResettingFramedTransportFactory>(), protocols);
    bound_port = [socket] { return socket->getPort(); };
  }
  server->setServerEventHandler(std::make_shared<ListeningReporter>(options.host, bound_port));

  // Signals are taken by one thread, which stops the server; the others never see them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  std::thread stopper([&] {
    int signal_number = 0;
    sigwait(&stop_signals, &signal_number);
    // The process ends here: TThreadedServer::stop() would wait for every client to hang
    // up, and a benchmark's clients may be gone or not; nothing is left to flush.
    std::_Exit(0);
  });
  stopper.detach();

  try {
    server->serve();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_payment_memory: %s\n", e.what());
    return 1;
  }
  return 0;
}
