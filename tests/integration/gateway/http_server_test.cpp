// The HTTP layer over real loopback sockets: keep-alive, in-order pipelining, limits,
// timeouts, malformed input, request ids, the connection bound and draining.
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/ssl.hpp>

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "gateway/http/http_server.hpp"
#include "gateway/http/tls_context.hpp"
#include "plain_exchange.hpp"
#include "test_certificates.hpp"

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace ssl = boost::asio::ssl;
using asio::ip::tcp;
using namespace opp::gateway::http;
using namespace std::chrono_literals;

namespace {

// Answers "/delay/<ms>/<text>" with <text> after <ms> milliseconds; anything else at once
// with the body it was sent (or the path when there is none).
class FakeHandler final : public RequestHandler {
 public:
  explicit FakeHandler(asio::io_context& io, std::atomic<int>& handled)
      : io_(io), handled_(handled) {}
  void handle(IncomingRequest request, Responder respond) override {
    ++handled_;
    std::string path(request.path());
    OutgoingResponse response;
    response.content_type = "text/plain";
    if (path.rfind("/delay/", 0) == 0) {
      auto slash = path.find('/', 7);
      int ms = std::stoi(path.substr(7, slash - 7));
      response.body = path.substr(slash + 1);
      auto timer = std::make_shared<asio::steady_timer>(io_, std::chrono::milliseconds(ms));
      timer->async_wait(
          [timer, r = std::move(respond), response](auto) mutable { r(std::move(response)); });
      return;
    }
    response.body = request.body.empty() ? path : request.body;
    response.headers.emplace_back("X-Client", request.client_address);
    respond(std::move(response));
  }
  OutgoingResponse refuse(const opp::Error& error, std::string_view) override {
    OutgoingResponse response;
    response.status = opp::http_status(error);
    response.body = error.sub_code;
    response.close = true;
    return response;
  }

 private:
  asio::io_context& io_;
  std::atomic<int>& handled_;
};

const opp::test::TestCertificates& certificates() {
  static const opp::test::TestCertificates made;
  return made;
}

opp::gateway::config::TlsConfig tls_settings() {
  opp::gateway::config::TlsConfig settings;
  settings.cert = certificates().cert();
  settings.key = certificates().key();
  return settings;
}

// Both listeners, plain and TLS, on one set of io threads.
struct Server {
  std::atomic<int> handled{0};
  std::unique_ptr<TlsContextStore> tls;
  std::unique_ptr<HttpServer> server;
  uint16_t port = 0;
  uint16_t tls_port = 0;

  explicit Server(SessionLimits limits = {}, uint32_t threads = 2) {
    auto store = TlsContextStore::open(tls_settings());
    REQUIRE(store);
    tls = std::move(*store);
    ServerOptions options;
    options.listen = {"127.0.0.1", 0};
    options.tls_listen = {"127.0.0.1", 0};
    options.tls = tls.get();
    options.threads = threads;
    options.limits = limits;
    server = std::make_unique<HttpServer>(options);
    auto started = server->start([this](size_t, asio::io_context& io) {
      return std::make_unique<FakeHandler>(io, handled);
    });
    REQUIRE(started);
    port = started->plain->port;
    tls_port = started->tls->port;
  }
  ~Server() {
    server->drain(1s);
    server->join();
  }
};

tcp::endpoint loopback(uint16_t port) {
  return {asio::ip::make_address("127.0.0.1"), port};
}

// How a test client reaches the server: plain TCP, or TLS verified against the test CA
// with the host name checked.
struct Plain {
  asio::io_context io;
  tcp::socket socket{io};

  explicit Plain(const Server& server) { socket.connect(loopback(server.port)); }
  tcp::socket& stream() { return socket; }
  tcp::socket& tcp_socket() { return socket; }
};

struct Tls {
  asio::io_context io;
  ssl::context context{ssl::context::tls_client};
  beast::ssl_stream<tcp::socket> tls{io, context};

  explicit Tls(const Server& server) {
    context.load_verify_file(certificates().ca().string());
    tls.set_verify_mode(ssl::verify_peer);
    tls.set_verify_callback(ssl::host_name_verification("localhost"));
    SSL_set_tlsext_host_name(tls.native_handle(), "localhost");
    tls.next_layer().connect(loopback(server.tls_port));
    tls.handshake(ssl::stream_base::client);
  }
  beast::ssl_stream<tcp::socket>& stream() { return tls; }
  tcp::socket& tcp_socket() { return tls.next_layer(); }
};

// A blocking client with a read deadline.
template <class Transport>
struct BasicClient : Transport {
  beast::flat_buffer buffer;

