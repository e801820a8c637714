#include "gateway/upstream/endpoint.hpp"

#include <algorithm>

namespace opp::gateway::upstream {

Endpoint::Endpoint(config::HostPort address)
    : address_(std::move(address)), name_(address_.to_string()) {}

void Endpoint::eject(Clock::time_point now, std::chrono::milliseconds duration) {
  const auto until = now + std::chrono::duration_cast<Clock::duration>(duration);
  ejected_until_.store(until.time_since_epoch().count(), std::memory_order_relaxed);
}

FailureCounts Endpoint::failures() const {
  FailureCounts out{};
  for (size_t i = 0; i < kFailureKinds; ++i) out[i] = failures_[i].load(std::memory_order_relaxed);
  return out;
}

EndpointSet::EndpointSet(const std::vector<config::HostPort>& addresses,
                         const EndpointSet* previous) {
  auto find = [](const std::vector<std::shared_ptr<Endpoint>>& in, const config::HostPort& a) {
    auto it = std::find_if(in.begin(), in.end(), [&](const auto& e) { return e->address() == a; });
    return it == in.end() ? nullptr : *it;
  };
  endpoints_.reserve(addresses.size());
  for (const config::HostPort& address : addresses) {
    if (find(endpoints_, address)) continue;  // a duplicate address is listed once
    std::shared_ptr<Endpoint> kept = previous ? find(previous->endpoints_, address) : nullptr;
    endpoints_.push_back(kept ? std::move(kept) : std::make_shared<Endpoint>(address));
  }
}

size_t EndpointSet::pick(size_t& cursor, Clock::time_point now, const Endpoint* avoid) const {
  const size_t n = endpoints_.size();
  for (size_t k = 0; k < n; ++k) {
    const size_t i = (cursor + k) % n;
    if (endpoints_[i].get() != avoid && !endpoints_[i]->ejected(now)) {
      cursor = i + 1;
      return i;
    }
  }
  for (size_t k = 0; k < n; ++k) {
    const size_t i = (cursor + k) % n;
    if (endpoints_[i].get() != avoid || n == 1) {
      cursor = i + 1;
      return i;
    }
  }
  cursor = 0;
  return 0;
}

}  // namespace opp::gateway::upstream
