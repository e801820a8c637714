#include "fake_dns_server.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cctype>
#include <vector>

namespace opp::payment::test {

namespace asio = boost::asio;
using udp = asio::ip::udp;

namespace {

constexpr uint16_t kTypeA = 1;
constexpr uint16_t kRcodeNxdomain = 3;

struct Question {
  std::string name;  ///< lowercased, without the final dot
  uint16_t type = 0;
  size_t end_offset = 0;  ///< where the question section ends in the query
};

/// The first question of a query, or nothing for what is not one.
std::optional<Question> parse_question(const std::vector<uint8_t>& query) {
  if (query.size() < 12 || (query[2] & 0x80) != 0) return std::nullopt;
  Question question;
  size_t at = 12;
  while (at < query.size() && query[at] != 0) {
    const size_t length = query[at++];
    if (length > 63 || at + length > query.size()) return std::nullopt;
    if (!question.name.empty()) question.name.push_back('.');
    for (size_t i = 0; i < length; ++i) {
      question.name.push_back(static_cast<char>(std::tolower(query[at + i])));
    }
    at += length;
  }
  if (at + 5 > query.size()) return std::nullopt;
  question.type = static_cast<uint16_t>(query[at + 1] << 8 | query[at + 2]);
  question.end_offset = at + 5;
  return question;
}

/// The answer to `query`: its header and question, then an A record when given one.
std::vector<uint8_t> make_response(const std::vector<uint8_t>& query, const Question& question,
                                   uint16_t rcode, const std::optional<asio::ip::address_v4>& a) {
  std::vector<uint8_t> response(query.begin(), query.begin() + question.end_offset);
  response[2] = static_cast<uint8_t>(0x80 | (query[2] & 0x01));  // QR, RD copied
  response[3] = static_cast<uint8_t>(0x80 | rcode);              // RA
  response[4] = 0;
  response[5] = 1;  // one question
  response[6] = 0;
  response[7] = a ? 1 : 0;
  for (size_t i = 8; i < 12; ++i) response[i] = 0;
  if (a) {
    const uint8_t record[] = {0xc0, 0x0c, 0, kTypeA, 0, 1, 0, 0, 0, 60, 0, 4};
    response.insert(response.end(), std::begin(record), std::end(record));
    const auto bytes = a->to_bytes();
    response.insert(response.end(), bytes.begin(), bytes.end());
  }
  return response;
}

}  // namespace

struct FakeDnsServer::Impl {
  asio::io_context io;
  udp::socket socket{io, udp::endpoint(asio::ip::make_address("127.0.0.1"), 0)};
  std::vector<uint8_t> buffer = std::vector<uint8_t>(1500);
  udp::endpoint sender;

  void receive(FakeDnsServer* owner) {
    socket.async_receive_from(asio::buffer(buffer), sender,
                              [this, owner](boost::system::error_code ec, size_t size) {
                                if (ec) return;
                                std::vector<uint8_t> query(buffer.begin(), buffer.begin() + size);
                                respond(owner, query, sender);
                                receive(owner);
                              });
  }

  void respond(FakeDnsServer* owner, const std::vector<uint8_t>& query, udp::endpoint to) {
    const auto question = parse_question(query);
    if (!question) return;
    std::optional<Record> record;
    {
      std::lock_guard lock(owner->mutex_);
      ++owner->queries_[question->name];
      auto found = owner->records_.find(question->name);
      if (found != owner->records_.end()) record = found->second;
    }
    if (record && !record->ipv4) return;  // never answered
    std::optional<asio::ip::address_v4> a;
    if (record && question->type == kTypeA) a = asio::ip::make_address_v4(*record->ipv4);
    auto response = std::make_shared<std::vector<uint8_t>>(
        make_response(query, *question, record ? 0 : kRcodeNxdomain, a));
    auto timer = std::make_shared<asio::steady_timer>(
        io, record ? record->delay : std::chrono::milliseconds(0));
    timer->async_wait([this, timer, response, to](boost::system::error_code ec) {
      if (ec) return;
      boost::system::error_code ignored;
      socket.send_to(asio::buffer(*response), to, 0, ignored);
    });
  }
};

FakeDnsServer::FakeDnsServer() : impl_(std::make_unique<Impl>()) {
  impl_->receive(this);
  thread_ = std::thread([this] { impl_->io.run(); });
}

FakeDnsServer::~FakeDnsServer() {
  impl_->io.stop();
  thread_.join();
}

std::string FakeDnsServer::address() const {
  return "127.0.0.1:" + std::to_string(impl_->socket.local_endpoint().port());
}

void FakeDnsServer::answer(const std::string& name, const std::string& ipv4,
                           std::chrono::milliseconds delay) {
  std::lock_guard lock(mutex_);
  records_[name] = Record{ipv4, delay};
}

void FakeDnsServer::never_answer(const std::string& name) {
  std::lock_guard lock(mutex_);
  records_[name] = Record{std::nullopt, {}};
}

size_t FakeDnsServer::queries_for(const std::string& name) const {
  std::lock_guard lock(mutex_);
  auto found = queries_.find(name);
  return found == queries_.end() ? 0 : found->second;
}

}  // namespace opp::payment::test
