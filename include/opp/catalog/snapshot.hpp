#pragma once
// The gateway's service catalog (SPEC §2): what one scan of idl_dir found, as an immutable
// snapshot. Each service entry holds its descriptors *and* its compiled Codec, and is
// shared between snapshots for as long as the bytes it was built from are unchanged, so a
// reload costs only what changed and requests in flight keep the entry they started with.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "opp/codec/codec.hpp"
#include "opp/idl/descriptor.hpp"

namespace opp::catalog {

/// A path the loader looked at while building an entry, and what it found there: the
/// SHA-256 (hex) of the bytes, or "" when nothing could be read. An entry is reused while
/// every one of its inputs reads the same, which also notices an include that would now
/// resolve to a different file.
struct Input {
  std::string path;
  std::string sha256;
  bool operator==(const Input&) const = default;
};

/// One gateway service: a `*.thrift` file of idl_dir that defines a service, named by its
/// stem (`payment.thrift` → "payment"). Immutable once built.
class ServiceEntry {
 public:
  /// Indexes `functions` for find_method(). `service` must belong to `schema`.
  ServiceEntry(std::string name, std::string file, std::shared_ptr<const idl::Schema> schema,
               std::shared_ptr<const codec::Codec> codec, const idl::ServiceDescriptor& service);

  const std::string& name() const { return name_; }
  const std::string& file() const { return file_; }
  const idl::Schema& schema() const { return *schema_; }
  const codec::Codec& codec() const { return *codec_; }
  /// The last service of the file.
  const idl::ServiceDescriptor& service() const { return *service_; }
  /// Its functions, inherited ones first (through `extends`).
  const std::vector<const idl::FunctionDescriptor*>& functions() const { return functions_; }

  /// SPEC §3.1: a route segment wins over a function name; case-sensitive; O(1), no copy
  /// of `method`.
  const idl::FunctionDescriptor* find_method(std::string_view method) const;

 private:
  struct TransparentHash {
    using is_transparent = void;
    size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
  };
  using FunctionIndex = std::unordered_map<std::string, const idl::FunctionDescriptor*,
                                           TransparentHash, std::equal_to<>>;

  std::string name_;
  std::string file_;
  std::shared_ptr<const idl::Schema> schema_;
  std::shared_ptr<const codec::Codec> codec_;
  const idl::ServiceDescriptor* service_;
  std::vector<const idl::FunctionDescriptor*> functions_;
  FunctionIndex by_route_;
  FunctionIndex by_name_;
};

/// What the catalog knows of one `*.thrift` file of idl_dir.
struct FileStatus {
  std::string file;    ///< path as found in idl_dir
  std::string sha256;  ///< hex of the content last read; "" when unreadable
  /// When this content was last parsed (a reused entry keeps its time).
  std::chrono::system_clock::time_point loaded_at;
  /// Files it includes, directly or not, as read for its last load.
  std::vector<std::string> includes;
  std::optional<idl::IdlError> last_error;  ///< set while the file fails to load
  /// Everything its last load read or probed (see Input).
  std::vector<Input> inputs;
};

/// Everything the gateway knows of idl_dir after one scan; immutable once published.
class Snapshot {
 public:
  uint64_t generation = 0;
  std::map<std::string, std::shared_ptr<const ServiceEntry>, std::less<>> services;
  /// By file name ("payment.thrift").
  std::map<std::string, FileStatus, std::less<>> files;
  /// What the scan that made this snapshot did: files parsed again vs. taken over as
  /// they were.
  uint32_t files_loaded = 0;
  uint32_t files_reused = 0;

  /// The service named by a file stem ("payment"), or nullptr.
  const ServiceEntry* find_service(std::string_view name) const;
};

}  // namespace opp::catalog
