#include "payment/server/thrift_server.hpp"

#include <thrift/protocol/TBinaryProtocol.h>
#include <thrift/protocol/TCompactProtocol.h>
#include <thrift/server/TNonblockingServer.h>
#include <thrift/server/TThreadedServer.h>
#include <thrift/transport/TBufferTransports.h>
#include <thrift/transport/TNonblockingServerSocket.h>
#include <thrift/transport/TServerSocket.h>

#include <chrono>
#include <thread>

#include "payment/server/message_budget.hpp"

namespace opp::payment {

namespace at = ::apache::thrift;
namespace gen = ::opp::payment::thrift;

/// Counts calls in flight so a stop can wait for them to finish.
class PaymentThriftServer::CountingHandler final : public gen::PaymentSvcIf {
 public:
  CountingHandler(std::shared_ptr<gen::PaymentSvcIf> inner, std::shared_ptr<std::atomic<int>> n)
      : inner_(std::move(inner)), in_flight_(std::move(n)) {}

  void UnifyPay(gen::UnifyPayResp& o, const gen::UnifyPayReq& r) override {
    Scope s(*in_flight_);
    inner_->UnifyPay(o, r);
  }
  void QRPay(gen::QRPayResp& o, const gen::QRPayReq& r) override {
    Scope s(*in_flight_);
    inner_->QRPay(o, r);
  }
  void QueryOrder(gen::QueryOrderResp& o, const gen::QueryOrderReq& r) override {
    Scope s(*in_flight_);
    inner_->QueryOrder(o, r);
  }
  void CloseOrder(gen::CloseOrderResp& o, const gen::CloseOrderReq& r) override {
    Scope s(*in_flight_);
    inner_->CloseOrder(o, r);
  }
  void Refund(gen::RefundResp& o, const gen::RefundReq& r) override {
    Scope s(*in_flight_);
    inner_->Refund(o, r);
  }
  void QueryRefund(gen::QueryRefundResp& o, const gen::QueryRefundReq& r) override {
    Scope s(*in_flight_);
    inner_->QueryRefund(o, r);
  }
  void DownloadBill(gen::DownloadBillResp& o, const gen::DownloadBillReq& r) override {
    Scope s(*in_flight_);
    inner_->DownloadBill(o, r);
  }

 private:
  struct Scope {
    explicit Scope(std::atomic<int>& n) : n_(n) { ++n_; }
    ~Scope() { --n_; }
    std::atomic<int>& n_;
  };
  std::shared_ptr<gen::PaymentSvcIf> inner_;
  std::shared_ptr<std::atomic<int>> in_flight_;
};

namespace {

/// Reports the bound port once the server listens (port 0 means "any free port").
class ListeningReporter final : public at::server::TServerEventHandler {
 public:
  explicit ListeningReporter(std::function<void()> report) : report_(std::move(report)) {}
  void preServe() override { report_(); }

 private:
  std::function<void()> report_;
};

std::shared_ptr<at::protocol::TProtocolFactory> protocol_factory(WireProtocol protocol) {
  if (protocol == WireProtocol::kCompact) {
    return std::make_shared<at::protocol::TCompactProtocolFactory>();
  }
  return std::make_shared<at::protocol::TBinaryProtocolFactory>();
}

}  // namespace

PaymentThriftServer::PaymentThriftServer(const PaymentConfig& config,
                                         std::shared_ptr<gen::PaymentSvcIf> handler)
    : config_(config), in_flight_(std::make_shared<std::atomic<int>>(0)) {
  auto counted = std::make_shared<CountingHandler>(std::move(handler), in_flight_);
  auto processor = std::make_shared<gen::PaymentSvcProcessor>(counted);
  auto protocols = protocol_factory(config_.protocol);
  if (config_.transport == WireTransport::kFramed) {
    auto socket = std::make_shared<at::transport::TNonblockingServerSocket>(config_.listen_host,
                                                                            config_.listen_port);
    // No thread manager: each call runs on the I/O thread that read it. A hand-off to a
    // worker and back (a condition variable, then the I/O thread's notification pipe) cost
    // two thread wake-ups per call, more than the call itself on a point read.
    auto server = std::make_shared<at::server::TNonblockingServer>(processor, protocols, socket);
    server->setNumIOThreads(static_cast<size_t>(config_.workers));
    server_ = server;
  } else {
    auto socket =
        std::make_shared<at::transport::TServerSocket>(config_.listen_host, config_.listen_port);
    // Not Thrift's TBufferedTransportFactory: its transports stop reading a connection
    // after ~100 MB (THRIFT-5371, see message_budget.hpp).
    server_ = std::make_shared<at::server::TThreadedServer>(
        processor, socket, std::make_shared<PerMessageBufferedTransportFactory>(), protocols);
  }
}

PaymentThriftServer::~PaymentThriftServer() = default;

void PaymentThriftServer::enter(Phase phase) {
  {
    std::lock_guard lock(phase_mutex_);
    phase_ = phase;
  }
  phase_changed_.notify_all();
}

void PaymentThriftServer::serve(const std::function<void(int)>& on_listening) {
  // However serve() ends, a waiting stop() must not wait any longer.
  struct Done {
    PaymentThriftServer& server;
    ~Done() { server.enter(Phase::kDone); }
  } done{*this};
  server_->setServerEventHandler(std::make_shared<ListeningReporter>([this, on_listening] {
    int port = config_.listen_port;
    if (auto* nb = dynamic_cast<at::server::TNonblockingServer*>(server_.get())) {
      port = nb->getListenPort();
    } else if (auto* threaded = dynamic_cast<at::server::TThreadedServer*>(server_.get())) {
      port = std::static_pointer_cast<at::transport::TServerSocket>(threaded->getServerTransport())
                 ->getPort();
    }
    on_listening(port);
    // From here on the server's threads and sockets exist, so its stop() may be called.
    enter(Phase::kServing);
  }));
  server_->serve();
}

void PaymentThriftServer::stop(int drain_ms) {
  std::unique_lock lock(phase_mutex_);
  // Before the servers have set up (preServe), their stop() would race their start-up.
  phase_changed_.wait(lock, [this] { return phase_ != Phase::kNotServing; });
  if (phase_ == Phase::kDone) return;
  lock.unlock();

  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(drain_ms);
  bool drained = false;
  while (in_flight_->load() > 0 && std::chrono::steady_clock::now() < deadline) {
    drained = true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  // A finished call's answer is written by the I/O thread after the handler returns; give
  // it a moment so stopping the loop does not swallow the answer.
  if (drained) std::this_thread::sleep_for(std::chrono::milliseconds(100));

  // TNonblockingServer announces preServe before its loop's wake-up pipe exists, and a
  // stop sent before then is lost: repeat it until serve() has returned.
  lock.lock();
  while (phase_ != Phase::kDone) {
    lock.unlock();
    server_->stop();
    lock.lock();
    phase_changed_.wait_for(lock, std::chrono::milliseconds(100),
                            [this] { return phase_ == Phase::kDone; });
  }
}

}  // namespace opp::payment
