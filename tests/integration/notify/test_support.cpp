#include "test_support.hpp"

#include "opp/crypto/response_signature.hpp"

#include <unistd.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <atomic>
#include <stdexcept>
#include <thread>

namespace opp::payment::test {

const crypto::PrivateKey& platform_key() {
  static const crypto::PrivateKey key = [] {
    auto generated = crypto::PrivateKey::generate();
    if (!generated) throw std::runtime_error(generated.error().message);
    return *generated;
  }();
  return key;
}

Result<void> verify_notification(const ReceivedRequest& request) {
  crypto::ResponseSignature headers{
      request.header("x-opp-timestamp"), request.header("x-opp-nonce"),
      request.header("x-opp-sign-type"), request.header("x-opp-signature")};
  return crypto::verify_response(platform_key().public_key(), headers, request.body);
}

NotifyUrl url_of(const std::string& text) {
  auto url = parse_notify_url(text);
  if (!url) throw std::invalid_argument(text + ": " + url.error().message);
  return std::move(url).value();
}

uint16_t unused_loopback_port() {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor acceptor(
      io, boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0));
  return acceptor.local_endpoint().port();
}

ScratchDir::ScratchDir() {
  static std::atomic<int> counter{0};
  path = std::filesystem::path(OPP_BINARY_DIR) / "test-tmp" /
         ("notify-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  std::filesystem::remove_all(path);
  std::filesystem::create_directories(path);
}

ScratchDir::~ScratchDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path, ignored);
}

bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return condition();
}

}  // namespace opp::payment::test
