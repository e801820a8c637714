#include "gateway/plugins/plugin_loader.hpp"

#include <dlfcn.h>

#include "gateway/plugins/builtin_plugins.hpp"

namespace opp::gateway::plugins {
namespace {

struct Resolved {
  std::shared_ptr<void> library;  // null for a built-in
  const opp_plugin* table = nullptr;
};

Error load_error(const std::string& where, const std::string& message) {
  return Error{ErrorCode::kServerHandleFail, "plugin-load", where + ": " + message, ""};
}

std::string where_of(size_t index, const config::PluginEntry& entry) {
  return "plugins[" + std::to_string(index) + "] (" +
         (entry.name.empty() ? entry.path.string() : entry.name) + ")";
}

// The ABI version is the table's first member: readable whatever else changed.
Result<void> check_table(const opp_plugin* table, const std::string& where) {
  if (!table) return load_error(where, "opp_plugin_entry() returned no plugin");
  if (table->abi_version != OPP_PLUGIN_ABI_VERSION)
    return load_error(where, "built for plugin ABI version " + std::to_string(table->abi_version) +
                                 ", this gateway speaks version " +
                                 std::to_string(OPP_PLUGIN_ABI_VERSION) +
                                 "; rebuild it against this gateway's opp/plugin.h");
  if (!table->create || !table->destroy)
    return load_error(where, "the plugin has no create() or destroy()");
  return {};
}

Result<Resolved> resolve(size_t index, const config::PluginEntry& entry) {
  const std::string where = where_of(index, entry);
  Resolved resolved;
  if (!entry.name.empty()) {
    resolved.table = find_builtin(entry.name);
    if (!resolved.table)
      return load_error(where, "no built-in plugin of that name (built in: " + builtin_names() +
                                   "); a .so is loaded with path:");
  } else {
    // RTLD_LOCAL: two plugins may define the same symbols without clashing.
    void* handle = dlopen(entry.path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
      const char* why = dlerror();
      return load_error(where, std::string("cannot load: ") + (why ? why : "dlopen failed"));
    }
    resolved.library = std::shared_ptr<void>(handle, [](void* h) { dlclose(h); });
    void* symbol = dlsym(handle, OPP_PLUGIN_ENTRY_SYMBOL);
    if (!symbol)
      return load_error(where, "exports no " OPP_PLUGIN_ENTRY_SYMBOL "(); is it an opp plugin?");
    resolved.table = reinterpret_cast<opp_plugin_entry_fn>(symbol)();
  }
  OPP_TRY(check_table(resolved.table, where));
  return resolved;
}

Result<std::shared_ptr<PluginInstance>> create(size_t index, const config::PluginEntry& entry,
                                               const Resolved& resolved) {
  char text[512] = {};
  opp_error_buffer error{text, sizeof text};
  void* instance = resolved.table->create(host_table(), entry.config_yaml.data(),
                                          entry.config_yaml.size(), &error);
  if (!instance)
    return Error{ErrorCode::kServerHandleFail, "plugin-config",
                 where_of(index, entry) + ": " + (text[0] ? text : "create() failed"), ""};
  return std::make_shared<PluginInstance>(resolved.library, resolved.table, instance);
}

bool same_plugin(const config::PluginEntry& a, const config::PluginEntry& b) {
  return a.name == b.name && a.path == b.path && a.svc == b.svc;
}

// The previous chain's entry for the same plugin and scope, each used at most once.
const LoadedPlugin* match(const PluginChain* previous, const config::PluginEntry& entry,
                          std::vector<bool>& taken) {
  if (!previous) return nullptr;
  for (size_t i = 0; i < previous->plugins().size(); ++i) {
    if (!taken[i] && same_plugin(previous->plugins()[i]->entry(), entry)) {
      taken[i] = true;
      return previous->plugins()[i].get();
    }
  }
  return nullptr;
}

}  // namespace

Result<std::shared_ptr<const PluginChain>> load_plugin_chain(
    const std::vector<config::PluginEntry>& entries, const PluginChain* previous) {
  std::vector<bool> taken(previous ? previous->plugins().size() : 0, false);
  std::vector<std::shared_ptr<LoadedPlugin>> chain;
  // Live instances to reconfigure once every entry proved valid (phase two).
  std::vector<std::pair<size_t, const LoadedPlugin*>> to_reconfigure;

  for (size_t i = 0; i < entries.size(); ++i) {
    const config::PluginEntry& entry = entries[i];
    const LoadedPlugin* old = match(previous, entry, taken);
    if (old && old->entry().config_yaml == entry.config_yaml) {
      chain.push_back(std::make_shared<LoadedPlugin>(old->shared_instance(), entry));
      continue;
    }
    OPP_TRY_ASSIGN(Resolved resolved, resolve(i, entry));
    // A fresh instance validates the config; it is kept unless the live one takes it.
    OPP_TRY_ASSIGN(std::shared_ptr<PluginInstance> fresh, create(i, entry, resolved));
    if (old && old->table().reconfigure) to_reconfigure.emplace_back(chain.size(), old);
    chain.push_back(std::make_shared<LoadedPlugin>(std::move(fresh), entry));
  }

  for (const auto& [position, old] : to_reconfigure) {
    const config::PluginEntry& entry = chain[position]->entry();
    char text[512] = {};
    opp_error_buffer error{text, sizeof text};
    if (old->table().reconfigure(old->instance(), entry.config_yaml.data(),
                                 entry.config_yaml.size(), &error) == 0)
      chain[position] = std::make_shared<LoadedPlugin>(old->shared_instance(), entry);
    // else: the fresh instance (already validated) serves instead, without the old state.
  }
  return std::shared_ptr<const PluginChain>(std::make_shared<PluginChain>(std::move(chain)));
}

}  // namespace opp::gateway::plugins
