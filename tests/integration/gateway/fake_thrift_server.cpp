#include <utility>  // Boost 1.74's awaitable.hpp uses std::exchange without including it

// GCC 12 with ASan reports the coroutine frames' own operator new/delete pair of Boost
// 1.74's awaitable as mismatched: a false positive inside the library's templates.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

#include "fake_thrift_server.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <list>

#include "opp/codec/framing.hpp"

namespace opp::gateway::testing {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

void put_be32(std::string& out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>(v >> shift);
}

void put_varint(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out += static_cast<char>((v & 0x7f) | 0x80);
    v >>= 7;
  }
  out += static_cast<char>(v);
}

void peak(std::atomic<size_t>& peak, size_t value) {
  size_t seen = peak.load();
  while (value > seen && !peak.compare_exchange_weak(seen, value)) {
  }
}

}  // namespace

struct FakeThriftServer::Impl {
  FakeThriftServer& owner;
  asio::io_context io;
  tcp::acceptor acceptor{io};
  std::list<std::shared_ptr<tcp::socket>> sockets;  // io thread only
  std::thread thread;

  explicit Impl(FakeThriftServer& o) : owner(o) {}

  asio::awaitable<void> accept_loop() {
    for (;;) {
      auto socket = std::make_shared<tcp::socket>(io);
      boost::system::error_code ec;
      co_await acceptor.async_accept(*socket, asio::redirect_error(asio::use_awaitable, ec));
      if (ec) co_return;
      const size_t index = owner.accepted_.fetch_add(1);
      peak(owner.peak_open_, owner.open_.fetch_add(1) + 1);
      sockets.push_back(socket);
      asio::co_spawn(io, serve(socket, index), asio::detached);
    }
  }

  /// The next complete request in `buffer` (removed from it), or false to read more.
  bool take_request(std::string& buffer, std::string& message) {
    std::string_view input(buffer);
    size_t consumed = 0;
    if (owner.options_.transport == config::Transport::kFramed) {
      auto frame = codec::split_frame(input, 64u << 20);
      if (!frame || !*frame) return false;
      message = std::string((*frame)->payload);
      consumed = (*frame)->consumed;
    } else {
      auto end = codec::measure_message(input, owner.options_.protocol, 64, 64u << 20);
      if (!end || !*end) return false;
      consumed = **end;
      message = buffer.substr(0, consumed);
    }
    buffer.erase(0, consumed);
    return true;
  }

  size_t count_requests(const std::string& buffer) {
    std::string copy = buffer, message;
    size_t n = 0;
    while (take_request(copy, message)) ++n;
    return n;
  }

  asio::awaitable<void> serve(std::shared_ptr<tcp::socket> socket, size_t connection) {
    std::string buffer;
    char chunk[16384];
    for (;;) {
      std::string message;
      while (!take_request(buffer, message)) {
        boost::system::error_code ec;
        size_t n = co_await socket->async_read_some(asio::buffer(chunk),
                                                    asio::redirect_error(asio::use_awaitable, ec));
        if (ec) {
          finish(socket);
          co_return;
        }
        buffer.append(chunk, n);
        peak(owner.peak_pipelined_, count_requests(buffer));
      }
      FakeRequest request;
      request.message = std::move(message);
      request.connection = connection;
      auto header = codec::read_message_header(request.message, owner.options_.protocol);
      if (header) {
        request.name = std::string(header->name);
        request.type = header->type;
        request.seqid = header->seqid;
      }
      Handler handler;
      {
        std::lock_guard lock(owner.mutex_);
        request.index = owner.received_.size();
        owner.received_.push_back(request);
        handler = owner.handler_;
      }
      owner.requests_.fetch_add(1);
      FakeAction action = handler ? handler(request) : owner.echo(request);
      if (action.delay.count() > 0) {
        asio::steady_timer timer(io, action.delay);
        boost::system::error_code ec;
        co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      }
      boost::system::error_code ec;
      switch (action.kind) {
        case FakeAction::Kind::kReply:
          co_await asio::async_write(*socket, asio::buffer(action.bytes),
                                     asio::redirect_error(asio::use_awaitable, ec));
          break;
        case FakeAction::Kind::kSilence:
          break;
        case FakeAction::Kind::kReset:
          socket->set_option(asio::socket_base::linger(true, 0), ec);  // close sends RST
          finish(socket);
          co_return;
        case FakeAction::Kind::kClose:
          finish(socket);
          co_return;
      }
      if (ec) {
        finish(socket);
        co_return;
      }
    }
  }

