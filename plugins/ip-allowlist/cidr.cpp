#include "ip-allowlist/cidr.hpp"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>

#include "common/plugin_support.hpp"

namespace opp::plugins::ip_allowlist {
namespace {

constexpr int kMappedPrefix = 96;  // ::ffff:0:0/96 holds the IPv4 addresses

// inet_pton wants a NUL-terminated string; the longest IPv6 text is 45 characters.
template <class F>
bool with_c_string(std::string_view text, F&& f) {
  char buffer[INET6_ADDRSTRLEN + 1];
  if (text.empty() || text.size() >= sizeof buffer) return false;
  std::memcpy(buffer, text.data(), text.size());
  buffer[text.size()] = '\0';
  return f(static_cast<const char*>(buffer));
}

// The address and whether it was written as IPv4.
std::optional<std::pair<IpAddress, bool>> parse_either(std::string_view text) {
  IpAddress address;
  const bool v4 = text.find(':') == std::string_view::npos;
  const bool ok = with_c_string(text, [&](const char* s) {
    if (!v4) return inet_pton(AF_INET6, s, address.bytes.data()) == 1;
    address.bytes[10] = 0xff;
    address.bytes[11] = 0xff;
    return inet_pton(AF_INET, s, address.bytes.data() + 12) == 1;
  });
  if (!ok) return std::nullopt;
  return std::pair{address, v4};
}

IpAddress masked(IpAddress address, int prefix) {
  for (int bit = prefix; bit < 128; ++bit)
    address.bytes[bit / 8] &= static_cast<uint8_t>(~(0x80u >> (bit % 8)));
  return address;
}

std::string text_of(const IpAddress& address, bool v4) {
  char text[INET6_ADDRSTRLEN];
  if (v4) return inet_ntop(AF_INET, address.bytes.data() + 12, text, sizeof text);
  return inet_ntop(AF_INET6, address.bytes.data(), text, sizeof text);
}

}  // namespace

bool CidrBlock::contains(const IpAddress& address) const {
  const int whole = prefix / 8;
  if (std::memcmp(address.bytes.data(), network.bytes.data(), whole) != 0) return false;
  const int rest = prefix % 8;
  if (rest == 0) return true;
  const auto mask = static_cast<uint8_t>(0xff00u >> rest);
  return (address.bytes[whole] & mask) == network.bytes[whole];
}

std::optional<IpAddress> parse_ip_address(std::string_view text) {
  text = text.substr(0, text.find('%'));
  auto parsed = parse_either(text);
  if (!parsed) return std::nullopt;
  return parsed->first;
}

CidrBlock parse_cidr(std::string_view text, const std::string& key) {
  const size_t slash = text.find('/');
  const std::string_view address_text = text.substr(0, slash);
  auto parsed = parse_either(address_text);
  if (!parsed)
    throw ConfigError(key, "\"" + std::string(address_text) + "\" is not an IPv4 or IPv6 address");
  const auto& [address, v4] = *parsed;
  const int family_bits = v4 ? 32 : 128;

  int prefix = family_bits;
  if (slash != std::string_view::npos) {
    const std::string_view digits = text.substr(slash + 1);
    const char* end = digits.data() + digits.size();
    const auto [stop, error] = std::from_chars(digits.data(), end, prefix);
    if (digits.empty() || error != std::errc() || stop != end)
      throw ConfigError(key, "expected a prefix length after '/' in \"" + std::string(text) + "\"");
    if (prefix < 0 || prefix > family_bits)
      throw ConfigError(key, "prefix /" + std::string(digits) + " is out of range for " +
                                 (v4 ? "IPv4 (0-32)" : "IPv6 (0-128)"));
  }

  CidrBlock block;
  block.prefix = v4 ? kMappedPrefix + prefix : prefix;
  block.network = masked(address, block.prefix);
  if (!(block.network == address))
    throw ConfigError(key, std::string(text) +
                               " has host bits set after the prefix; the network is " +
                               text_of(block.network, v4) + "/" + std::to_string(prefix));
  return block;
}

}  // namespace opp::plugins::ip_allowlist
