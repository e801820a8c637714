#pragma once
// The gateway's descriptor registry (SPEC §2): one immutable snapshot per generation,
// swapped atomically, so readers never lock and requests in flight keep the snapshot
// they started with.

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "opp/idl/descriptor.hpp"

namespace opp::idl {

/// A `*.thrift` file of idl_dir that defines a service: a gateway service named by its stem.
struct GatewayService {
  std::string name;  ///< file stem: `payment.thrift` → "payment"
  std::string file;
  std::shared_ptr<const Schema> schema;
  const ServiceDescriptor* service = nullptr;        ///< the last service of the file
  std::vector<const FunctionDescriptor*> functions;  ///< including inherited ones

  /// SPEC §3.1: a route segment wins over a function name; case-sensitive; O(1).
  const FunctionDescriptor* find_method(std::string_view method) const;

  /// Hashes std::string and std::string_view alike, so find_method() looks up a
  /// request's method without copying it into a std::string.
  struct TransparentHash {
    using is_transparent = void;
    size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
  };
  using FunctionIndex =
      std::unordered_map<std::string, const FunctionDescriptor*, TransparentHash, std::equal_to<>>;

  // Indexes of `functions` for find_method(); filled when the service is built.
  FunctionIndex by_route_;
  FunctionIndex by_name_;
};

/// What the registry knows of one file of idl_dir.
struct FileStatus {
  std::string file;
  std::string sha256;  ///< hex of the content last read
  std::chrono::system_clock::time_point loaded_at;
  std::optional<IdlError> last_error;  ///< set while the file fails to load
};

/// Everything the gateway knows of idl_dir after one scan; immutable once published.
class RegistrySnapshot {
 public:
  uint64_t generation = 0;
  std::map<std::string, std::shared_ptr<const GatewayService>, std::less<>> services;
  std::map<std::string, FileStatus, std::less<>> files;

  /// The service named by a file stem ("payment"), or nullptr.
  const GatewayService* find_service(std::string_view name) const;
};

/// Scans `idl_dir` (SPEC §2). A service whose file fails keeps its entry from `previous`
/// (or stays absent), with the error recorded in `files`; every other service updates.
std::shared_ptr<const RegistrySnapshot> build_registry(const std::filesystem::path& idl_dir,
                                                       const RegistrySnapshot* previous = nullptr);

/// Holder of the current snapshot.
class Registry {
 public:
  /// The latest published snapshot (null before the first); the caller's copy stays valid
  /// however many snapshots are published after it.
  std::shared_ptr<const RegistrySnapshot> current() const;
  /// Makes `snapshot` the one current() returns, atomically for concurrent readers.
  void publish(std::shared_ptr<const RegistrySnapshot> snapshot);

 private:
  std::shared_ptr<const RegistrySnapshot> current_;  // accessed with std::atomic_load/store
};

}  // namespace opp::idl
