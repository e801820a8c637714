#pragma once
// A small etcd v3 client over etcd's HTTP/JSON gateway (/v3/...): no gRPC stack. Keys and
// values are base64 in that API; this client takes and returns plain bytes.
//
// Calls are synchronous, each with its own deadline, and meant for a thread of their own
// (service registration, discovery). A Client holds no connection between calls and may
// be used from several threads at once. Endpoints are tried in order until one answers.
//
// Errors: 10005 `etcd-unavailable` (no endpoint answered in time), 10007 `etcd-bad-reply`
// (an answer that is not the expected JSON), 10006 `etcd-error` (etcd refused the call,
// with etcd's message), 10006 `etcd-lease-expired` (a keepalive of a lease etcd no longer
// has).

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "opp/common/result.hpp"

namespace opp::etcd {

struct Endpoint {
  std::string host = "127.0.0.1";
  uint16_t port = 2379;
  std::string to_string() const { return host + ":" + std::to_string(port); }
};

struct KeyValue {
  std::string key;
  std::string value;
  int64_t mod_revision = 0;
  int64_t lease = 0;
};

/// The keys under a prefix and the store revision they were read at.
struct RangeResult {
  int64_t revision = 0;
  std::vector<KeyValue> kvs;
};

/// The end of the key range covering every key that starts with `prefix` (etcd's
/// range_end convention); "\0" for an empty prefix (every key).
std::string prefix_range_end(std::string_view prefix);

class Client {
 public:
  /// A client for `endpoints` (at least one); each call gives up after `timeout`.
  explicit Client(std::vector<Endpoint> endpoints,
                  std::chrono::milliseconds timeout = std::chrono::milliseconds(2000));

  /// Grants a lease of `ttl_s` seconds; returns its id.
  Result<int64_t> lease_grant(int64_t ttl_s);
  /// Renews `lease`; returns its TTL in seconds. Errors: 10006 etcd-lease-expired.
  Result<int64_t> lease_keepalive(int64_t lease);
  /// Revokes `lease`: every key attached to it is deleted.
  Result<void> lease_revoke(int64_t lease);

  /// Writes `key` = `value`, attached to `lease` when it is not 0.
  Result<void> put(std::string_view key, std::string_view value, int64_t lease = 0);
  /// Deletes `key`.
  Result<void> remove(std::string_view key);
  /// Every key starting with `prefix`, sorted by key.
  Result<RangeResult> range_prefix(std::string_view prefix);

  const std::vector<Endpoint>& endpoints() const { return endpoints_; }
  std::chrono::milliseconds timeout() const { return timeout_; }

 private:
  /// POSTs `body` to `target` on the first endpoint that answers; returns the JSON reply.
  Result<std::string> post(const std::string& target, const std::string& body);

  std::vector<Endpoint> endpoints_;
  std::chrono::milliseconds timeout_;
};

}  // namespace opp::etcd
