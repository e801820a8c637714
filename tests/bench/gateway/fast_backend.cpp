// bench_payment_fast: the benchmark's lean PaymentSvc backend. QueryOrder is answered
// from an in-memory book of the benchmark's orders (bench_names.hpp), merchant-scoped like
// the real backend (an order of another merchant is 20002); every other function answers
// TApplicationException UNKNOWN_METHOD. Framed strict TBinaryProtocol on Boost.Asio,
// replies in order per connection, pipelined calls answered in one write.
//
// Why its own server: the gateway is measured against the perf floor, whose backend is a
// trivial echo. Apache Thrift's servers spend 7–15 µs of CPU per call on these 2 cores
// (bench_payment_memory), which would be charged to the gateway's ratio; this one spends
// a few, like the floor's. Replies are pre-encoded by the project's codec at start.
//
//   bench_payment_fast [--port N] [--host H] [--threads N] [--merchants M] [--orders N]
// Prints "listening on HOST:PORT"; SIGTERM or SIGINT ends it.
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/write.hpp>

#include <cstdio>
#include <cstring>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "bench_names.hpp"
#include "opp/codec/codec.hpp"
#include "opp/idl/loader.hpp"

namespace {

namespace asio = boost::asio;
using asio::ip::tcp;

void put_be32(std::string& out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>(v >> shift);
}

uint32_t be32(const char* p) {
  auto b = [&](int i) { return static_cast<uint32_t>(static_cast<uint8_t>(p[i])); };
  return (b(0) << 24) | (b(1) << 16) | (b(2) << 8) | b(3);
}

// The two strings QueryOrder's argument carries: QueryOrder_args {1: QueryOrderReq req},
// QueryOrderReq {1: merchant_id, 2: out_order_no}. False when the bytes are not that.
bool read_query(const char* p, const char* end, std::string_view& merchant,
                std::string_view& order) {
  int depth = 0;
  while (p < end) {
    const uint8_t type = static_cast<uint8_t>(*p++);
    if (type == 0) {  // STOP
      if (--depth < 0) return true;
      continue;
    }
    if (end - p < 2) return false;
    const int id = (static_cast<uint8_t>(p[0]) << 8) | static_cast<uint8_t>(p[1]);
    p += 2;
    if (type == 12 && depth == 0 && id == 1) {  // the req struct
      ++depth;
      continue;
    }
    if (type != 11) return false;  // QueryOrderReq holds strings only
    if (end - p < 4) return false;
    const uint32_t n = be32(p);
    p += 4;
    if (static_cast<size_t>(end - p) < n) return false;
    std::string_view value(p, n);
    p += n;
    if (depth == 1 && id == 1) merchant = value;
    if (depth == 1 && id == 2) order = value;
  }
  return false;
}

class Book {
 public:
  Book(const opp::codec::Codec& codec, const opp::idl::StructDescriptor& resp, int merchants,
       int orders) {
    for (int m = 0; m < merchants; ++m) {
      for (int o = 0; o < orders; ++o) {
        const std::string merchant = opp::bench::merchant_id(m), no = opp::bench::order_no(o);
        const std::string json =
            R"({"out_order_no":")" + no + R"(","order_status":1,"total_amount":)" +
            std::to_string(opp::bench::order_amount(o)) + R"(,"refunded_amount":0,)" +
            R"("pay_way":"wxpay","transaction_id":"T2026120100000)" + std::to_string(o) +
            R"(","created_at":"2026-12-01T00:00:00Z","paid_at":"2026-12-01T00:00:01Z",)" +
            R"("merchant_id":")" + merchant + R"(","out_transaction_id":"wx_)" + no +
            R"(","subject":"bench","expire_at":"","closed_at":""})";
        std::string bytes;
        auto r = codec.encode_struct(json, resp, {}, bytes);
        if (!r) throw std::runtime_error(r.error().message);
        orders_.emplace(merchant + '\x1f' + no, std::move(bytes));
      }
    }
  }
  const std::string* find(std::string_view merchant, std::string_view order) const {
    key_.assign(merchant);
    key_ += '\x1f';
    key_.append(order);
    auto it = orders_.find(key_);
    return it == orders_.end() ? nullptr : &it->second;
  }

 private:
  std::unordered_map<std::string, std::string> orders_;
  static thread_local std::string key_;
};
thread_local std::string Book::key_;

// One reply message appended to `out`, framed.
void reply(std::string& out, std::string_view name, int32_t seqid, uint8_t type,
           std::string_view body) {
  const size_t at = out.size();
  out.append(4, '\0');
  put_be32(out, 0x80010000u | type);
  put_be32(out, static_cast<uint32_t>(name.size()));
  out.append(name);
  put_be32(out, static_cast<uint32_t>(seqid));
  out.append(body);
  const uint32_t n = static_cast<uint32_t>(out.size() - at - 4);
  for (int i = 0; i < 4; ++i) out[at + i] = static_cast<char>(n >> (24 - 8 * i));
}

