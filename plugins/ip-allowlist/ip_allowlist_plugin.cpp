// The glue between the C hooks and the rule table.

#include <memory>
#include <string>

#include "common/plugin_support.hpp"
#include "common/shared_snapshot.hpp"
#include "ip-allowlist/allowlist.hpp"
#include "ip-allowlist/ip-allowlist.hpp"

namespace opp::plugins {
namespace {

using ip_allowlist::Allowlist;

class IpAllowlist {
 public:
  static constexpr const char* kName = "ip-allowlist";

  IpAllowlist(const opp_host* host, const YAML::Node& config)
      : host_(host), rules_(rules_from(config)) {}

  const opp_host* host() const { return host_; }

  // The new table is built in full before it replaces the old one: a hook sees one or the
  // other, never a mix, and a bad config leaves the old table in place.
  void reconfigure(const YAML::Node& config) { rules_.store(rules_from(config)); }

  opp_verdict on_call(opp_request* r) {
    const opp_str merchant = host_->merchant(r);
    if (!present(merchant)) return OPP_CONTINUE;  // unauthenticated calls never get here
    const std::string_view address = view(host_->client_address(r));
    const std::shared_ptr<const Allowlist> rules = rules_.load();
    if (rules->check(view(merchant), address) != Allowlist::Verdict::kDenied) return OPP_CONTINUE;
    const std::string message = "client address " + std::string(address.substr(0, 64)) +
                                " is not allowed for merchant " +
                                std::string(view(merchant).substr(0, 64));
    host_->reject(r, 10002, "ip-not-allowed", message.c_str());
    return OPP_STOP;
  }

 private:
  static std::shared_ptr<const Allowlist> rules_from(const YAML::Node& config) {
    return std::make_shared<const Allowlist>(Allowlist::from_config(config));
  }

  const opp_host* host_;
  SharedSnapshot<Allowlist> rules_;
};

}  // namespace

const opp_plugin* ip_allowlist_plugin() {
  using Adapter = PluginAdapter<IpAllowlist>;
  static const opp_plugin plugin{OPP_PLUGIN_ABI_VERSION,
                                 IpAllowlist::kName,
                                 OPP_VERSION,
                                 Adapter::create,
                                 Adapter::reconfigure,
                                 Adapter::destroy,
                                 nullptr,
                                 Adapter::on_call,
                                 nullptr};
  return &plugin;
}

}  // namespace opp::plugins
