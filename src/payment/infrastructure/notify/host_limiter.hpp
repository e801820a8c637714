#pragma once
// Which delivery may start next: at most `total` at once, and at most `per_host` to any
// one receiver (a URL's origin), so a slow or dead receiver holds a few slots and never
// all of them. Items beyond a receiver's share wait in its own queue without taking a
// shared slot; receivers with work take turns (round robin), oldest item first within
// each. Not thread-safe: the dispatcher calls it under its lock.

#include <cstddef>
#include <deque>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace opp::payment {

template <typename Item>
class HostLimiter {
 public:
  /// Both limits are at least 1.
  HostLimiter(size_t total, size_t per_host)
      : total_(total < 1 ? 1 : total), per_host_(per_host < 1 ? 1 : per_host) {}

  struct Admitted {
    std::string host;  ///< pass to finish() when the delivery is over
    Item item;
  };

  void add(const std::string& host, Item item) {
    Host& entry = hosts_[host];
    entry.waiting.push_back(std::move(item));
    ++waiting_;
    if (entry.waiting.size() == 1 && entry.running < per_host_) ready_.push_back(host);
  }

  /// The next item allowed to start, now counted as running; nothing while `total` run
  /// or every receiver with waiting items is at its share.
  std::optional<Admitted> admit() {
    if (running_ >= total_ || ready_.empty()) return std::nullopt;
    std::string host = std::move(ready_.front());
    ready_.pop_front();
    Host& entry = hosts_.at(host);
    Admitted admitted{host, std::move(entry.waiting.front())};
    entry.waiting.pop_front();
    --waiting_;
    ++entry.running;
    ++running_;
    if (!entry.waiting.empty() && entry.running < per_host_) ready_.push_back(std::move(host));
    return admitted;
  }

  /// A delivery admitted for `host` is over: its slot is free again.
  void finish(const std::string& host) {
    auto found = hosts_.find(host);
    if (found == hosts_.end() || found->second.running == 0) return;
    Host& entry = found->second;
    --running_;
    // At its share it was out of the turn order; it rejoins with its next item.
    if (entry.running-- == per_host_ && !entry.waiting.empty()) ready_.push_back(host);
    if (entry.running == 0 && entry.waiting.empty()) hosts_.erase(found);
  }

  /// Removes and returns every waiting item (running ones stay counted until finish()).
  std::vector<Item> take_waiting() {
    std::vector<Item> taken;
    for (auto it = hosts_.begin(); it != hosts_.end();) {
      for (Item& item : it->second.waiting) taken.push_back(std::move(item));
      it->second.waiting.clear();
      it = it->second.running == 0 ? hosts_.erase(it) : std::next(it);
    }
    ready_.clear();
    waiting_ = 0;
    return taken;
  }

  size_t running() const { return running_; }
  size_t waiting() const { return waiting_; }
  /// Receivers with an item running or waiting (memory stays bounded by the work).
  size_t hosts() const { return hosts_.size(); }

 private:
  struct Host {
    std::deque<Item> waiting;
    size_t running = 0;
  };

  size_t total_;
  size_t per_host_;
  size_t running_ = 0;
  size_t waiting_ = 0;
  std::unordered_map<std::string, Host> hosts_;
  /// Receivers with waiting items and a free share, in turn order.
  std::deque<std::string> ready_;
};

}  // namespace opp::payment
