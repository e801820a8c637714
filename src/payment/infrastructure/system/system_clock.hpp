#pragma once
// The real clocks and id sources behind the use-case ports.

#include <atomic>
#include <cstdint>
#include <string>

#include "payment/usecase/ports.hpp"

namespace opp::payment {

class SystemClock final : public Clock {
 public:
  int64_t now_ms() override;
};

/// Ids like "T20261127051200" + 16 hex digits: the UTC second, a random per-process salt
/// and a counter, so ids stay unique across threads, restarts and replicas.
class RandomIdGenerator final : public IdGenerator {
 public:
  RandomIdGenerator();
  std::string transaction_id(int64_t now_ms) override;
  std::string refund_id(int64_t now_ms) override;

 private:
  std::string next(char kind, int64_t now_ms);

  uint32_t salt_;
  std::atomic<uint32_t> counter_{0};
};

}  // namespace opp::payment
