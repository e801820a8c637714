#include "opp/etcd/registration.hpp"

#include <stdexcept>

namespace opp::etcd {

std::string service_prefix(const std::string& svc) {
  return "opp/services/" + svc + "/";
}

std::string service_key(const std::string& svc, const std::string& address) {
  return service_prefix(svc) + address;
}

Registration::Registration(RegistrationOptions options)
    : options_(std::move(options)),
      client_(options_.endpoints,
              std::chrono::milliseconds(std::min<int64_t>(2000, options_.ttl_s * 1000 / 3))) {
  if (options_.ttl_s < 1) throw std::invalid_argument("etcd registration: ttl below 1 s");
}

Registration::~Registration() {
  stop();
}

void Registration::start() {
  if (!thread_.joinable()) thread_ = std::thread([this] { loop(); });
}

void Registration::stop() {
  int64_t lease = 0;
  {
    std::lock_guard lock(mutex_);
    if (stopping_ && !thread_.joinable()) return;
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  {
    std::lock_guard lock(mutex_);
    lease = lease_;
    lease_ = 0;
  }
  if (lease == 0) return;
  if (auto revoked = client_.lease_revoke(lease); !revoked) {
    log("could not revoke the lease of " + options_.key + " (it expires in " +
        std::to_string(options_.ttl_s) + " s): " + revoked.error().message);
  } else {
    log("deregistered " + options_.key);
  }
}

bool Registration::registered() const {
  std::lock_guard lock(mutex_);
  return lease_ != 0;
}

void Registration::log(const std::string& line) const {
  if (options_.log) options_.log(line);
}

void Registration::loop() {
  const auto renew_every = std::chrono::milliseconds(options_.ttl_s * 1000 / 3);
  bool reported_down = false;
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    int64_t lease = lease_;
    lock.unlock();
    std::chrono::milliseconds wait = renew_every;
    if (lease == 0) {
      // Grant, then put: a key is only ever written under a live lease.
      auto granted = client_.lease_grant(options_.ttl_s);
      Result<void> put = granted ? client_.put(options_.key, options_.value, *granted)
                                 : Result<void>(granted.error());
      if (put) {
        lease = *granted;
        log("registered " + options_.key + " (lease ttl " + std::to_string(options_.ttl_s) + " s)");
        reported_down = false;
      } else {
        if (granted) (void)client_.lease_revoke(*granted);
        if (!reported_down)
          log("cannot register " + options_.key + ", retrying: " + put.error().message);
        reported_down = true;
        wait = options_.retry_interval;
      }
    } else if (auto renewed = client_.lease_keepalive(lease); !renewed) {
      if (renewed.error().sub_code == "etcd-lease-expired") {
        log("lease of " + options_.key + " expired; registering again");
        lease = 0;
        wait = std::chrono::milliseconds(0);
      } else {
        if (!reported_down)
          log("cannot renew the lease of " + options_.key +
              ", retrying: " + renewed.error().message);
        reported_down = true;
        wait = options_.retry_interval;
      }
    } else if (reported_down) {
      log("etcd reachable again; " + options_.key + " still registered");
      reported_down = false;
    }
    lock.lock();
    lease_ = lease;
    wake_.wait_for(lock, wait, [this] { return stopping_; });
  }
}

}  // namespace opp::etcd
