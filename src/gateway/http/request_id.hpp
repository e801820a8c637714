#pragma once
// X-Request-Id: a client's own id is kept when it is well-formed, else the gateway makes
// one: a random per-thread prefix and a counter, unique without a syscall per request.

#include <cstdint>
#include <string>
#include <string_view>

namespace opp::gateway::http {

/// 1–128 chars of [A-Za-z0-9._:-]; anything else (or nothing) is replaced.
bool is_well_formed_request_id(std::string_view id);

/// Makes request ids for one thread.
class RequestIdGenerator {
 public:
  RequestIdGenerator();
  /// 16 random hex digits fixed per generator, '-', then a hex counter.
  std::string next();

 private:
  std::string prefix_;
  uint64_t counter_ = 0;
};

}  // namespace opp::gateway::http
