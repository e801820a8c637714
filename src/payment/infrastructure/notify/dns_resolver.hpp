#pragma once
// Host name lookups for notification delivery with c-ares, driven by the caller's
// io_context: c-ares' sockets are watched by the io_context and its retry timer is an
// Asio timer, so a lookup occupies no thread while it waits and can be cancelled at once.
// (Asio's own resolver runs getaddrinfo on one private thread per io_context: a slow
// lookup there holds up every lookup behind it and cannot be abandoned.)

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "opp/common/result.hpp"

namespace opp::payment {

struct DnsResolverOptions {
  /// DNS servers as "IP" or "IP:PORT" ("[IPv6]:PORT"); empty: those of /etc/resolv.conf.
  std::vector<std::string> servers;
};

/// Checks one `DnsResolverOptions::servers` entry; the error message says what is wrong.
Result<void> check_dns_server(const std::string& server);

class DnsResolver {
 public:
  using Endpoints = std::vector<boost::asio::ip::tcp::endpoint>;
  using Handler = std::function<void(Result<Endpoints>)>;

  /// Error (10005 `notify-resolver`): c-ares could not start (bad server list, no memory).
  static Result<std::unique_ptr<DnsResolver>> create(boost::asio::io_context& io,
                                                     const DnsResolverOptions& options);
  /// Lookups still in progress end without calling their handlers.
  ~DnsResolver();
  DnsResolver(const DnsResolver&) = delete;
  DnsResolver& operator=(const DnsResolver&) = delete;

  /// Looks `host` up (/etc/hosts first, then DNS; IPv4 and IPv6) and calls `handler`
  /// once, on the io_context, never from inside this call, with the addresses and `port`.
  /// Errors: 10005 `notify-unreachable` (the name does not resolve; c-ares' reason is the
  /// message), `notify-cancelled` (cancel() was called).
  void resolve(const std::string& host, uint16_t port, Handler handler);

  /// Ends every lookup in progress with `notify-cancelled`.
  void cancel();

 private:
  struct State;
  explicit DnsResolver(std::shared_ptr<State> state);
  std::shared_ptr<State> state_;
};

}  // namespace opp::payment
