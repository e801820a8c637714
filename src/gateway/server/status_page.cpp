#include "gateway/server/status_page.hpp"

#include <ctime>

#include "opp/codec/json_text.hpp"

namespace opp::gateway::server {
namespace {

std::string rfc3339(std::chrono::system_clock::time_point t) {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
  std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char text[40];
  size_t n = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &tm);
  std::snprintf(text + n, sizeof text - n, ".%03dZ", int(ms % 1000));
  return text;
}

void key(std::string& out, const char* name) {
  out += '"';
  out += name;
  out += "\":";
}

}  // namespace

std::string render_status(const catalog::Snapshot& snapshot, const reload::ReloadStats* reloads) {
  std::string out = "{";
  key(out, "generation");
  out += std::to_string(snapshot.generation);
  out += ',';
  key(out, "services");
  out += '[';
  bool first = true;
  for (const auto& [name, entry] : snapshot.services) {
    if (!first) out += ',';
    first = false;
    codec::append_json_string(out, name);
  }
  out += "],";
  key(out, "files");
  out += '[';
  first = true;
  for (const auto& [file_name, status] : snapshot.files) {
    if (!first) out += ',';
    first = false;
    const std::string stem = file_name.substr(0, file_name.rfind('.'));
    const bool serving = snapshot.find_service(stem) != nullptr;
    out += '{';
    key(out, "file");
    codec::append_json_string(out, file_name);
    out += ',';
    key(out, "state");
    out += status.last_error ? "\"error\"" : serving ? "\"loaded\"" : "\"include-only\"";
    out += ',';
    key(out, "service");
    if (serving)
      codec::append_json_string(out, stem);
    else
      out += "null";
    out += ',';
    key(out, "sha256");
    codec::append_json_string(out, status.sha256);
    out += ',';
    key(out, "loaded_at");
    codec::append_json_string(out, rfc3339(status.loaded_at));
    out += ',';
    key(out, "includes");
    out += '[';
    for (size_t i = 0; i < status.includes.size(); ++i) {
      if (i) out += ',';
      codec::append_json_string(out, status.includes[i]);
    }
    out += "],";
    key(out, "last_error");
    if (status.last_error)
      codec::append_json_string(out, status.last_error->to_string());
    else
      out += "null";
    out += '}';
  }
  out += ']';
  if (reloads) {
    out += ",\"reloads\":" + std::to_string(reloads->reloads.load());
    out += ",\"reload_failures\":" + std::to_string(reloads->failures.load());
    out += ",\"last_reload_ms\":" + std::to_string(reloads->last_duration_us.load() / 1000.0);
  }
  out += '}';
  return out;
}

}  // namespace opp::gateway::server
