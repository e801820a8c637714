#pragma once
// A scriptable Thrift server for upstream client tests: loopback, ephemeral port, its own
// io thread. It serves each connection like a Thrift server does (one request at a time,
// replies in order) and asks a handler what to do with each request: answer (after a
// delay), stay silent, reset the connection, or close it. It records what it received.

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "gateway/config/gateway_config.hpp"
#include "opp/codec/options.hpp"

namespace opp::gateway::testing {

struct FakeRequest {
  std::string message;  ///< the call message, frame header removed
  std::string name;
  uint8_t type = 0;
  int32_t seqid = 0;
  size_t connection = 0;  ///< accept order of its connection, from 0
  size_t index = 0;       ///< arrival order over the whole server, from 0
};

struct FakeAction {
  enum class Kind { kReply, kSilence, kReset, kClose };
  Kind kind = Kind::kReply;
  std::chrono::milliseconds delay{0};
  std::string bytes{};  ///< kReply: exactly what to write (framing included)

  static FakeAction silence() { return {Kind::kSilence}; }
  static FakeAction reset() { return {Kind::kReset}; }
  static FakeAction close() { return {Kind::kClose}; }
  static FakeAction send(std::string bytes) { return {Kind::kReply, {}, std::move(bytes)}; }
};

class FakeThriftServer {
 public:
  struct Options {
    config::Transport transport = config::Transport::kFramed;
    codec::Protocol protocol = codec::Protocol::kBinary;
    uint16_t port = 0;  ///< 0 = ephemeral
  };
  using Handler = std::function<FakeAction(const FakeRequest&)>;

  /// Starts listening at once; the default handler echoes (see echo()).
  explicit FakeThriftServer(Options options, Handler handler = {});
  FakeThriftServer();
  ~FakeThriftServer();

  uint16_t port() const { return port_; }
  config::HostPort address() const { return {"127.0.0.1", port_}; }
  void set_handler(Handler handler);
  /// Closes the listener and every connection; joins the thread.
  void stop();

  size_t requests() const { return requests_.load(); }
  size_t connections_accepted() const { return accepted_.load(); }
  size_t connections_open() const { return open_.load(); }
  size_t peak_connections_open() const { return peak_open_.load(); }
  /// Most complete requests one connection had buffered at once (> 1: the client pipelined).
  size_t peak_pipelined() const { return peak_pipelined_.load(); }
  std::vector<FakeRequest> received() const;

  /// A reply message: envelope (`type`, the request's name, `seqid`) + `body`, framed per
  /// the server's transport.
  std::string reply(const FakeRequest& request, std::string_view body, int32_t seqid,
                    uint8_t type = 2) const;
  /// Replies with the request's own argument struct as the result body, same seqid.
  FakeAction echo(const FakeRequest& request) const;

  /// Envelope bytes as the codec writes them.
  static std::string envelope(codec::Protocol protocol, std::string_view name, uint8_t type,
                              int32_t seqid);
  /// `message` behind a 4-byte big-endian length.
  static std::string frame(std::string_view message);

 private:
  struct Impl;
  friend struct Impl;
  Options options_;
  std::unique_ptr<Impl> impl_;
  uint16_t port_ = 0;
  mutable std::mutex mutex_;
  Handler handler_;
  std::vector<FakeRequest> received_;
  std::atomic<size_t> requests_{0}, accepted_{0}, open_{0}, peak_open_{0}, peak_pipelined_{0};
};

/// A loopback port with nothing listening on it (connections are refused).
uint16_t refused_port();

}  // namespace opp::gateway::testing
