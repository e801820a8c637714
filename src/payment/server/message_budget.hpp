#pragma once
// THRIFT-5371 (Apache Thrift 0.17): a transport's read budget, TConfiguration's
// maxMessageSize (100 MB by default), is drawn down by every borrow/consume a protocol makes
// and restored only where a transport's readEnd() does it (TMemoryBuffer, which
// TNonblockingServer reads each request from). TBufferedTransport never restores it, so a
// TThreadedServer stops reading a connection for good once ~100 MB have crossed it — a
// gateway's long-lived upstream connection gets there in minutes. This transport restores
// the budget after every message, so the limit bounds one message, as it is meant to.

#include <thrift/TConfiguration.h>
#include <thrift/transport/TBufferTransports.h>

#include <cstdint>
#include <memory>

namespace opp::payment {

/// TBufferedTransport whose readEnd() — which the generated processor calls after reading
/// each request — restores the read budget.
class PerMessageBufferedTransport final : public apache::thrift::transport::TBufferedTransport {
 public:
  using TBufferedTransport::TBufferedTransport;

  /// Ends the message just read and gives the next one the full budget.
  uint32_t readEnd() override;
};

/// Wraps each accepted connection in a PerMessageBufferedTransport (in place of Thrift's
/// TBufferedTransportFactory).
class PerMessageBufferedTransportFactory final
    : public apache::thrift::transport::TTransportFactory {
 public:
  /// `config` sets the per-message limit (maxMessageSize); null means Thrift's default.
  explicit PerMessageBufferedTransportFactory(
      std::shared_ptr<apache::thrift::TConfiguration> config = nullptr)
      : config_(std::move(config)) {}

  /// A PerMessageBufferedTransport over `connection`.
  std::shared_ptr<apache::thrift::transport::TTransport> getTransport(
      std::shared_ptr<apache::thrift::transport::TTransport> connection) override;

 private:
  std::shared_ptr<apache::thrift::TConfiguration> config_;
};

}  // namespace opp::payment
