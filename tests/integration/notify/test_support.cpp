#include "test_support.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <stdexcept>

namespace opp::payment::test {

const crypto::PrivateKey& platform_key() {
  static const crypto::PrivateKey key = [] {
    auto generated = crypto::PrivateKey::generate();
    if (!generated) throw std::runtime_error(generated.error().message);
    return *generated;
  }();
  return key;
}

uint16_t unused_loopback_port() {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor acceptor(
      io, boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0));
  return acceptor.local_endpoint().port();
}

}  // namespace opp::payment::test
