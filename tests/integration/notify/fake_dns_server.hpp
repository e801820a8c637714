#pragma once
// A DNS server for tests on an ephemeral loopback UDP port, for notify_dns_servers: it
// answers A queries for the names it is told about (after a delay, or never), answers
// AAAA queries for them with no address, and every other name with NXDOMAIN.

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace opp::payment::test {

class FakeDnsServer {
 public:
  FakeDnsServer();
  ~FakeDnsServer();
  FakeDnsServer(const FakeDnsServer&) = delete;
  FakeDnsServer& operator=(const FakeDnsServer&) = delete;

  /// "127.0.0.1:PORT", as notify_dns_servers takes it.
  std::string address() const;

  /// `name` has the IPv4 address `ipv4`, told `delay` after each query.
  void answer(const std::string& name, const std::string& ipv4,
              std::chrono::milliseconds delay = std::chrono::milliseconds(0));
  /// Queries for `name` are read and never answered.
  void never_answer(const std::string& name);

  /// Queries received for `name` (any type).
  size_t queries_for(const std::string& name) const;

 private:
  struct Record {
    std::optional<std::string> ipv4;  ///< nothing: never answered
    std::chrono::milliseconds delay{0};
  };
  struct Impl;
  friend struct Impl;

  std::unique_ptr<Impl> impl_;
  std::thread thread_;
  mutable std::mutex mutex_;
  std::map<std::string, Record> records_;
  std::map<std::string, size_t> queries_;
};

}  // namespace opp::payment::test
