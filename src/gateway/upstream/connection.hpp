#pragma once
// One TCP connection to one upstream endpoint: connect with a timeout, a write queue that
// pipelines the calls assigned to it, and a read loop that splits replies (frames, or
// buffered messages by a measure pass) and matches them in order to the calls written.
//
// Threading: used only on the io thread of the pool that opened it. Every asynchronous
// handler holds the connection alive; the owner (the pool) is held until the connection
// closes and is told exactly once, through on_closed().

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "gateway/upstream/pending_call.hpp"
#include "gateway/upstream/settings.hpp"
#include "opp/codec/framing.hpp"

namespace opp::gateway::upstream {

class Endpoint;
struct Totals;

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  /// What a connection reports to the pool that owns it.
  class Owner {
   public:
    /// The connection is open; it writes its queued calls itself.
    virtual void on_connected(Connection& connection) = 0;
    /// A call on it completed: it can take another.
    virtual void on_capacity(Connection& connection) = 0;
    /// Closed for good (after this the connection never calls its owner). `unwritten` were
    /// assigned to it and never sent, so they may go elsewhere; `connect_failed` when it
    /// never opened (refused, unreachable, connect timeout).
    virtual void on_closed(Connection& connection, std::vector<CallPtr> unwritten,
                           bool connect_failed, const std::string& reason) = 0;

   protected:
    ~Owner() = default;
  };

  Connection(boost::asio::io_context& io, std::shared_ptr<Owner> owner,
             std::shared_ptr<Endpoint> endpoint, std::shared_ptr<const Settings> settings,
             std::shared_ptr<Totals> totals);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  /// Starts connecting (asynchronously: the owner hears of the outcome from a handler).
  void start();

  /// Queues `call`; it is written as soon as the connection is open, after those before it.
  void assign(CallPtr call);
  /// Takes back a call assigned and not yet written (its deadline passed); false when it
  /// is not queued here.
  bool withdraw(PendingCall& call);
  /// Takes no new calls and closes once the calls on it are done (reload, retirement).
  void drain();
  /// Closes now: calls written on it fail with `kind` (their replies can no longer be
  /// matched), unwritten ones go back to the owner. `eject` rests the endpoint.
  void close(FailureKind kind, const std::string& reason, bool eject);

  /// Whether it can take calls (open or connecting, not draining, not closed).
  bool usable() const { return phase_ != Phase::kClosed && !draining_; }
  bool closed() const { return phase_ == Phase::kClosed; }
  /// Calls on it now: queued, being written, awaiting replies.
  size_t load() const { return to_write_.size() + in_flight_.size() + oneway_in_batch_; }
  Endpoint& endpoint() const { return *endpoint_; }
  const std::shared_ptr<Endpoint>& shared_endpoint() const { return endpoint_; }

 private:
  enum class Phase : uint8_t { kNew, kConnecting, kOpen, kClosed };

  void connect_to(const boost::asio::ip::tcp::endpoint& address);
  void on_connect(const boost::system::error_code& ec);
  void start_write();
  void on_write(const boost::system::error_code& ec);
  void start_read();
  void on_read(const boost::system::error_code& ec, size_t n);
  /// Delivers every complete reply in the read buffer; false once the connection closed.
  bool process_input();
  bool deliver(std::string_view message);
  bool bad_reply(std::string what);
  /// After a call completed: close when draining and idle, else tell the owner.
  void call_done();

  boost::asio::ip::tcp::socket socket_;
  boost::asio::steady_timer connect_timer_;
  std::unique_ptr<boost::asio::ip::tcp::resolver> resolver_;  ///< only for host names
  std::shared_ptr<Owner> owner_;                              ///< until closed
  std::shared_ptr<Endpoint> endpoint_;
  std::shared_ptr<const Settings> settings_;
  std::shared_ptr<Totals> totals_;
  Phase phase_ = Phase::kNew;
  bool draining_ = false;
  bool writing_ = false;

  std::deque<CallPtr> to_write_;   ///< assigned, not written yet
  std::deque<CallPtr> in_flight_;  ///< being written or written, replies expected, in order
  std::vector<CallPtr> batch_;     ///< the write in progress (keeps its bytes alive)
  std::vector<boost::asio::const_buffer> buffers_;
  size_t oneway_in_batch_ = 0;
  uint64_t bytes_sent_ = 0;

  std::string read_buffer_;
  size_t read_begin_ = 0;  ///< first byte not consumed
  size_t read_end_ = 0;    ///< end of the bytes received
  codec::MessageMeasurer measurer_;
};

}  // namespace opp::gateway::upstream
