#include "payment/infrastructure/notify/notify_url.hpp"

#include <catch2/catch.hpp>

using opp::payment::parse_notify_url;

TEST_CASE("notify URLs split into host, port and target", "[notify][url]") {
  struct Case {
    const char* url;
    const char* host;
    uint16_t port;
    const char* target;
    const char* host_header;
  };
  const Case cases[] = {
      {"http://127.0.0.1:8080/notify?x=1", "127.0.0.1", 8080, "/notify?x=1", "127.0.0.1:8080"},
      {"http://localhost/cb", "localhost", 80, "/cb", "localhost"},
      {"HTTP://Example.com", "Example.com", 80, "/", "Example.com"},
      {"http://shop.example?order=1", "shop.example", 80, "/?order=1", "shop.example"},
      {"http://h:81/a#frag", "h", 81, "/a", "h:81"},
      {"http://[::1]:9000/n", "::1", 9000, "/n", "[::1]:9000"},
      {"http://[::1]/n", "::1", 80, "/n", "[::1]"},
  };
  for (const Case& c : cases) {
    INFO(c.url);
    auto url = parse_notify_url(c.url);
    REQUIRE(url.ok());
    CHECK(url->host == c.host);
    CHECK(url->port == c.port);
    CHECK(url->target == c.target);
    CHECK(url->host_header() == c.host_header);
  }
}

TEST_CASE("unusable notify URLs are invalid-notify-url", "[notify][url]") {
  struct Case {
    const char* url;
    const char* message;
  };
  const Case cases[] = {
      {"https://shop.example/n",
       "notify_url uses https://, which is unsupported: only http:// is delivered"},
      {"ftp://shop.example/n", "notify_url must start with http://"},
      {"shop.example/n", "notify_url must start with http://"},
      {"", "notify_url must start with http://"},
      {"http:///n", "notify_url has no host"},
      {"http://:80/n", "notify_url has no host"},
      {"http://h:/n", "notify_url has an empty port"},
      {"http://h:0/n", "notify_url has an invalid port"},
      {"http://h:65536/n", "notify_url has an invalid port"},
      {"http://h:8x/n", "notify_url has an invalid port"},
      {"http://user:pw@h/n", "notify_url must not carry user info"},
      {"http://[::1/n", "notify_url has an unclosed IPv6 host"},
      {"http://[::1]x/n", "notify_url has a malformed host"},
      {"http://h/n\r\nX-Injected: 1", "notify_url must be printable ASCII without spaces"},
      {"http://h/a b", "notify_url must be printable ASCII without spaces"},
  };
  for (const Case& c : cases) {
    INFO(c.url);
    auto url = parse_notify_url(c.url);
    REQUIRE_FALSE(url.ok());
    CHECK(url.error().code == opp::ErrorCode::kBadRequest);
    CHECK(url.error().sub_code == "invalid-notify-url");
    CHECK(url.error().message == c.message);
  }
}
