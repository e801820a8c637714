#include "payment/infrastructure/notify/dns_resolver.hpp"

#include <ares.h>
#include <netinet/in.h>

#include <algorithm>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <charconv>
#include <chrono>
#include <cstring>
#include <mutex>
#include <unordered_map>

namespace opp::payment {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

/// A DNS server that does not answer is asked again after 1 s (then 2 s, 4 s: c-ares
/// doubles it each round); the delivery's own deadline usually ends the lookup first.
constexpr int kTryTimeoutMs = 1000;
constexpr int kTries = 3;

Error lookup_error(const char* sub_code, std::string message) {
  return Error{ErrorCode::kRequestServerFail, sub_code, std::move(message), {}};
}

void init_library_once() {
  static std::once_flag once;
  std::call_once(once, [] { ares_library_init(ARES_LIB_INIT_ALL); });
}

tcp::endpoint endpoint_of(const sockaddr* address, uint16_t port) {
  if (address->sa_family == AF_INET6) {
    sockaddr_in6 v6;
    std::memcpy(&v6, address, sizeof v6);
    asio::ip::address_v6::bytes_type bytes;
    std::memcpy(bytes.data(), &v6.sin6_addr, bytes.size());
    return {asio::ip::address_v6(bytes, v6.sin6_scope_id), port};
  }
  sockaddr_in v4;
  std::memcpy(&v4, address, sizeof v4);
  return {asio::ip::address_v4(ntohl(v4.sin_addr.s_addr)), port};
}

}  // namespace

Result<void> check_dns_server(const std::string& server) {
  std::string host = server;
  std::string port;
  if (!server.empty() && server.front() == '[') {
    const size_t close = server.find(']');
    if (close == std::string::npos) return lookup_error("invalid-dns-server", "unclosed [");
    host = server.substr(1, close - 1);
    if (close + 1 < server.size()) {
      if (server[close + 1] != ':') return lookup_error("invalid-dns-server", "expected ]:PORT");
      port = server.substr(close + 2);
    }
  } else if (std::count(server.begin(), server.end(), ':') == 1) {
    host = server.substr(0, server.find(':'));
    port = server.substr(server.find(':') + 1);
  }
  boost::system::error_code ec;
  asio::ip::make_address(host, ec);
  if (ec) return lookup_error("invalid-dns-server", "expected an IP address, got \"" + host + "\"");
  if (!port.empty() || server.back() == ':') {
    unsigned value = 0;
    auto [end, error] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (error != std::errc() || end != port.data() + port.size() || value == 0 || value > 65535)
      return lookup_error("invalid-dns-server", "port must be 1..65535, got \"" + port + "\"");
  }
  return {};
}

/// Everything a lookup's callbacks touch. Asio handlers hold it weakly: once the
/// resolver is gone they find it expired and do nothing.
struct DnsResolver::State : std::enable_shared_from_this<DnsResolver::State> {
  struct SocketWatch {
    explicit SocketWatch(asio::io_context& io, int fd) : descriptor(io, fd) {}
    asio::posix::stream_descriptor descriptor;  ///< c-ares owns the fd: released, never closed
    bool want_read = false;
    bool want_write = false;
    bool reading = false;
    bool writing = false;
  };
  struct Lookup {
    std::weak_ptr<State> state;
    uint16_t port;
    Handler handler;
  };

  explicit State(asio::io_context& context) : io(context), timer(context) {}

  asio::io_context& io;
  ares_channel channel = nullptr;
  asio::steady_timer timer;
  std::unordered_map<int, std::shared_ptr<SocketWatch>> watches;

  /// c-ares says which sockets it waits on: (fd, 0, 0) just before it closes one.
  static void on_socket_state(void* data, ares_socket_t fd, int readable, int writable) {
    static_cast<State*>(data)->socket_state(fd, readable != 0, writable != 0);
  }

  void socket_state(int fd, bool readable, bool writable) {
    auto found = watches.find(fd);
    if (!readable && !writable) {
      if (found == watches.end()) return;
      found->second->descriptor.release();  // aborts its waits, keeps the fd open for c-ares
      watches.erase(found);
      return;
    }
    if (found == watches.end()) {
      found = watches.emplace(fd, std::make_shared<SocketWatch>(io, fd)).first;
    }
    found->second->want_read = readable;
    found->second->want_write = writable;
    watch(fd, found->second);
  }

  void watch(int fd, const std::shared_ptr<SocketWatch>& socket) {
    if (socket->want_read && !socket->reading) wait(fd, socket, false);
    if (socket->want_write && !socket->writing) wait(fd, socket, true);
  }

