#include "ip-allowlist/allowlist.hpp"

#include <algorithm>

#include "common/plugin_support.hpp"

namespace opp::plugins::ip_allowlist {

Allowlist Allowlist::from_config(const YAML::Node& config) {
  const ConfigSection top(config, "", {"merchants"});
  if (!top.has("merchants")) throw ConfigError("merchants", "required");
  const YAML::Node merchants = top.get("merchants");
  if (!merchants.IsMap()) throw ConfigError("merchants", "expected a mapping of merchant ids");

  Allowlist list;
  for (const auto& entry : merchants) {
    if (!entry.first.IsScalar()) throw ConfigError("merchants", "expected merchant ids as keys");
    const std::string id = entry.first.as<std::string>();
    if (id.empty()) throw ConfigError("merchants", "a merchant id is empty");
    const std::string key = "merchants." + id;
    const YAML::Node& cidrs = entry.second;
    if (!cidrs.IsSequence()) throw ConfigError(key, "expected a list of CIDRs");
    std::vector<CidrBlock> blocks;
    blocks.reserve(cidrs.size());
    for (size_t i = 0; i < cidrs.size(); ++i) {
      const std::string item = key + "[" + std::to_string(i) + "]";
      if (!cidrs[i].IsScalar()) throw ConfigError(item, "expected a string");
      blocks.push_back(parse_cidr(cidrs[i].as<std::string>(), item));
    }
    // yaml-cpp keeps both of two equal keys; which one the author meant is unknowable.
    if (!list.rules_.emplace(id, std::move(blocks)).second) throw ConfigError(key, "listed twice");
  }
  return list;
}

Allowlist::Verdict Allowlist::check(std::string_view merchant,
                                    std::string_view client_address) const {
  const auto found = rules_.find(merchant);
  if (found == rules_.end()) return Verdict::kUnlisted;
  // Fail closed: a listed merchant is let through only from an address known to be inside.
  const std::optional<IpAddress> address = parse_ip_address(client_address);
  if (!address) return Verdict::kDenied;
  const auto& blocks = found->second;
  return std::any_of(blocks.begin(), blocks.end(),
                     [&](const CidrBlock& block) { return block.contains(*address); })
             ? Verdict::kAllowed
             : Verdict::kDenied;
}

}  // namespace opp::plugins::ip_allowlist
