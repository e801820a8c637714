// Addresses and CIDR blocks of the ip-allowlist plugin, both families in one space.

#include "ip-allowlist/cidr.hpp"

#include <catch2/catch.hpp>

#include "common/plugin_support.hpp"

using namespace opp::plugins::ip_allowlist;

namespace {

IpAddress address(const char* text) {
  const auto parsed = parse_ip_address(text);
  INFO(text);
  REQUIRE(parsed);
  return *parsed;
}

bool in(const char* cidr, const char* text) {
  return parse_cidr(cidr, "rule").contains(address(text));
}

std::string refusal(const char* cidr) {
  try {
    parse_cidr(cidr, "merchants.M1[0]");
  } catch (const opp::plugins::ConfigError& e) {
    return e.what();
  }
  return "accepted";
}

}  // namespace

TEST_CASE("an IPv4 address and its IPv4-mapped IPv6 form are one address", "[ip-allowlist][cidr]") {
  const IpAddress v4 = address("192.0.2.7");
  CHECK(v4 == address("::ffff:192.0.2.7"));
  CHECK(v4 == address("::FFFF:c000:0207"));
  CHECK_FALSE(v4 == address("::192.0.2.7"));  // IPv4-compatible is another address
  CHECK(v4.bytes[10] == 0xff);
  CHECK(v4.bytes[15] == 7);
  CHECK(address("2001:db8::1").bytes[0] == 0x20);
}

TEST_CASE("client addresses: the zone is ignored, anything else must be an address",
          "[ip-allowlist][cidr]") {
  CHECK(address("fe80::1%eth0") == address("fe80::1"));
  CHECK_FALSE(parse_ip_address(""));
  CHECK_FALSE(parse_ip_address("localhost"));
  CHECK_FALSE(parse_ip_address("192.0.2.7:8080"));
  CHECK_FALSE(parse_ip_address("1.2.3"));
  CHECK_FALSE(parse_ip_address("010.0.0.1"));
  CHECK_FALSE(parse_ip_address(std::string(100, '1')));
}

TEST_CASE("IPv4 blocks contain exactly their addresses", "[ip-allowlist][cidr]") {
  CHECK(in("10.0.0.0/8", "10.255.255.255"));
  CHECK_FALSE(in("10.0.0.0/8", "11.0.0.0"));
  CHECK_FALSE(in("10.0.0.0/8", "9.255.255.255"));
  CHECK(in("192.168.4.0/22", "192.168.7.200"));
  CHECK_FALSE(in("192.168.4.0/22", "192.168.8.0"));
  CHECK(in("10.0.0.0/31", "10.0.0.1"));
  CHECK_FALSE(in("10.0.0.0/31", "10.0.0.2"));
  CHECK(in("10.0.0.128/25", "10.0.0.255"));
  CHECK_FALSE(in("10.0.0.128/25", "10.0.0.127"));
  CHECK(in("203.0.113.9", "203.0.113.9"));  // a bare address is /32
  CHECK_FALSE(in("203.0.113.9", "203.0.113.8"));
  CHECK(in("0.0.0.0/0", "255.255.255.255"));
  CHECK(in("10.0.0.0/8", "::ffff:10.1.2.3"));  // a dual-stack socket's view of it
}

TEST_CASE("IPv6 blocks contain exactly their addresses", "[ip-allowlist][cidr]") {
  CHECK(in("2001:db8::/32", "2001:db8:ffff::1"));
  CHECK_FALSE(in("2001:db8::/32", "2001:db9::"));
  CHECK(in("2001:db8:0:8000::/49", "2001:db8:0:ffff::1"));
  CHECK_FALSE(in("2001:db8:0:8000::/49", "2001:db8:0:7fff::1"));
  CHECK(in("::1", "::1"));  // a bare address is /128
  CHECK_FALSE(in("::1", "::2"));
  CHECK(in("::1/128", "::1"));
  CHECK(in("fe80::/10", "febf::1"));
  CHECK_FALSE(in("fe80::/10", "fec0::1"));
  CHECK(in("::ffff:192.0.2.0/120", "192.0.2.9"));  // an IPv4-mapped rule holds IPv4 clients
}

TEST_CASE("/0 of each family: 0.0.0.0/0 is every IPv4 address, ::/0 every address",
          "[ip-allowlist][cidr]") {
  CHECK(in("0.0.0.0/0", "192.0.2.1"));
  CHECK_FALSE(in("0.0.0.0/0", "2001:db8::1"));
  CHECK(in("::/0", "2001:db8::1"));
  CHECK(in("::/0", "192.0.2.1"));
}

TEST_CASE("bad CIDRs are refused with the key and the reason", "[ip-allowlist][cidr]") {
  CHECK(refusal("10.0.0.300/8") ==
        "merchants.M1[0]: \"10.0.0.300\" is not an IPv4 or IPv6 address");
  CHECK(refusal("") == "merchants.M1[0]: \"\" is not an IPv4 or IPv6 address");
  CHECK(refusal("/8") == "merchants.M1[0]: \"\" is not an IPv4 or IPv6 address");
  CHECK(refusal("fe80::1%eth0") ==
        "merchants.M1[0]: \"fe80::1%eth0\" is not an IPv4 or IPv6 address");
  CHECK(refusal("example.com/24") ==
        "merchants.M1[0]: \"example.com\" is not an IPv4 or IPv6 address");
  CHECK(refusal("10.0.0.0/33") == "merchants.M1[0]: prefix /33 is out of range for IPv4 (0-32)");
  CHECK(refusal("10.0.0.0/-1") == "merchants.M1[0]: prefix /-1 is out of range for IPv4 (0-32)");
  CHECK(refusal("::/129") == "merchants.M1[0]: prefix /129 is out of range for IPv6 (0-128)");
  CHECK(refusal("10.0.0.0/") ==
        "merchants.M1[0]: expected a prefix length after '/' in \"10.0.0.0/\"");
  CHECK(refusal("10.0.0.0/x") ==
        "merchants.M1[0]: expected a prefix length after '/' in \"10.0.0.0/x\"");
  CHECK(refusal("10.0.0.0/8/9") ==
        "merchants.M1[0]: expected a prefix length after '/' in \"10.0.0.0/8/9\"");
  CHECK(refusal("10.0.0.0/ 8") ==
        "merchants.M1[0]: expected a prefix length after '/' in \"10.0.0.0/ 8\"");
  CHECK(
      refusal("10.0.0.1/8") ==
      "merchants.M1[0]: 10.0.0.1/8 has host bits set after the prefix; the network is 10.0.0.0/8");
  CHECK(refusal("2001:db8::1/32") ==
        "merchants.M1[0]: 2001:db8::1/32 has host bits set after the prefix; the network is "
        "2001:db8::/32");
  CHECK(refusal("10.0.0.0/8") == "accepted");
}
