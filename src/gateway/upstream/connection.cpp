#include "gateway/upstream/connection.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/write.hpp>
#include <cstring>

#include "gateway/upstream/endpoint.hpp"
#include "gateway/upstream/stats.hpp"

namespace opp::gateway::upstream {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

constexpr size_t kInitialReadBuffer = 8 << 10;
constexpr size_t kMinReadSpace = 4 << 10;
constexpr size_t kKeepReadBuffer = 64 << 10;  ///< larger buffers are released when idle
constexpr size_t kMaxWriteBatch = 256 << 10;  ///< bytes gathered into one write

uint8_t reply_type() {
  return static_cast<uint8_t>(codec::MessageType::kReply);
}
uint8_t exception_type() {
  return static_cast<uint8_t>(codec::MessageType::kException);
}

}  // namespace

Connection::Connection(asio::io_context& io, std::shared_ptr<Owner> owner,
                       std::shared_ptr<Endpoint> endpoint, std::shared_ptr<const Settings> settings,
                       std::shared_ptr<Totals> totals)
    : socket_(io),
      connect_timer_(io),
      owner_(std::move(owner)),
      endpoint_(std::move(endpoint)),
      settings_(std::move(settings)),
      totals_(std::move(totals)),
      measurer_(settings_->protocol, settings_->options.max_reply_depth,
                settings_->options.max_reply_bytes) {}

Connection::~Connection() = default;

void Connection::start() {
  phase_ = Phase::kConnecting;
  endpoint_->connection_opened();
  connect_timer_.expires_after(settings_->connect_timeout);
  connect_timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
    if (ec || self->phase_ != Phase::kConnecting) return;
    self->close(FailureKind::kUnavailable,
                "connect timed out after " +
                    std::to_string(self->settings_->connect_timeout.count()) + " ms",
                true);
  });
  const config::HostPort& address = endpoint_->address();
  boost::system::error_code ec;
  const auto ip = asio::ip::make_address(address.host, ec);
  if (!ec) return connect_to(tcp::endpoint(ip, address.port));
  // A host name: resolved on every connect, so DNS changes are followed.
  resolver_ = std::make_unique<tcp::resolver>(socket_.get_executor());
  resolver_->async_resolve(
      address.host, std::to_string(address.port),
      [self = shared_from_this()](const boost::system::error_code& ec,
                                  const tcp::resolver::results_type& results) {
        if (self->phase_ != Phase::kConnecting) return;
        if (ec) return self->close(FailureKind::kUnavailable, "resolve: " + ec.message(), true);
        asio::async_connect(self->socket_, results,
                            [self](const boost::system::error_code& ec, const tcp::endpoint&) {
                              self->on_connect(ec);
                            });
      });
}

void Connection::connect_to(const tcp::endpoint& address) {
  socket_.async_connect(address, [self = shared_from_this()](const boost::system::error_code& ec) {
    self->on_connect(ec);
  });
}

void Connection::on_connect(const boost::system::error_code& ec) {
  if (phase_ != Phase::kConnecting) return;  // timed out or closed meanwhile
  if (ec) return close(FailureKind::kUnavailable, ec.message(), true);
  phase_ = Phase::kOpen;
  connect_timer_.cancel();
  boost::system::error_code ignored;
  socket_.set_option(tcp::no_delay(true), ignored);
  read_buffer_.resize(kInitialReadBuffer);
  start_read();
  owner_->on_connected(*this);
  start_write();
}

void Connection::assign(CallPtr call) {
  call->state = PendingCall::State::kAssigned;
  call->connection = this;
  to_write_.push_back(std::move(call));
  if (phase_ == Phase::kOpen) start_write();
}

bool Connection::withdraw(PendingCall& call) {
  for (auto it = to_write_.begin(); it != to_write_.end(); ++it) {
    if (it->get() != &call) continue;
    call.state = PendingCall::State::kNew;
    call.connection = nullptr;
    to_write_.erase(it);
    if (draining_ && load() == 0) close(FailureKind::kReset, "drained", false);
    return true;
  }
  return false;
}

