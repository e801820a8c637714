#include "gateway/auth/response_nonce.hpp"

#include <openssl/rand.h>
#include <pthread.h>

#include <atomic>
#include <cstdint>

namespace opp::gateway::auth {
namespace {

constexpr size_t kNonceBytes = 16;
constexpr size_t kPoolBytes = 256 * kNonceBytes;

/// Bumped in every forked child, so a child's threads drop bytes their parent also holds.
std::atomic<uint64_t> fork_generation{0};

void on_fork_child() {
  fork_generation.fetch_add(1, std::memory_order_relaxed);
}

/// Registers the fork handler before the first nonce is drawn.
void register_fork_handler_once() {
  static const bool registered = [] {
    return pthread_atfork(nullptr, nullptr, on_fork_child) == 0;
  }();
  (void)registered;
}

/// Nonces are public once sent and sign nothing by themselves, so buffered bytes need no
/// wiping; they must only never repeat.
struct RandomPool {
  unsigned char bytes[kPoolBytes];
  size_t used = kPoolBytes;  // empty until first refilled
  uint64_t generation = 0;

  /// The next kNonceBytes random bytes, or nullptr when the generator failed.
  const unsigned char* take() {
    const uint64_t current = fork_generation.load(std::memory_order_relaxed);
    if (used + kNonceBytes > kPoolBytes || generation != current) {
      if (RAND_bytes(bytes, static_cast<int>(kPoolBytes)) != 1) return nullptr;
      used = 0;
      generation = current;
    }
    const unsigned char* out = bytes + used;
    used += kNonceBytes;
    return out;
  }
};

}  // namespace

Result<std::string> next_response_nonce() {
  register_fork_handler_once();
  thread_local RandomPool pool;
  const unsigned char* random = pool.take();
  if (random == nullptr) {
    return Error{ErrorCode::kServerHandleFail, "crypto-failure", "random generator failed", {}};
  }
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string nonce(2 * kNonceBytes, '\0');
  for (size_t i = 0; i < kNonceBytes; ++i) {
    nonce[2 * i] = kDigits[random[i] >> 4];
    nonce[2 * i + 1] = kDigits[random[i] & 0x0f];
  }
  return nonce;
}

}  // namespace opp::gateway::auth
