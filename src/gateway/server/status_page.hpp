#pragma once
// GET /gateway/_status (SPEC §4): the catalog's generation and, per IDL file, its state,
// content hash, load time, includes and last error; reload counters.

#include <string>

#include "gateway/reload/idl_reloader.hpp"
#include "opp/catalog/snapshot.hpp"

namespace opp::gateway::server {

std::string render_status(const catalog::Snapshot& snapshot, const reload::ReloadStats* reloads);

}  // namespace opp::gateway::server
