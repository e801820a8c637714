// One scan of idl_dir (SPEC §2): every *.thrift file directly in it, loaded with its
// includes, unless everything it read last time reads the same.
#include <algorithm>

#include "input_cache.hpp"
#include "opp/catalog/catalog.hpp"
#include "opp/idl/loader.hpp"

namespace opp::catalog {
namespace {

namespace fs = std::filesystem;

// The *.thrift files directly in idl_dir, sorted by name.
std::vector<fs::path> thrift_files(const fs::path& idl_dir) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (fs::directory_iterator it(idl_dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code type_ec;
    if (it->path().extension() == ".thrift" && it->is_regular_file(type_ec)) {
      out.push_back(it->path());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

idl::IdlError file_error(const fs::path& file, std::string message) {
  return idl::IdlError{idl::SourceLocation{file.string(), 1, 1}, std::move(message)};
}

// The files a load read besides the root, in the order it read them.
std::vector<std::string> included_files(const std::vector<Input>& inputs, const fs::path& root) {
  std::vector<std::string> out;
  for (const Input& input : inputs)
    if (!input.sha256.empty() && input.path != root.string()) out.push_back(input.path);
  return out;
}

class Scanner {
 public:
  Scanner(const fs::path& idl_dir, const Snapshot* previous)
      : idl_dir_(idl_dir), previous_(previous), snapshot_(std::make_shared<Snapshot>()) {
    snapshot_->generation = previous ? previous->generation + 1 : 1;
  }

  std::shared_ptr<const Snapshot> run() {
    for (const fs::path& path : thrift_files(idl_dir_)) scan_file(path);
    return snapshot_;
  }

 private:
  void scan_file(const fs::path& path) {
    const std::string file_name = path.filename().string();
    const std::string name = path.stem().string();
    const fs::path root = fs::absolute(path).lexically_normal();
    const FileStatus* before = previous_ ? find_status(*previous_, file_name) : nullptr;
    const std::shared_ptr<const ServiceEntry>* previous_entry = find_entry(name);
    const bool had_service = previous_entry != nullptr;

    if (before && cache_.unchanged(before->inputs)) {
      // Byte-identical inputs: the same outcome as last time, without parsing again.
      snapshot_->files[file_name] = *before;
      if (had_service) snapshot_->services[name] = *previous_entry;
      ++snapshot_->files_reused;
      return;
    }
    ++snapshot_->files_loaded;
    FileStatus status;
    status.file = path.string();
    status.loaded_at = std::chrono::system_clock::now();
    status.sha256 = cache_.read(root).sha256;

    idl::LoadOptions options;
    options.include_dirs.push_back(idl_dir_);
    options.reader = cache_.recording_reader(status.inputs);
    idl::LoadResult loaded = idl::load_idl_file(path, options);
    status.includes = included_files(status.inputs, root);

    std::shared_ptr<const ServiceEntry> entry;
    if (!loaded.errors.empty()) {
      status.last_error = loaded.errors.front();
    } else if (loaded.schema->root().services.empty()) {
      if (had_service)
        status.last_error = file_error(path, "no service defined any more (service '" + name +
                                                 "' keeps its previous version)");
    } else if (auto codec = codec::Codec::compile(loaded.schema); !codec) {
      status.last_error = file_error(path, codec.error().message);
    } else {
      const idl::ServiceDescriptor& service = *loaded.schema->root().services.back();
      entry = std::make_shared<const ServiceEntry>(name, path.string(), loaded.schema,
                                                   std::move(*codec), service);
    }
    if (entry)
      snapshot_->services[name] = std::move(entry);
    else if (status.last_error && had_service)
      snapshot_->services[name] = *previous_entry;
    snapshot_->files[file_name] = std::move(status);
  }

  const std::shared_ptr<const ServiceEntry>* find_entry(const std::string& name) const {
    if (!previous_) return nullptr;
    auto it = previous_->services.find(name);
    return it == previous_->services.end() ? nullptr : &it->second;
  }

  static const FileStatus* find_status(const Snapshot& snapshot, const std::string& file_name) {
    auto it = snapshot.files.find(file_name);
    return it == snapshot.files.end() ? nullptr : &it->second;
  }

  const fs::path& idl_dir_;
  const Snapshot* previous_;
  std::shared_ptr<Snapshot> snapshot_;
  InputCache cache_;
};

}  // namespace

std::shared_ptr<const Snapshot> scan(const fs::path& idl_dir, const Snapshot* previous) {
  return Scanner(idl_dir, previous).run();
}

}  // namespace opp::catalog