void answer(const Book& book, std::string_view message, std::string& out) {
  // Strict envelope: version|type, name, seqid.
  if (message.size() < 12) return;
  const char* p = message.data();
  const uint32_t name_len = be32(p + 4);
  if (message.size() < 12 + name_len) return;
  const std::string_view name(p + 8, name_len);
  const auto seqid = static_cast<int32_t>(be32(p + 8 + name_len));
  const char* args = p + 12 + name_len;
  std::string body;
  std::string_view merchant, order;
  if (name != "QueryOrder" || !read_query(args, message.data() + message.size(), merchant, order)) {
    // TApplicationException {1: message, 2: type UNKNOWN_METHOD (1)}
    const std::string text = "bench backend answers QueryOrder only";
    body = "\x0b";
    body += std::string("\x00\x01", 2);
    put_be32(body, static_cast<uint32_t>(text.size()));
    body += text;
    body += "\x08";
    body += std::string("\x00\x02", 2);
    put_be32(body, 1);
    body += '\0';
    return reply(out, name, seqid, 3, body);
  }
  if (const std::string* resp = book.find(merchant, order)) {
    body.reserve(resp->size() + 4);
    body += "\x0c";
    body += std::string("\x00\x00", 2);  // field 0: success
    body += *resp;
    body += '\0';
    return reply(out, name, seqid, 2, body);
  }
  // field 1: BizError {1: code 20002, 2: message}
  const std::string text = "order " + std::string(order) + " not found";
  body = "\x0c";
  body += std::string("\x00\x01", 2);
  body += "\x08";
  body += std::string("\x00\x01", 2);
  put_be32(body, 20002);
  body += "\x0b";
  body += std::string("\x00\x02", 2);
  put_be32(body, static_cast<uint32_t>(text.size()));
  body += text;
  body += std::string("\x00\x00", 2);
  reply(out, name, seqid, 2, body);
}

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(tcp::socket socket, const Book& book) : socket_(std::move(socket)), book_(book) {
    socket_.set_option(tcp::no_delay(true));
  }
  void start() { read(); }

 private:
  void read() {
    if (in_.size() - used_ < 65536) in_.resize(used_ + 65536);
    socket_.async_read_some(asio::buffer(in_.data() + used_, in_.size() - used_),
                            [self = shared_from_this()](boost::system::error_code ec, size_t n) {
                              if (ec) return;
                              self->used_ += n;
                              self->handle();
                            });
  }
  void handle() {
    size_t at = 0;
    while (used_ - at >= 4) {
      const uint32_t n = be32(in_.data() + at);
      if (n > (16u << 20)) return;  // not a frame of ours: drop the connection
      if (used_ - at - 4 < n) break;
      answer(book_, std::string_view(in_.data() + at + 4, n), pending_);
      at += 4 + n;
    }
    std::memmove(in_.data(), in_.data() + at, used_ - at);
    used_ -= at;
    write();
    read();
  }
  void write() {
    if (writing_ || pending_.empty()) return;
    writing_ = true;
    out_.swap(pending_);
    asio::async_write(socket_, asio::buffer(out_),
                      [self = shared_from_this()](boost::system::error_code ec, size_t) {
                        self->writing_ = false;
                        self->out_.clear();
                        if (!ec) self->write();
                      });
  }

  tcp::socket socket_;
  const Book& book_;
  std::vector<char> in_;
  size_t used_ = 0;
  std::string pending_, out_;
  bool writing_ = false;
};

void accept(tcp::acceptor& acceptor, std::vector<std::unique_ptr<asio::io_context>>& io,
            size_t& next, const Book& book) {
  asio::io_context& target = *io[next++ % io.size()];
  acceptor.async_accept(target, [&](boost::system::error_code ec, tcp::socket socket) {
    if (ec) return;
    std::make_shared<Connection>(std::move(socket), book)->start();
    accept(acceptor, io, next, book);
  });
}

}  // namespace

int main(int argc, char** argv) {
  std::string host = "127.0.0.1";
  unsigned port = 0, threads = 2;
  int merchants = 20, orders = 128;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string arg = argv[i];
    if (arg == "--port")
      port = std::stoul(argv[i + 1]);
    else if (arg == "--host")
      host = argv[i + 1];
    else if (arg == "--threads")
      threads = std::stoul(argv[i + 1]);
    else if (arg == "--merchants")
      merchants = std::stoi(argv[i + 1]);
    else if (arg == "--orders")
      orders = std::stoi(argv[i + 1]);
    else {
      std::cerr << "bench_payment_fast: unknown argument " << arg << "\n";
      return 2;
    }
  }
  auto loaded = opp::idl::load_idl_file(OPP_SOURCE_DIR "/idl/payment.thrift");
  if (!loaded.schema) {
    std::cerr << loaded.errors.at(0).to_string() << "\n";
    return 1;
  }
  auto codec = opp::codec::Codec::compile(loaded.schema);
  if (!codec) return 1;
  const opp::idl::StructDescriptor* resp = loaded.schema->find_struct("QueryOrderResp");
  const Book book(**codec, *resp, merchants, orders);

  std::vector<std::unique_ptr<asio::io_context>> io;
  for (unsigned i = 0; i < std::max(1u, threads); ++i)
    io.push_back(std::make_unique<asio::io_context>(1));
  tcp::acceptor acceptor(*io[0], tcp::endpoint(asio::ip::make_address(host), port));
  size_t next = 0;
  accept(acceptor, io, next, book);
  asio::signal_set stop(*io[0], SIGINT, SIGTERM);
  stop.async_wait([&](auto, int) {
    for (auto& ctx : io) ctx->stop();
  });
  std::cout << "listening on " << host << ":" << acceptor.local_endpoint().port() << std::endl;
  std::vector<std::thread> pool;
  for (size_t i = 1; i < io.size(); ++i)
    pool.emplace_back([ctx = io[i].get()] {
      auto guard = asio::make_work_guard(*ctx);
      ctx->run();
    });
  {
    auto guard = asio::make_work_guard(*io[0]);
    io[0]->run();
  }
  for (auto& t : pool) t.join();
  return 0;
}
