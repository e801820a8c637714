// bench_upstream: calls/s of the upstream client on one io thread against an in-process
// loopback Thrift server (framed binary, echoes each call's args with its seqid), with a
// fixed number of calls outstanding (a closed loop, like an HTTP front end with that many
// requests in flight). Compares one call per connection over many connections with calls
// pipelined over few; items_per_second = calls/s. The server answers every complete
// request it has read at once, in order, as a Thrift server on a connection does.
#include <benchmark/benchmark.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <cstdlib>
#include <future>
#include <memory>
#include <thread>

#include "gateway/upstream/client.hpp"
#include "opp/codec/framing.hpp"

namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using namespace opp::gateway;

/// Echo server: one io thread, callbacks, replies batched per read.
class EchoServer {
 public:
  EchoServer() : acceptor_(io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
    accept();
    thread_ = std::thread([this] { io_.run(); });
  }
  ~EchoServer() {
    asio::post(io_, [this] { io_.stop(); });
    thread_.join();
  }
  uint16_t port() const { return acceptor_.local_endpoint().port(); }

 private:
  struct Session : std::enable_shared_from_this<Session> {
    explicit Session(tcp::socket s) : socket(std::move(s)) { in.resize(1 << 16); }
    tcp::socket socket;
    std::string in, out, writing;
    size_t have = 0;
    bool busy = false;

    void read() {
      if (in.size() - have < 4096) in.resize(in.size() * 2);
      socket.async_read_some(asio::buffer(in.data() + have, in.size() - have),
                             [self = shared_from_this()](boost::system::error_code ec, size_t n) {
                               if (ec) return;
                               self->have += n;
                               self->answer();
                               self->read();
                             });
    }
    void answer() {
      size_t at = 0;
      for (;;) {
        auto frame = opp::codec::split_frame(std::string_view(in.data() + at, have - at), 1 << 24);
        if (!frame || !*frame) break;
        std::string message((*frame)->payload);
        message[3] = 2;  // CALL -> REPLY, same name, seqid and body
        const size_t start = out.size();
        out.append(4, '\0');
        out += message;
        opp::codec::end_frame(out, start);
        at += (*frame)->consumed;
      }
      in.erase(0, at);
      have -= at;
      flush();
    }
    void flush() {
      if (busy || out.empty()) return;
      busy = true;
      writing.swap(out);
      out.clear();
      asio::async_write(socket, asio::buffer(writing),
                        [self = shared_from_this()](boost::system::error_code ec, size_t) {
                          self->busy = false;
                          if (!ec) self->flush();
                        });
    }
  };
  void accept() {
    acceptor_.async_accept([this](boost::system::error_code ec, tcp::socket s) {
      if (ec) return;
      s.set_option(tcp::no_delay(true));
      std::make_shared<Session>(std::move(s))->read();
      accept();
    });
  }
  asio::io_context io_;
  tcp::acceptor acceptor_;
  std::thread thread_;
};

std::string call_message(int32_t seqid) {
  std::string m("\x80\x01\x00\x01\x00\x00\x00\x0bQueryOrder", 19);
  for (int shift = 24; shift >= 0; shift -= 8) m += static_cast<char>(seqid >> shift);
  // args {1: struct {1: "merchant-1", 2: "ORDER-000001"}}: a QueryOrder-sized call
  m += std::string("\x0c\x00\x01\x0b\x00\x01\x00\x00\x00\x0amerchant-1", 17);
  m += std::string("\x0b\x00\x02\x00\x00\x00\x0cORDER-000001\x00\x00", 21);
  return m;
}

/// Runs `calls` calls with `outstanding` in flight at all times; returns when all are done.
void closed_loop(upstream::UpstreamClient& client, asio::io_context& io, int64_t calls,
                 int outstanding) {
  std::promise<void> done;
  int64_t started = 0, finished = 0;
  std::function<void()> next = [&] {
    const int32_t seqid = static_cast<int32_t>(started++);
    upstream::CallRequest request;
    request.message = call_message(seqid);
    request.seqid = seqid;
    client.call(0, std::move(request), [&](upstream::CallResult r) {
      if (!r.reply.ok()) std::abort();
      if (++finished == calls) return done.set_value();
      if (started < calls) next();
    });
  };
  asio::post(io, [&] {
    for (int i = 0; i < outstanding && started < calls; ++i) next();
  });
  done.get_future().wait();
}

/// Args: calls outstanding, max_connections, pipeline depth. With OPP_BENCH_UPSTREAM_PORT
/// set, calls go to that server instead (e.g. a running opp-payment: QueryOrder of an
/// order that does not exist, one database read and a declared exception per call).
void BM_UpstreamCalls(benchmark::State& state) {
  const int outstanding = static_cast<int>(state.range(0));
  const char* external = std::getenv("OPP_BENCH_UPSTREAM_PORT");
  std::unique_ptr<EchoServer> echo = external ? nullptr : std::make_unique<EchoServer>();
  const auto port = external ? static_cast<uint16_t>(std::atoi(external)) : echo->port();
  asio::io_context io;
  auto guard = asio::make_work_guard(io);
  std::thread thread([&] { io.run(); });
  config::UpstreamConfig cfg;
  cfg.endpoints = {{"127.0.0.1", port}};
  cfg.max_connections = static_cast<uint32_t>(state.range(1));
  cfg.max_pending = 100000;
  cfg.timeout_ms = 30000;
  upstream::ClientOptions options;
  options.pipeline_depth = static_cast<uint32_t>(state.range(2));
  {
    upstream::UpstreamClient client(cfg, {&io}, options);
    closed_loop(client, io, 2000, outstanding);  // warm: connections open
    constexpr int64_t kCalls = 20000;
    for (auto _ : state) closed_loop(client, io, kCalls, outstanding);
    state.SetItemsProcessed(state.iterations() * kCalls);
    state.counters["connections"] = static_cast<double>(client.stats().open_connections);
  }
  guard.reset();
  thread.join();
}

}  // namespace

// 32 calls in flight: 32 connections x 1 call, 8 x 4, 4 x 8, 1 x 32 pipelined; and 8
// connections without pipelining (24 calls wait in the pool's queue).
BENCHMARK(BM_UpstreamCalls)
    ->ArgNames({"inflight", "conns", "depth"})
    ->Args({32, 32, 1})
    ->Args({32, 8, 1})
    ->Args({32, 8, 4})
    ->Args({32, 4, 8})
    ->Args({32, 1, 32})
    ->Args({8, 8, 1})
    ->Args({8, 1, 8})
    ->Args({1, 1, 1})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
