#pragma once
// A real etcd for tests: its own data directory and two free loopback ports (client and
// peer), started, stopped and started again on the same ports and data.

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>

#include "opp/etcd/client.hpp"
#include "process.hpp"

namespace opp::etcd::test {

/// A port nothing listens on right now (bound, then released).
inline uint16_t free_port() {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor acceptor(
      io, boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0));
  return acceptor.local_endpoint().port();
}

class EtcdServer {
 public:
  EtcdServer() : client_port_(free_port()), peer_port_(free_port()) { start(); }

  /// Starts etcd and returns once it answers a range.
  void start() {
    const std::string client = "http://127.0.0.1:" + std::to_string(client_port_);
    const std::string peer = "http://127.0.0.1:" + std::to_string(peer_port_);
    process_ = std::make_unique<gateway::e2e::Process>(
        "etcd", OPP_ETCD_BINARY,
        std::vector<std::string>{"--data-dir", (dir.path() / "data").string(),
                                 "--listen-client-urls", client, "--advertise-client-urls", client,
                                 "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
                                 "--initial-cluster", "default=" + peer},
        dir.path());
    Client probe({endpoint()}, std::chrono::milliseconds(500));
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (!probe.range_prefix("probe/")) {
      if (!process_->running() || std::chrono::steady_clock::now() > deadline)
        throw std::runtime_error("etcd did not start: " + process_->err());
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }

  /// SIGTERM and reap.
  void stop() {
    process_->signal(SIGTERM);
    process_->wait_exit();
  }

  Endpoint endpoint() const { return {"127.0.0.1", client_port_}; }
  std::string address() const { return "127.0.0.1:" + std::to_string(client_port_); }

  gateway::e2e::TempDir dir{"opp-etcd-"};

 private:
  uint16_t client_port_;
  uint16_t peer_port_;
  std::unique_ptr<gateway::e2e::Process> process_;
};

/// Polls `condition` every 20 ms until it holds or `limit` passes; returns whether it held.
template <class Condition>
bool eventually(Condition condition, std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

}  // namespace opp::etcd::test