void Connection::drain() {
  draining_ = true;
  if (load() == 0) close(FailureKind::kReset, "drained", false);
}

void Connection::close(FailureKind kind, const std::string& reason, bool eject) {
  if (phase_ == Phase::kClosed) return;
  auto self = shared_from_this();  // the owner may drop its reference below
  const bool connect_failed = phase_ != Phase::kOpen;
  phase_ = Phase::kClosed;
  boost::system::error_code ignored;
  socket_.close(ignored);
  connect_timer_.cancel();
  if (resolver_) resolver_->cancel();
  if (eject) endpoint_->eject(Clock::now(), settings_->eject);
  if (connect_failed && eject) endpoint_->count_connect_failure();
  endpoint_->connection_closed();

  const std::string message = "connection to " + endpoint_->name() + " closed: " + reason;
  for (const CallPtr& call : in_flight_) fail(*call, kind, message, endpoint_.get(), *totals_);
  for (const CallPtr& call : batch_)  // oneway calls whose write did not complete
    if (call->request.oneway) fail(*call, kind, message, endpoint_.get(), *totals_);
  in_flight_.clear();
  oneway_in_batch_ = 0;
  std::vector<CallPtr> unwritten(std::make_move_iterator(to_write_.begin()),
                                 std::make_move_iterator(to_write_.end()));
  to_write_.clear();
  for (const CallPtr& call : unwritten) {
    call->state = PendingCall::State::kNew;
    call->connection = nullptr;
  }
  if (auto owner = std::move(owner_))
    owner->on_closed(*this, std::move(unwritten), connect_failed, reason);
}

void Connection::start_write() {
  if (writing_ || phase_ != Phase::kOpen || to_write_.empty()) return;
  const bool framed = settings_->transport == config::Transport::kFramed;
  writing_ = true;
  buffers_.clear();
  size_t bytes = 0;
  while (!to_write_.empty() && (batch_.empty() || bytes < kMaxWriteBatch)) {
    CallPtr call = std::move(to_write_.front());
    to_write_.pop_front();
    call->state = PendingCall::State::kSent;
    const std::string& message = call->request.message;
    if (framed) {
      const auto n = static_cast<uint32_t>(message.size());
      for (int i = 0; i < 4; ++i) call->frame_header[i] = static_cast<char>(n >> (24 - 8 * i));
      buffers_.emplace_back(call->frame_header, 4);
      bytes += 4;
    }
    buffers_.emplace_back(message.data(), message.size());
    bytes += message.size();
    if (call->request.oneway)
      ++oneway_in_batch_;
    else
      in_flight_.push_back(call);  // before the write completes: its reply may come first
    batch_.push_back(std::move(call));
  }
  bytes_sent_ += bytes;
  if (bytes_sent_ >= settings_->options.retire_after_bytes) draining_ = true;
  asio::async_write(socket_, buffers_,
                    [self = shared_from_this()](const boost::system::error_code& ec, size_t) {
                      self->on_write(ec);
                    });
}

void Connection::on_write(const boost::system::error_code& ec) {
  writing_ = false;
  if (phase_ == Phase::kClosed) {
    batch_.clear();
    return;
  }
  if (ec) {
    close(FailureKind::kReset, "write failed: " + ec.message(), true);
    batch_.clear();
    return;
  }
  const size_t oneways = oneway_in_batch_;
  oneway_in_batch_ = 0;
  if (oneways)
    for (const CallPtr& call : batch_)
      if (call->request.oneway) succeed(*call, std::string(), *endpoint_);
  batch_.clear();
  start_write();
  if (oneways) call_done();
}

