#pragma once
// A service instance's registration in etcd: `key` = `value` under a lease of `ttl_s`
// seconds, renewed every ttl_s/3 on a thread of its own. When etcd cannot be reached the
// registration logs it and keeps trying (the service goes on serving); a lease etcd has
// dropped meanwhile is replaced by a new one. stop() revokes the lease, so the key goes
// at once rather than when the TTL runs out.

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "opp/etcd/client.hpp"

namespace opp::etcd {

struct RegistrationOptions {
  std::vector<Endpoint> endpoints;
  std::string key;    ///< e.g. opp/services/payment/127.0.0.1:8081
  std::string value;  ///< e.g. 127.0.0.1:8081
  int64_t ttl_s = 5;
  std::chrono::milliseconds retry_interval{1000};  ///< between attempts while etcd is away
  std::function<void(const std::string&)> log;     ///< one line per state change
};

/// The key under which a service instance registers: `opp/services/<svc>/<address>`.
std::string service_key(const std::string& svc, const std::string& address);
/// The prefix every instance of `svc` registers under: `opp/services/<svc>/`.
std::string service_prefix(const std::string& svc);

class Registration {
 public:
  /// Throws std::invalid_argument when there is no endpoint or ttl_s < 1.
  explicit Registration(RegistrationOptions options);
  ~Registration();  ///< stop()
  Registration(const Registration&) = delete;
  Registration& operator=(const Registration&) = delete;

  /// Starts the registering thread; returns at once.
  void start();
  /// Ends the thread and revokes the lease (one attempt, bounded by the client timeout).
  /// Idempotent.
  void stop();
  /// True while the key is known to be written under a live lease.
  bool registered() const;

 private:
  void loop();
  void log(const std::string& line) const;

  RegistrationOptions options_;
  Client client_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  int64_t lease_ = 0;  ///< guarded by mutex_
  std::thread thread_;
};

}  // namespace opp::etcd
