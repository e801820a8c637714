// The gateway's registry of services (SPEC §2): one snapshot per scan of idl_dir.
#include "opp/idl/registry.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <atomic>

#include "file_text.hpp"
#include "opp/idl/loader.hpp"

namespace opp::idl {
namespace {

namespace fs = std::filesystem;

std::string sha256_hex(const std::string& data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr) != 1) return "";
  static const char* const kHex = "0123456789abcdef";
  std::string out;
  out.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 0xf];
  }
  return out;
}

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

std::shared_ptr<const GatewayService> make_service(const std::string& name, const fs::path& file,
                                                   std::shared_ptr<const Schema> schema) {
  auto service = std::make_shared<GatewayService>();
  service->name = name;
  service->file = file.string();
  service->service = schema->root().services.back().get();
  service->functions = service->service->all_functions();
  for (const FunctionDescriptor* fn : service->functions) {
    if (!fn->route_segment.empty()) service->by_route_.emplace(fn->route_segment, fn);
    service->by_name_.emplace(fn->name, fn);
  }
  service->schema = std::move(schema);
  return service;
}

}  // namespace

const FunctionDescriptor* GatewayService::find_method(std::string_view method) const {
  if (auto it = by_route_.find(method); it != by_route_.end()) return it->second;
  if (auto it = by_name_.find(method); it != by_name_.end()) return it->second;
  return nullptr;
}

const GatewayService* RegistrySnapshot::find_service(std::string_view name) const {
  auto it = services.find(name);
  return it == services.end() ? nullptr : it->second.get();
}

std::shared_ptr<const RegistrySnapshot> build_registry(const fs::path& idl_dir,
                                                       const RegistrySnapshot* previous) {
  auto snapshot = std::make_shared<RegistrySnapshot>();
  snapshot->generation = previous ? previous->generation + 1 : 1;
  LoadOptions options;
  options.include_dirs.push_back(idl_dir);
  for (const fs::path& path : thrift_files(idl_dir)) {
    const std::string name = path.stem().string();
    FileStatus status;
    status.file = path.string();
    status.loaded_at = std::chrono::system_clock::now();
    std::optional<std::string> text = read_text_file(path);
    if (text) status.sha256 = sha256_hex(*text);
    // Parse the same bytes that were hashed, even if the file changes meanwhile.
    const fs::path root = fs::absolute(path).lexically_normal();
    LoadOptions file_options = options;
    file_options.reader = [&](const fs::path& p) -> std::optional<std::string> {
      if (p == root) return text;
      return read_text_file(p);
    };
    LoadResult loaded = load_idl_file(path, file_options);
    const GatewayService* before = previous ? previous->find_service(name) : nullptr;
    if (!loaded.errors.empty()) {
      status.last_error = loaded.errors.front();
    } else if (!loaded.schema->root().services.empty()) {
      snapshot->services[name] = make_service(name, path, loaded.schema);
    } else if (before) {
      status.last_error =
          IdlError{SourceLocation{path.string(), 1, 1}, "no service defined any more (service '" +
                                                            name + "' keeps its previous version)"};
    }
    if (status.last_error && before) snapshot->services[name] = previous->services.at(name);
    snapshot->files[path.filename().string()] = std::move(status);
  }
  return snapshot;
}

std::shared_ptr<const RegistrySnapshot> Registry::current() const {
  return std::atomic_load(&current_);
}

void Registry::publish(std::shared_ptr<const RegistrySnapshot> snapshot) {
  std::atomic_store(&current_, std::move(snapshot));
}

}  // namespace opp::idl