void Connection::start_read() {
  if (read_begin_ == read_end_) {
    read_begin_ = read_end_ = 0;
    if (read_buffer_.size() > kKeepReadBuffer) read_buffer_ = std::string(kInitialReadBuffer, '\0');
  }
  if (read_buffer_.size() - read_end_ < kMinReadSpace) {
    if (read_begin_ > 0) {  // move the partial reply to the front
      std::memmove(read_buffer_.data(), read_buffer_.data() + read_begin_, read_end_ - read_begin_);
      read_end_ -= read_begin_;
      read_begin_ = 0;
    }
    // Bounded: a frame over the limit is refused from its header, a buffered message at the
    // limit, so at most one partial reply (plus one read) is ever held.
    if (read_buffer_.size() - read_end_ < kMinReadSpace)
      read_buffer_.resize(std::max(read_buffer_.size() * 2, read_end_ + kMinReadSpace));
  }
  socket_.async_read_some(
      asio::buffer(read_buffer_.data() + read_end_, read_buffer_.size() - read_end_),
      [self = shared_from_this()](const boost::system::error_code& ec, size_t n) {
        self->on_read(ec, n);
      });
}

void Connection::on_read(const boost::system::error_code& ec, size_t n) {
  if (phase_ == Phase::kClosed) return;
  if (ec) {
    // An idle connection the server closed (keep-alive limit, restart) is no failure.
    if (load() == 0) return close(FailureKind::kReset, "closed by the upstream while idle", false);
    return close(FailureKind::kReset,
                 ec == asio::error::eof ? std::string("closed by the upstream mid-call")
                                        : "reset mid-call: " + ec.message(),
                 true);
  }
  read_end_ += n;
  if (process_input()) start_read();
}

bool Connection::process_input() {
  while (read_begin_ < read_end_) {
    if (in_flight_.empty()) {
      totals_->count(FailureKind::kBadReply);
      endpoint_->count_failure(FailureKind::kBadReply);
      close(FailureKind::kReset, "bytes received with no call waiting for them", false);
      return false;
    }
    std::string_view input(read_buffer_.data() + read_begin_, read_end_ - read_begin_);
    std::string_view message;
    size_t consumed = 0;
    if (settings_->transport == config::Transport::kFramed) {
      auto frame = codec::split_frame(input, settings_->options.max_reply_bytes);
      if (!frame) return bad_reply(frame.error().message);
      if (!*frame) break;
      message = (*frame)->payload;
      consumed = (*frame)->consumed;
    } else {
      if (input.size() < measurer_.at_least()) break;
      auto end = measurer_.resume(input);
      if (!end) return bad_reply(end.error().message);
      if (!*end) break;
      consumed = **end;
      message = input.substr(0, consumed);
      measurer_.reset();
    }
    read_begin_ += consumed;
    if (!deliver(message)) return false;
  }
  return phase_ != Phase::kClosed;
}

bool Connection::deliver(std::string_view message) {
  auto header = codec::read_message_header(message, settings_->protocol);
  if (!header) return bad_reply(header.error().message);
  CallPtr call = in_flight_.front();
  if (header->seqid != call->request.seqid)
    return bad_reply("reply seqid " + std::to_string(header->seqid) +
                     " does not match call seqid " + std::to_string(call->request.seqid));
  if (header->type != reply_type() && header->type != exception_type())
    return bad_reply("unexpected message type " + std::to_string(header->type));
  in_flight_.pop_front();
  succeed(*call, std::string(message), *endpoint_);
  call_done();
  return phase_ != Phase::kClosed;
}

bool Connection::bad_reply(std::string what) {
  // The stream can no longer be trusted: the call fails 10007, the connection closes.
  if (!in_flight_.empty()) {
    CallPtr call = std::move(in_flight_.front());
    in_flight_.pop_front();
    fail(*call, FailureKind::kBadReply, "bad reply from " + endpoint_->name() + ": " + what,
         endpoint_.get(), *totals_);
  }
  close(FailureKind::kReset, "closed after a bad reply", false);
  return false;
}

void Connection::call_done() {
  if (draining_ && load() == 0) return close(FailureKind::kReset, "drained", false);
  if (owner_) owner_->on_capacity(*this);
}

}  // namespace opp::gateway::upstream