  /// One wait for `fd` to be readable (or writable), then c-ares reads (or writes) it.
  void wait(int fd, const std::shared_ptr<SocketWatch>& socket, bool for_write) {
    using wait_type = asio::posix::stream_descriptor::wait_type;
    (for_write ? socket->writing : socket->reading) = true;
    socket->descriptor.async_wait(
        for_write ? wait_type::wait_write : wait_type::wait_read,
        [weak = weak_from_this(), weak_socket = std::weak_ptr<SocketWatch>(socket), fd,
         for_write](boost::system::error_code ec) {
          auto self = weak.lock();
          auto socket = weak_socket.lock();
          if (!self || !socket) return;  // the resolver or the socket is gone meanwhile
          (for_write ? socket->writing : socket->reading) = false;
          if (ec == asio::error::operation_aborted) return;
          ares_process_fd(self->channel, for_write ? ARES_SOCKET_BAD : fd,
                          for_write ? fd : ARES_SOCKET_BAD);
          self->schedule_timeouts();
          // Unless c-ares closed it meanwhile (and maybe reused the number).
          auto current = self->watches.find(fd);
          if (current != self->watches.end() && current->second == socket) self->watch(fd, socket);
        });
  }

  /// Retries and timeouts of queries waiting on a silent server run from this timer.
  void schedule_timeouts() {
    timeval next_tv{};
    if (ares_timeout(channel, nullptr, &next_tv) == nullptr) {
      timer.cancel();
      return;
    }
    timer.expires_after(std::chrono::seconds(next_tv.tv_sec) +
                        std::chrono::microseconds(next_tv.tv_usec));
    timer.async_wait([weak = weak_from_this()](boost::system::error_code ec) {
      auto self = weak.lock();
      if (!self || ec) return;
      ares_process_fd(self->channel, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
      self->schedule_timeouts();
    });
  }

  static void on_addrinfo(void* arg, int status, int /*timeouts*/, ares_addrinfo* result) {
    std::unique_ptr<Lookup> lookup(static_cast<Lookup*>(arg));
    Result<Endpoints> outcome = collect(status, result, lookup->port);
    if (result != nullptr) ares_freeaddrinfo(result);
    // ares_destroy: the resolver is being destroyed, whoever waited is gone too.
    if (status == ARES_EDESTRUCTION) return;
    auto self = lookup->state.lock();
    if (!self) return;
    // Never from inside c-ares: the handler may cancel or destroy the resolver.
    asio::post(self->io, [handler = std::move(lookup->handler), outcome = std::move(outcome)] {
      handler(std::move(outcome));
    });
  }

  static Result<Endpoints> collect(int status, const ares_addrinfo* result, uint16_t port) {
    if (status == ARES_ECANCELLED) return lookup_error("notify-cancelled", "lookup cancelled");
    if (status != ARES_SUCCESS) return lookup_error("notify-unreachable", ares_strerror(status));
    Endpoints endpoints;
    for (const ares_addrinfo_node* node = result->nodes; node != nullptr; node = node->ai_next) {
      if (node->ai_family != AF_INET && node->ai_family != AF_INET6) continue;
      tcp::endpoint endpoint = endpoint_of(node->ai_addr, port);
      if (std::find(endpoints.begin(), endpoints.end(), endpoint) == endpoints.end())
        endpoints.push_back(endpoint);
    }
    if (endpoints.empty()) return lookup_error("notify-unreachable", "no address for the name");
    return endpoints;
  }
};

Result<std::unique_ptr<DnsResolver>> DnsResolver::create(asio::io_context& io,
                                                         const DnsResolverOptions& options) {
  init_library_once();
  auto state = std::make_shared<State>(io);
  ares_options settings{};
  settings.sock_state_cb = &State::on_socket_state;
  settings.sock_state_cb_data = state.get();
  settings.timeout = kTryTimeoutMs;
  settings.tries = kTries;
  const int mask = ARES_OPT_SOCK_STATE_CB | ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES;
  if (const int status = ares_init_options(&state->channel, &settings, mask);
      status != ARES_SUCCESS) {
    return lookup_error("notify-resolver", std::string("c-ares: ") + ares_strerror(status));
  }
  std::unique_ptr<DnsResolver> resolver(new DnsResolver(state));
  if (!options.servers.empty()) {
    std::string csv;
    for (const std::string& server : options.servers) {
      if (auto checked = check_dns_server(server); !checked) return std::move(checked).error();
      csv.append(csv.empty() ? "" : ",").append(server);
    }
    if (const int status = ares_set_servers_ports_csv(state->channel, csv.c_str());
        status != ARES_SUCCESS) {
      return lookup_error("notify-resolver", "DNS servers " + csv + ": " + ares_strerror(status));
    }
  }
  return resolver;
}

DnsResolver::DnsResolver(std::shared_ptr<State> state) : state_(std::move(state)) {}

DnsResolver::~DnsResolver() {
  // Closes c-ares' sockets (each reported to socket_state first, which lets go of it).
  ares_destroy(state_->channel);
  state_->timer.cancel();
}

void DnsResolver::resolve(const std::string& host, uint16_t port, Handler handler) {
  ares_addrinfo_hints hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  auto* lookup = new State::Lookup{state_, port, std::move(handler)};
  ares_getaddrinfo(state_->channel, host.c_str(), nullptr, &hints, &State::on_addrinfo, lookup);
  state_->schedule_timeouts();
}

void DnsResolver::cancel() {
  ares_cancel(state_->channel);
  state_->schedule_timeouts();
}

}  // namespace opp::payment
