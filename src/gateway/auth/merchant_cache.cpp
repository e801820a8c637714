#include "gateway/auth/merchant_cache.hpp"

#include <openssl/crypto.h>

#include <iostream>

namespace opp::gateway::auth {
namespace {

/// The record for a changed row: the previous record's parsed key when the key version
/// and sign type are unchanged (an enable/disable), else a key parsed from the row.
Result<std::shared_ptr<const Merchant>> record_of(MerchantChange& change,
                                                  const std::shared_ptr<const Merchant>& previous) {
  const MerchantInfo& info = change.info;
  auto merchant = std::make_shared<Merchant>();
  merchant->id = info.id;
  merchant->enabled = info.enabled;
  merchant->sign_type = info.sign_type;
  merchant->key_version = info.key_version;
  if (previous && previous->key_version == info.key_version &&
      previous->sign_type == info.sign_type) {
    merchant->verify_key = previous->verify_key;
  } else {
    if (!change.key_material) return change.key_material.error();
    auto key = crypto::make_verify_key(info.sign_type, *change.key_material);
    if (!key) return std::move(key).error();
    merchant->verify_key = std::move(*key);
  }
  if (change.key_material) {
    OPENSSL_cleanse(change.key_material->data(), change.key_material->size());
  }
  return std::shared_ptr<const Merchant>(std::move(merchant));
}

/// Generations of every cache in the process, so a thread's remembered map can never be
/// taken for another cache's (or a later cache's at the same address).
std::atomic<uint64_t> next_generation{1};

}  // namespace

MerchantCache::MerchantCache(MerchantSource& source, MerchantCacheOptions options)
    : source_(source),
      options_(std::move(options)),
      map_(std::make_shared<const Map>()),
      generation_(next_generation.fetch_add(1)) {}

void MerchantCache::publish(std::shared_ptr<const Map> map) {
  map_.store(std::move(map), std::memory_order_release);
  generation_.store(next_generation.fetch_add(1), std::memory_order_release);
}

Result<std::unique_ptr<MerchantCache>> MerchantCache::create(MerchantSource& source,
                                                             MerchantCacheOptions options) {
  auto cache = std::make_unique<MerchantCache>(source, std::move(options));
  if (auto loaded = cache->refresh(); !loaded) return std::move(loaded).error();
  return cache;
}

MerchantCache::~MerchantCache() {
  stop();
}

std::shared_ptr<const Merchant> MerchantCache::find(std::string_view id) const {
  // The map this thread used last, and which publish it was. A map kept after its cache
  // is gone is released at the thread's next lookup or exit.
  struct Remembered {
    uint64_t generation = 0;
    std::shared_ptr<const Map> map;
  };
  thread_local Remembered remembered;
  const uint64_t generation = generation_.load(std::memory_order_acquire);
  if (remembered.generation != generation) {
    remembered.map = map_.load(std::memory_order_acquire);
    remembered.generation = generation;
  }
  const auto found = remembered.map->find(id);
  return found == remembered.map->end() ? nullptr : found->second;
}

size_t MerchantCache::size() const {
  return map_.load(std::memory_order_acquire)->size();
}

Result<void> MerchantCache::refresh() {
  std::lock_guard lock(refresh_mutex_);
  auto changes = source_.changed_since(revision_.load());
  if (!changes) return std::move(changes).error();
  if (changes->empty()) return {};

  auto next = std::make_shared<Map>(*map_.load(std::memory_order_acquire));
  int64_t revision = revision_.load();
  for (MerchantChange& change : *changes) {
    const std::string& id = change.info.id;
    revision = std::max(revision, change.info.revision);
    const auto found = next->find(id);
    auto record = record_of(change, found == next->end() ? nullptr : found->second);
    if (record) {
      (*next)[id] = std::move(*record);
      continue;
    }
    // A rotated key that cannot be used must not leave the old one valid: the merchant
    // is absent (requests are refused) until a usable key is stored.
    if (found != next->end()) next->erase(found);
    log("merchant " + id + " (key version " + std::to_string(change.info.key_version) +
        ") is unavailable: " + record.error().message);
  }
  publish(std::move(next));
  revision_.store(revision);
  return {};
}

void MerchantCache::start() {
  std::lock_guard lock(stop_mutex_);
  if (refresher_.joinable()) return;
  stopping_ = false;
  refresher_ = std::thread([this] { run(); });
}

void MerchantCache::stop() {
  {
    std::lock_guard lock(stop_mutex_);
    stopping_ = true;
  }
  stop_signal_.notify_all();
  if (refresher_.joinable() && refresher_.get_id() != std::this_thread::get_id()) {
    refresher_.join();
  }
}

void MerchantCache::run() {
  std::unique_lock lock(stop_mutex_);
  while (!stop_signal_.wait_for(lock, options_.refresh_interval, [this] { return stopping_; })) {
    lock.unlock();
    refresh_and_report();
    lock.lock();
  }
}

void MerchantCache::refresh_and_report() {
  auto refreshed = refresh();
  std::lock_guard lock(refresh_mutex_);
  if (refreshed) {
    if (!last_problem_.empty()) log("merchant refresh works again");
    last_problem_.clear();
    return;
  }
  failures_.fetch_add(1);
  // The store's errors name what failed (the driver's message), never key material.
  const std::string problem =
      "merchant refresh failed, keeping the last good merchants: " + refreshed.error().message;
  if (problem != last_problem_) log(problem);
  last_problem_ = problem;
}

void MerchantCache::log(const std::string& line) const {
  if (options_.log) {
    options_.log(line);
  } else {
    std::cerr << "opp-gateway: " << line << "\n";
  }
}

}  // namespace opp::gateway::auth
