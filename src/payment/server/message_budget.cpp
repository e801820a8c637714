#include "payment/server/message_budget.hpp"

namespace opp::payment {

namespace at = ::apache::thrift;

uint32_t PerMessageBufferedTransport::readEnd() {
  const uint32_t bytes = TBufferedTransport::readEnd();
  resetConsumedMessageSize();
  return bytes;
}

std::shared_ptr<at::transport::TTransport> PerMessageBufferedTransportFactory::getTransport(
    std::shared_ptr<at::transport::TTransport> connection) {
  return std::make_shared<PerMessageBufferedTransport>(std::move(connection), config_);
}

}  // namespace opp::payment
