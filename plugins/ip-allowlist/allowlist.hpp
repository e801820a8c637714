#pragma once
// The ip-allowlist plugin's rules (SPEC §9 `merchants: {ID: [CIDR, ...]}`): built once from
// the config, then only read, by every io thread at once, so it needs no lock.

#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "ip-allowlist/cidr.hpp"

namespace opp::plugins::ip_allowlist {

class Allowlist {
 public:
  enum class Verdict {
    kUnlisted,  ///< the merchant has no rules: it may call from anywhere
    kAllowed,   ///< the address is inside one of the merchant's blocks
    kDenied     ///< it is not (or the client address could not be read)
  };

  /// Reads `config` (keys: `merchants`). Throws ConfigError naming the key: an unknown key,
  /// merchants missing or not a mapping, a merchant id that is empty or listed twice, a
  /// value that is not a list, a rule that parse_cidr refuses ("merchants.M1[2]: ...").
  /// An empty list is allowed and denies every address.
  static Allowlist from_config(const YAML::Node& config);

  /// Whether `merchant` may call from `client_address` (as the HTTP layer writes it).
  Verdict check(std::string_view merchant, std::string_view client_address) const;

  /// Merchants with rules.
  size_t size() const { return rules_.size(); }

 private:
  struct Hash {
    using is_transparent = void;  // find() by string_view: no copy of the merchant id
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, std::vector<CidrBlock>, Hash, std::equal_to<>> rules_;
};

}  // namespace opp::plugins::ip_allowlist
