#pragma once
// Clocks, keys, options and checks shared by the notification tests; the real clock is
// SystemClock.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "http_receiver.hpp"
#include "opp/common/result.hpp"
#include "opp/crypto/keys.hpp"
#include "payment/infrastructure/notify/notification_dispatcher.hpp"
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

/// Options that keep the background tests quick; logs are kept for assertions.
struct FastOptions {
  std::shared_ptr<std::vector<std::string>> lines = std::make_shared<std::vector<std::string>>();
  std::shared_ptr<std::mutex> mutex = std::make_shared<std::mutex>();
  NotificationDispatcherOptions options;
  FastOptions() {
    options.poll_interval = std::chrono::milliseconds(20);
    options.retry = RetrySchedule({std::chrono::milliseconds(100)}, std::chrono::hours(1));
    options.log = [lines = lines, mutex = mutex](std::string_view line) {
      std::lock_guard lock(*mutex);
      lines->emplace_back(line);
    };
  }
  std::vector<std::string> log() const {
    std::lock_guard lock(*mutex);
    return *lines;
  }
  /// Log lines containing `fragment`.
  size_t logged(std::string_view fragment) const {
    std::lock_guard lock(*mutex);
    return static_cast<size_t>(std::count_if(lines->begin(), lines->end(), [&](const auto& line) {
      return line.find(fragment) != std::string::npos;
    }));
  }
};

/// One 2048-bit platform key per test run: generating keys is slow.
const crypto::PrivateKey& platform_key();

/// The X-Opp-* signature of a received notification, checked against its body with
/// platform_key(), as a merchant does.
Result<void> verify_notification(const ReceivedRequest& request);

/// `text` parsed as a notify URL; throws when it is not one.
NotifyUrl url_of(const std::string& text);

/// A loopback port on which nothing listens (bound, then released).
uint16_t unused_loopback_port();

/// A fresh empty directory under the build tree for this test, removed at destruction.
struct ScratchDir {
  ScratchDir();
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  std::filesystem::path path;
};

/// Polls `condition` every 10 ms until it holds or `timeout` passes; its last value.
bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds timeout);

}  // namespace opp::payment::test
