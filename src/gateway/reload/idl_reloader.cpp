#include "gateway/reload/idl_reloader.hpp"

#include <set>

namespace opp::gateway::reload {
namespace {

namespace fs = std::filesystem;

// idl_dir, every directory below it, and the directory of every file the snapshot read
// or probed (includes may resolve outside idl_dir, or into a directory not there yet).
std::set<fs::path> directories_of(const fs::path& idl_dir, const catalog::Snapshot& snapshot) {
  std::set<fs::path> out{fs::absolute(idl_dir).lexically_normal()};
  std::error_code ec;
  for (fs::recursive_directory_iterator it(idl_dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code type_ec;
    if (it->is_directory(type_ec)) out.insert(fs::absolute(it->path()).lexically_normal());
  }
  for (const auto& [name, status] : snapshot.files) {
    for (const catalog::Input& input : status.inputs) {
      // The nearest existing ancestor, so a directory created later is noticed too.
      fs::path dir = fs::path(input.path).parent_path();
      while (!dir.empty() && !fs::is_directory(dir, ec) && dir != dir.parent_path())
        dir = dir.parent_path();
      if (!dir.empty()) out.insert(dir);
    }
  }
  return out;
}

}  // namespace

IdlReloader::IdlReloader(boost::asio::io_context& io, catalog::Catalog& catalog,
                         std::filesystem::path idl_dir, std::function<void(const std::string&)> log,
                         std::chrono::milliseconds quiet)
    : catalog_(catalog),
      idl_dir_(std::move(idl_dir)),
      log_(std::move(log)),
      watcher_(
          io, quiet, [this] { reload(); },
          [this](const std::filesystem::path& path, bool is_dir) {
            // IDL files, directories (includes may point into one created later) and
            // whatever the current snapshot read, whatever its name; not editor swap
            // files or logs.
            return is_dir || path.extension() == ".thrift" || inputs_.count(path.string());
          }) {}

Result<void> IdlReloader::start() {
  OPP_TRY(watcher_.start());
  if (auto snapshot = catalog_.current()) rewatch(*snapshot);
  return {};
}

void IdlReloader::stop() {
  watcher_.stop();
}

void IdlReloader::reload() {
  auto previous = catalog_.current();
  const auto started = std::chrono::steady_clock::now();
  auto snapshot = catalog_.rescan(idl_dir_);
  const auto took = std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::steady_clock::now() - started);
  stats_.reloads.fetch_add(1);
  stats_.last_duration_us.store(static_cast<uint64_t>(took.count()));
  bool failing = false;
  for (const auto& [file, status] : snapshot->files) {
    if (!status.last_error) continue;
    failing = true;
    // Log an error once, not on every rescan that finds it again.
    const catalog::FileStatus* before = nullptr;
    if (previous)
      if (auto it = previous->files.find(file); it != previous->files.end()) before = &it->second;
    if (!before || !before->last_error ||
        before->last_error->to_string() != status.last_error->to_string())
      log_("idl: " + status.last_error->to_string());
  }
  if (failing) stats_.failures.fetch_add(1);
  log_("idl: generation " + std::to_string(snapshot->generation) + " published in " +
       std::to_string(took.count() / 1000.0) + " ms (" + std::to_string(snapshot->files_loaded) +
       " files loaded, " + std::to_string(snapshot->files_reused) + " unchanged, " +
       std::to_string(snapshot->services.size()) + " services)");
  rewatch(*snapshot);
}

void IdlReloader::rewatch(const catalog::Snapshot& snapshot) {
  inputs_.clear();
  for (const auto& [name, status] : snapshot.files)
    for (const catalog::Input& input : status.inputs) inputs_.insert(input.path);
  watcher_.watch(directories_of(idl_dir_, snapshot));
}

}  // namespace opp::gateway::reload
