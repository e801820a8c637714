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
    bool tls = false;
    const char* origin = "";
  };
  const Case cases[] = {
      {"https://Shop.Example/n", "Shop.Example", 443, "/n", "Shop.Example", true,
       "https://shop.example:443"},
      {"HTTPS://shop.example:8443", "shop.example", 8443, "/", "shop.example:8443", true,
       "https://shop.example:8443"},
      {"https://[::1]:443/n", "::1", 443, "/n", "[::1]", true, "https://::1:443"},
      {"https://127.0.0.1:80/n", "127.0.0.1", 80, "/n", "127.0.0.1:80", true,
       "https://127.0.0.1:80"},
      {"http://127.0.0.1:8080/notify?x=1", "127.0.0.1", 8080, "/notify?x=1", "127.0.0.1:8080"},
      {"http://localhost/cb", "localhost", 80, "/cb", "localhost"},
      {"HTTP://Example.com", "Example.com", 80, "/", "Example.com"},
      {"http://shop.example?order=1", "shop.example", 80, "/?order=1", "shop.example"},
      {"http://h:81/a#frag", "h", 81, "/a", "h:81"},
      {"http://[::1]:9000/n", "::1", 9000, "/n", "[::1]:9000"},
      {"http://[::1]/n", "::1", 80, "/n", "[::1]", false, "http://::1:80"},
  };
  for (const Case& c : cases) {
    INFO(c.url);
    auto url = parse_notify_url(c.url);
    REQUIRE(url.ok());
    CHECK(url->host == c.host);
    CHECK(url->port == c.port);
    CHECK(url->target == c.target);
    CHECK(url->host_header() == c.host_header);
    CHECK(url->tls == c.tls);
    if (*c.origin != '\0') CHECK(url->origin() == c.origin);
  }
}

TEST_CASE("unusable notify URLs are invalid-notify-url", "[notify][url]") {
  struct Case {
    const char* url;
    const char* message;
  };
  const Case cases[] = {
      {"ftp://shop.example/n", "notify_url must start with http:// or https://"},
      {"shop.example/n", "notify_url must start with http:// or https://"},
      {"", "notify_url must start with http:// or https://"},
      {"https:///n", "notify_url has no host"},
      {"https://h:0/n", "notify_url has an invalid port"},
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
