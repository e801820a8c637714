#pragma once
// Clocks and keys shared by the notification tests; the real clock is SystemClock.

#include <atomic>
#include <cstdint>

#include "opp/crypto/keys.hpp"
#include "payment/infrastructure/system/system_clock.hpp"
#include "payment/usecase/ports.hpp"

namespace opp::payment::test {

/// Time that moves only when a test says so.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(int64_t start_ms) : now_(start_ms) {}
  int64_t now_ms() override { return now_.load(); }
  void set(int64_t now_ms) { now_ = now_ms; }

 private:
  std::atomic<int64_t> now_;
};

/// One 2048-bit platform key per test run: generating keys is slow.
const crypto::PrivateKey& platform_key();

/// A loopback port on which nothing listens (bound, then released).
uint16_t unused_loopback_port();

}  // namespace opp::payment::test