  explicit BasicClient(const Server& server) : Transport(server) {}
  void send(const std::string& bytes) { asio::write(this->stream(), asio::buffer(bytes)); }
  /// The next response, or nullopt when the connection closed (or nothing came in 5 s).
  std::optional<bhttp::response<bhttp::string_body>> read() {
    bhttp::response<bhttp::string_body> response;
    beast::error_code ec;
    timeval tv{5, 0};
    setsockopt(this->tcp_socket().native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    bhttp::read(this->stream(), buffer, response, ec);
    if (ec) return std::nullopt;
    return response;
  }
  /// Whether the server closed the connection (EOF, close_notify or reset) within `wait`.
  bool closed_within(std::chrono::seconds wait) {
    timeval tv{static_cast<time_t>(wait.count()), 0};
    setsockopt(this->tcp_socket().native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    char byte;
    beast::error_code ec;
    for (;;) {
      size_t n = this->stream().read_some(asio::buffer(&byte, 1), ec);
      if (ec)
        return ec == asio::error::eof || ec == asio::error::connection_reset ||
               ec == ssl::error::stream_truncated;
      if (n == 0) return false;
    }
  }
};

using Client = BasicClient<Plain>;

std::string get(const std::string& target, const std::string& extra = "") {
  return "GET " + target + " HTTP/1.1\r\nHost: x\r\n" + extra + "\r\n";
}

std::string post(const std::string& target, const std::string& body) {
  return "POST " + target + " HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\n\r\n" + body;
}

}  // namespace

TEMPLATE_TEST_CASE("http: keep-alive serves many requests on one connection", "[http]", Plain,
                   Tls) {
  Server server;
  BasicClient<TestType> client(server);
  for (int i = 0; i < 20; ++i) {
    client.send(post("/echo", "body-" + std::to_string(i)));
    auto response = client.read();
    REQUIRE(response);
    CHECK(response->result_int() == 200);
    CHECK(response->body() == "body-" + std::to_string(i));
    CHECK(response->keep_alive());
    CHECK((*response)["X-Client"] == "127.0.0.1");
  }
  CHECK(server.handled == 20);
}

TEMPLATE_TEST_CASE("http: pipelined answers come back in request order", "[http]", Plain, Tls) {
  Server server;
  BasicClient<TestType> client(server);
  // The first request answers last.
  client.send(get("/delay/300/first") + get("/delay/100/second") + get("/delay/0/third") +
              get("/now"));
  std::vector<std::string> bodies;
  for (int i = 0; i < 4; ++i) {
    auto response = client.read();
    REQUIRE(response);
    bodies.push_back(response->body());
  }
  CHECK(bodies == std::vector<std::string>{"first", "second", "third", "/now"});
}

TEST_CASE("http: X-Request-Id is kept when well-formed, else generated", "[http]") {
  Server server;
  Client client(server);
  client.send(get("/a", "X-Request-Id: my-id.42\r\n"));
  auto kept = client.read();
  REQUIRE(kept);
  CHECK((*kept)["X-Request-Id"] == "my-id.42");
  client.send(get("/b", "X-Request-Id: bad id with spaces\r\n"));
  auto replaced = client.read();
  REQUIRE(replaced);
  const std::string generated = (*replaced)["X-Request-Id"].to_string();
  CHECK_FALSE(generated.empty());
  CHECK(generated != "bad id with spaces");
  client.send(get("/c"));
  auto other = client.read();
  REQUIRE(other);
  CHECK((*other)["X-Request-Id"].to_string() != generated);
}

TEMPLATE_TEST_CASE("http: a body over the limit is 413 and the connection closes", "[http]", Plain,
                   Tls) {
  SessionLimits limits;
  limits.max_body_bytes = 1000;
  Server server(limits);
  SECTION("announced by Content-Length") {
    BasicClient<TestType> client(server);
    client.send(post("/echo", std::string(1001, 'x')));
    auto response = client.read();
    REQUIRE(response);
    CHECK(response->result_int() == 413);
    CHECK(response->body() == "body-too-large");
    CHECK_FALSE(response->keep_alive());
    CHECK(client.closed_within(3s));
  }
  SECTION("chunked") {
    BasicClient<TestType> client(server);
    std::string chunk(600, 'y');
    client.send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n258\r\n" +
                chunk + "\r\n258\r\n" + chunk + "\r\n0\r\n\r\n");
    auto response = client.read();
    REQUIRE(response);
    CHECK(response->result_int() == 413);
  }
  CHECK(server.handled == 0);
}

TEMPLATE_TEST_CASE("http: a head over the limit is 431 and the connection closes", "[http]", Plain,
                   Tls) {
  SessionLimits limits;
  limits.max_header_bytes = 512;
  Server server(limits);
  BasicClient<TestType> client(server);
  client.send(get("/x", "X-Big: " + std::string(1000, 'h') + "\r\n"));
  auto response = client.read();
  REQUIRE(response);
  CHECK(response->result_int() == 431);
  CHECK(client.closed_within(3s));
}

TEMPLATE_TEST_CASE("http: malformed HTTP is 400 and the connection closes", "[http]", Plain, Tls) {
  Server server;
  BasicClient<TestType> client(server);
  client.send("THIS IS NOT HTTP\r\n\r\n");
  auto response = client.read();
  REQUIRE(response);
  CHECK(response->result_int() == 400);
  CHECK(response->body() == "malformed-http");
  CHECK(client.closed_within(3s));
  CHECK(server.handled == 0);
}

TEMPLATE_TEST_CASE("http: a slow client cannot hold a connection open", "[http]", Plain, Tls) {
  SessionLimits limits;
  limits.http.header_timeout_ms = 300;
  limits.http.body_timeout_ms = 300;
  limits.http.idle_timeout_ms = 400;
  Server server(limits);
  SECTION("a head that never ends") {
    BasicClient<TestType> client(server);
    client.send("GET /x HTTP/1.1\r\nHost: x\r\n");  // no blank line
    CHECK(client.closed_within(3s));
  }
  SECTION("a head sent one byte at a time past the header timeout") {
    BasicClient<TestType> client(server);
    const std::string head = get("/x", "X-Padding: " + std::string(40, 'p') + "\r\n");
    bool closed = false;
    for (char c : head) {
      beast::error_code ec;
      asio::write(client.stream(), asio::buffer(&c, 1), ec);
      if (ec) {
        closed = true;
        break;
      }
      std::this_thread::sleep_for(20ms);
    }
    CHECK((closed || client.closed_within(3s)));
    CHECK(server.handled == 0);
  }
  SECTION("a body that stops coming") {
    BasicClient<TestType> client(server);
    client.send("POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nonly-part");
    CHECK(client.closed_within(3s));
  }
  SECTION("an idle keep-alive connection") {
    BasicClient<TestType> client(server);
    client.send(get("/x"));
    REQUIRE(client.read());
    CHECK(client.closed_within(3s));
  }
}

TEMPLATE_TEST_CASE("http: Expect: 100-continue gets an interim answer", "[http]", Plain, Tls) {
  Server server;
  BasicClient<TestType> client(server);
  client.send(
      "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
  char interim[64];
  size_t n = client.stream().read_some(asio::buffer(interim));
  CHECK(std::string(interim, n).rfind("HTTP/1.1 100 Continue", 0) == 0);
  client.send("hello");
  auto response = client.read();
  REQUIRE(response);
  CHECK(response->body() == "hello");
}

TEST_CASE("http: connections beyond the bound are closed at accept", "[http]") {
  SessionLimits limits;
  limits.http.max_connections = 3;
  Server server(limits);
  std::vector<std::unique_ptr<Client>> clients;
  for (int i = 0; i < 3; ++i) {
    clients.push_back(std::make_unique<Client>(server));
    clients.back()->send(get("/x"));
    REQUIRE(clients.back()->read());
  }
  Client extra(server);
  CHECK(extra.closed_within(3s));
  CHECK(server.server->refused_connections() >= 1);
  clients.pop_back();  // one closes: a new one is accepted again
  std::this_thread::sleep_for(200ms);
  Client next(server);
  next.send(get("/x"));
  CHECK(next.read());
}

TEMPLATE_TEST_CASE("http: Connection: close is honoured", "[http]", Plain, Tls) {
  Server server;
  BasicClient<TestType> client(server);
  client.send(get("/x", "Connection: close\r\n"));
  auto response = client.read();
  REQUIRE(response);
  CHECK_FALSE(response->keep_alive());
  CHECK(client.closed_within(3s));
}

TEMPLATE_TEST_CASE("http: draining finishes requests in flight, then stops", "[http]", Plain, Tls) {
  auto server = std::make_unique<Server>();
  BasicClient<TestType> busy(*server);
  BasicClient<TestType> idle(*server);
  idle.send(get("/x"));
  REQUIRE(idle.read());
  busy.send(get("/delay/500/late"));
  std::this_thread::sleep_for(100ms);  // the request is in flight
  const auto started = std::chrono::steady_clock::now();
  server->server->drain(5s);
  CHECK(idle.closed_within(3s));
  auto response = busy.read();
  REQUIRE(response);
  CHECK(response->body() == "late");
  CHECK_FALSE(response->keep_alive());
  server->server->join();
  CHECK(std::chrono::steady_clock::now() - started < 4s);
  // No longer accepting.
  beast::error_code ec;
  asio::io_context io;
  tcp::socket probe(io);
  probe.connect({asio::ip::make_address("127.0.0.1"), server->port}, ec);
  CHECK(ec);
}

/// Whether `condition` holds within 2 s.
template <class Condition>
bool eventually(Condition condition) {
  for (int i = 0; i < 100; ++i) {
    if (condition()) return true;
    std::this_thread::sleep_for(20ms);
  }
  return condition();
}

uint64_t timeouts(const Server& server) {
  return server.server->tls_handshakes().failed[size_t(HandshakeFailure::kTimeout)];
}

TEST_CASE("http: plain HTTP sent to the TLS port is answered 400 in plain text and closed",
          "[http][tls]") {
  Server server;
  asio::io_context io;
  tcp::socket socket(io);
  socket.connect(loopback(server.tls_port));
  beast::error_code ec;
  const auto response = opp::test::plain_exchange(socket, post("/echo", "hello"), ec);
  REQUIRE_FALSE(ec);
  CHECK(response.result_int() == 400);
  CHECK(response.body() == "http-on-tls-port");
  CHECK_FALSE(response.keep_alive());
  char byte;
  socket.read_some(asio::buffer(&byte, 1), ec);
  CHECK(ec == asio::error::eof);
  CHECK(server.handled == 0);
  const HandshakeTotals handshakes = server.server->tls_handshakes();
  CHECK(handshakes.failed[size_t(HandshakeFailure::kHttpOnTlsPort)] == 1);
  CHECK(handshakes.completed == 0);
}

TEST_CASE("http: a TLS handshake that stalls is cut off within the head timeout", "[http][tls]") {
  SessionLimits limits;
  limits.http.header_timeout_ms = 300;
  Server server(limits);
  asio::io_context io;
  tcp::socket socket(io);
  socket.connect(loopback(server.tls_port));
  SECTION("nothing sent") {}
  SECTION("half a ClientHello") {
    // A handshake record header announcing 512 bytes, and only a few of them.
    asio::write(socket, asio::buffer(std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc", 9)));
  }
  const auto connected = std::chrono::steady_clock::now();
  timeval tv{5, 0};
  setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  char byte;
  beast::error_code ec;
  socket.read_some(asio::buffer(&byte, 1), ec);
  const auto waited = std::chrono::steady_clock::now() - connected;
  CHECK((ec == asio::error::eof || ec == asio::error::connection_reset));
  CHECK(waited >= 250ms);
  CHECK(waited < 3s);
  // The timer closes the socket before the handshake's handler counts the failure.
  CHECK(eventually([&] { return timeouts(server) == 1; }));
}

TEST_CASE("http: TLS handshakes are counted, a refused one by its reason", "[http][tls]") {
  Server server;
  {
    BasicClient<Tls> client(server);
    client.send(get("/x"));
    REQUIRE(client.read());
  }
  CHECK(server.server->tls_handshakes().completed == 1);
  // A client that trusts another CA gives up on the certificate: an alert, no request.
  asio::io_context io;
  ssl::context context(ssl::context::tls_client);
  context.set_verify_mode(ssl::verify_peer);  // the system's CAs only
  beast::ssl_stream<tcp::socket> stranger(io, context);
  stranger.next_layer().connect(loopback(server.tls_port));
  beast::error_code ec;
  stranger.handshake(ssl::stream_base::client, ec);
  CHECK(ec);
  stranger.next_layer().close();
  CHECK(eventually([&] {
    return server.server->tls_handshakes().failed[size_t(HandshakeFailure::kProtocol)] == 1;
  }));
  CHECK(server.handled == 1);
}