  void finish(const std::shared_ptr<tcp::socket>& socket) {
    if (!socket->is_open()) return;
    boost::system::error_code ignored;
    socket->close(ignored);
    owner.open_.fetch_sub(1);
  }
};

FakeThriftServer::FakeThriftServer(Options options, Handler handler)
    : options_(options), impl_(std::make_unique<Impl>(*this)), handler_(std::move(handler)) {
  tcp::endpoint at(asio::ip::make_address("127.0.0.1"), options_.port);
  impl_->acceptor.open(at.protocol());
  impl_->acceptor.set_option(asio::socket_base::reuse_address(true));
  impl_->acceptor.bind(at);
  impl_->acceptor.listen();
  port_ = impl_->acceptor.local_endpoint().port();
  asio::co_spawn(impl_->io, impl_->accept_loop(), asio::detached);
  impl_->thread = std::thread([this] { impl_->io.run(); });
}

FakeThriftServer::FakeThriftServer() : FakeThriftServer(Options{}) {}

FakeThriftServer::~FakeThriftServer() {
  stop();
}

void FakeThriftServer::stop() {
  if (!impl_->thread.joinable()) return;
  asio::post(impl_->io, [this] {
    boost::system::error_code ignored;
    impl_->acceptor.close(ignored);
    for (auto& socket : impl_->sockets) impl_->finish(socket);
    impl_->io.stop();
  });
  impl_->thread.join();
}

void FakeThriftServer::set_handler(Handler handler) {
  std::lock_guard lock(mutex_);
  handler_ = std::move(handler);
}

std::vector<FakeRequest> FakeThriftServer::received() const {
  std::lock_guard lock(mutex_);
  return received_;
}

std::string FakeThriftServer::envelope(codec::Protocol protocol, std::string_view name,
                                       uint8_t type, int32_t seqid) {
  std::string out;
  if (protocol == codec::Protocol::kBinary) {
    put_be32(out, 0x80010000u | type);
    put_be32(out, static_cast<uint32_t>(name.size()));
    out += name;
    put_be32(out, static_cast<uint32_t>(seqid));
  } else {
    out += static_cast<char>(0x82);
    out += static_cast<char>(1 | (type << 5));
    put_varint(out, static_cast<uint32_t>(seqid));
    put_varint(out, name.size());
    out += name;
  }
  return out;
}

std::string FakeThriftServer::frame(std::string_view message) {
  std::string out;
  put_be32(out, static_cast<uint32_t>(message.size()));
  out += message;
  return out;
}

std::string FakeThriftServer::reply(const FakeRequest& request, std::string_view body,
                                    int32_t seqid, uint8_t type) const {
  std::string message = envelope(options_.protocol, request.name, type, seqid);
  message += body;
  return options_.transport == config::Transport::kFramed ? frame(message) : message;
}

FakeAction FakeThriftServer::echo(const FakeRequest& request) const {
  const std::string call = envelope(options_.protocol, request.name, request.type, request.seqid);
  std::string_view body =
      std::string_view(request.message).substr(std::min(call.size(), request.message.size()));
  return FakeAction{FakeAction::Kind::kReply, {}, reply(request, body, request.seqid)};
}

uint16_t refused_port() {
  asio::io_context io;
  tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  const uint16_t port = acceptor.local_endpoint().port();
  acceptor.close();
  return port;
}

}  // namespace opp::gateway::testing
