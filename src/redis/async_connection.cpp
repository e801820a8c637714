#include "redis/async_connection.hpp"

#include <hiredis/hiredis.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>

#include "redis/reply.hpp"

namespace opp::redis {
namespace {

Error unavailable(std::string why) {
  return Error{ErrorCode::kRequestServerFail, "redis-unavailable", std::move(why), {}};
}

/// RESP: an array of bulk strings, the form every Redis command takes; binary-safe.
void append_command(std::string& out, std::span<const std::string_view> args) {
  out.push_back('*');
  out.append(std::to_string(args.size())).append("\r\n");
  for (std::string_view arg : args) {
    out.push_back('$');
    out.append(std::to_string(arg.size())).append("\r\n");
    out.append(arg).append("\r\n");
  }
}

}  // namespace

void AsyncConnection::ReaderFree::operator()(redisReader* reader) const {
  redisReaderFree(reader);
}

AsyncConnection::AsyncConnection(boost::asio::io_context& io, AsyncOptions options)
    : io_(io),
      options_(std::move(options)),
      socket_(io),
      timer_(io),
      reader_(redisReaderCreate()),
      alive_(std::make_shared<AsyncConnection*>(this)) {
  // Resolved once, here (at start-up): a lookup on the io thread would block it.
  boost::system::error_code ec;
  boost::asio::ip::tcp::resolver resolver(io_);
  auto results = resolver.resolve(options_.client.host, std::to_string(options_.client.port), ec);
  if (!ec && !results.empty()) endpoint_ = results.begin()->endpoint();
}

AsyncConnection::~AsyncConnection() {
  // Pending callbacks are dropped, not called: whoever destroys the connection is
  // shutting down the thread they would run on.
  alive_.reset();
  boost::system::error_code ignored;
  socket_.close(ignored);
  timer_.cancel();
}

void AsyncConnection::command(std::span<const std::string_view> args, Callback done) {
  const auto now = std::chrono::steady_clock::now();
  if (state_ == State::kIdle) {
    // Fail fast while a failed Redis is given time: a connect attempt per request against
    // a dead address would cost every request the connect timeout.
    if (now < retry_at_) return done(unavailable("redis failed recently; retrying shortly"));
    connect();
  }
  if (pending_.size() >= options_.max_pending)
    return done(unavailable("too many redis commands waiting for a reply"));
  append_command(outgoing_, args);
  pending_.push_back({std::move(done), now + options_.client.command_timeout});
  if (state_ == State::kConnected) {
    if (pending_.size() == 1) arm_timer();
    flush();
  }
}

void AsyncConnection::connect() {
  state_ = State::kConnecting;
  ++generation_;
  if (!endpoint_) {
    boost::asio::post(io_, [weak = std::weak_ptr(alive_), generation = generation_] {
      if (auto self = weak.lock(); self && (*self)->generation_ == generation)
        (*self)->fail("cannot resolve the redis host");
    });
    return;
  }
  timer_.expires_after(options_.client.connect_timeout);
  timer_.async_wait([weak = std::weak_ptr(alive_), generation = generation_](auto ec) {
    if (auto self = weak.lock(); self && !ec && (*self)->generation_ == generation)
      (*self)->on_timer();
  });
  socket_.async_connect(*endpoint_, [weak = std::weak_ptr(alive_),
                                     generation = generation_](boost::system::error_code ec) {
    if (auto self = weak.lock(); self && (*self)->generation_ == generation)
      (*self)->on_connected(ec);
  });
}

void AsyncConnection::on_connected(boost::system::error_code ec) {
  if (ec) return fail("cannot connect to redis: " + ec.message());
  state_ = State::kConnected;
  socket_.set_option(boost::asio::ip::tcp::no_delay(true), ec);
  timer_.cancel();
  if (!pending_.empty()) arm_timer();
  read();
  flush();
}

// Commands issued while a write is in flight wait in outgoing_ and leave together in the
// next write: this is where concurrent requests share a round trip.
void AsyncConnection::flush() {
  if (write_in_flight_ || outgoing_.empty()) return;
  writing_.swap(outgoing_);
  outgoing_.clear();
  write_in_flight_ = true;
  ++writes_;
  boost::asio::async_write(socket_, boost::asio::buffer(writing_),
                           [weak = std::weak_ptr(alive_), generation = generation_](
                               boost::system::error_code ec, size_t) {
                             if (auto self = weak.lock();
                                 self && (*self)->generation_ == generation)
                               (*self)->on_written(ec);
                           });
}

void AsyncConnection::on_written(boost::system::error_code ec) {
  write_in_flight_ = false;
  if (ec) return fail("redis write failed: " + ec.message());
  flush();
}

void AsyncConnection::read() {
  socket_.async_read_some(boost::asio::buffer(read_buffer_),
                          [weak = std::weak_ptr(alive_), generation = generation_](
                              boost::system::error_code ec, size_t bytes) {
                            if (auto self = weak.lock(); self && (*self)->generation_ == generation)
                              (*self)->on_read(ec, bytes);
                          });
}

void AsyncConnection::on_read(boost::system::error_code ec, size_t bytes) {
  if (ec) return fail("redis read failed: " + ec.message());
  if (redisReaderFeed(reader_.get(), read_buffer_.data(), bytes) != REDIS_OK)
    return fail("redis sent a malformed reply");
  const uint64_t generation = generation_;
  for (;;) {
    void* raw = nullptr;
    if (redisReaderGetReply(reader_.get(), &raw) != REDIS_OK)
      return fail("redis sent a malformed reply");
    if (raw == nullptr) break;
    std::unique_ptr<redisReply, decltype(&freeReplyObject)> owned(static_cast<redisReply*>(raw),
                                                                  freeReplyObject);
    if (pending_.empty()) return fail("redis sent a reply nobody asked for");
    Callback done = std::move(pending_.front().done);
    pending_.pop_front();
    done(to_reply(*owned));
    if (generation != generation_) return;  // a callback's command failed the connection
  }
  if (!pending_.empty()) arm_timer();
  read();
}

void AsyncConnection::arm_timer() {
  timer_.expires_at(pending_.front().deadline);
  timer_.async_wait(
      [weak = std::weak_ptr(alive_), generation = generation_](boost::system::error_code ec) {
        if (auto self = weak.lock(); self && !ec && (*self)->generation_ == generation)
          (*self)->on_timer();
      });
}

void AsyncConnection::on_timer() {
  if (state_ == State::kConnecting) return fail("redis connect timed out");
  if (pending_.empty()) return;
  if (pending_.front().deadline <= std::chrono::steady_clock::now())
    return fail("redis command timed out");
  arm_timer();  // the command it was armed for was answered; wait for the next one
}

void AsyncConnection::fail(const std::string& why) {
  ++generation_;  // every handler of the old socket now does nothing
  boost::system::error_code ignored;
  socket_.close(ignored);
  timer_.cancel();
  state_ = State::kIdle;
  retry_at_ = std::chrono::steady_clock::now() + options_.client.retry_after_failure;
  outgoing_.clear();
  writing_.clear();
  write_in_flight_ = false;
  // A late reply of the old socket must not be read as the answer to a new command.
  reader_.reset(redisReaderCreate());
  std::deque<Pending> failed;
  failed.swap(pending_);
  for (Pending& command : failed) command.done(unavailable(why));
}

}  // namespace opp::redis
