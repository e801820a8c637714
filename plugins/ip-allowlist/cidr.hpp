#pragma once
// IP addresses and CIDR blocks for the allowlist. Both families live in one 128-bit space:
// an IPv4 address is kept as its IPv4-mapped IPv6 form (::ffff:a.b.c.d) and an IPv4 prefix
// /p as /(96 + p), so a client that reaches a dual-stack socket as ::ffff:1.2.3.4 matches the
// IPv4 rule 1.2.3.0/24 with no special case. Text is parsed by inet_pton, never by hand.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace opp::plugins::ip_allowlist {

/// An address in the 128-bit space (IPv4 as ::ffff:a.b.c.d), network byte order.
struct IpAddress {
  std::array<uint8_t, 16> bytes{};
  bool operator==(const IpAddress&) const = default;
};

/// A network: the addresses whose first `prefix` bits (0..128) equal `network`'s.
struct CidrBlock {
  IpAddress network;  ///< with every bit after `prefix` zero
  int prefix = 128;

  /// True when `address` is inside this block.
  bool contains(const IpAddress& address) const;
};

/// Parses a client address as the HTTP layer writes it ("192.0.2.7", "2001:db8::1",
/// "::ffff:192.0.2.7", "fe80::1%eth0": the zone is ignored, no rule can name one).
/// nullopt when it is not an address.
std::optional<IpAddress> parse_ip_address(std::string_view text);

/// Parses one rule: "10.0.0.0/8", "2001:db8::/32", or a bare address (= /32 or /128).
/// Refused, with the reason in the exception's text: an address inet_pton does not take,
/// a prefix that is not a whole number within 0..32 (IPv4) or 0..128 (IPv6), and host bits
/// set after the prefix ("10.0.0.1/8" is most likely a typo; the message names the network).
/// Throws ConfigError(`key`, reason).
CidrBlock parse_cidr(std::string_view text, const std::string& key);

}  // namespace opp::plugins::ip_allowlist
