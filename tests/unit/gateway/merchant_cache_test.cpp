// The merchant cache: loads, refreshes only what changed, parses a key once per key
// version, keeps the last good map when the database fails (logging no secret), and
// serves readers on many threads while another program writes.
#include "gateway/auth/merchant_cache.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

#include "gateway_test_support.hpp"

using namespace opp::gateway::auth;
using namespace std::chrono_literals;
using opp::crypto::SignType;
using opp::gateway::testing::read_file;

namespace {

std::string spki_pem() {
  return read_file(std::string(OPP_SOURCE_DIR) + "/tests/unit/crypto/testdata/pub_spki.pem");
}

/// A source whose rows and failures the test controls; records what it was asked.
class FakeSource final : public MerchantSource {
 public:
  void put(const std::string& id, SignType type, uint32_t key_version, bool enabled,
           opp::Result<std::string> key) {
    std::lock_guard lock(mutex_);
    MerchantInfo info{id, type, enabled, key_version, 0, 0, ++revision_};
    std::erase_if(rows_, [&](const MerchantChange& row) { return row.info.id == id; });
    rows_.push_back(MerchantChange{info, std::move(key)});
  }
  void fail_with(std::string message) {
    std::lock_guard lock(mutex_);
    failure_ = std::move(message);
  }
  int64_t last_asked() const {
    std::lock_guard lock(mutex_);
    return last_asked_;
  }
  int calls() const {
    std::lock_guard lock(mutex_);
    return calls_;
  }

  opp::Result<std::vector<MerchantChange>> changed_since(int64_t revision) override {
    std::lock_guard lock(mutex_);
    ++calls_;
    last_asked_ = revision;
    if (!failure_.empty()) {
      return opp::Error{opp::ErrorCode::kServerHandleFail, "storage-error", failure_, {}};
    }
    std::vector<MerchantChange> changed;
    for (const MerchantChange& row : rows_) {
      if (row.info.revision > revision) changed.push_back(row);
    }
    return changed;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<MerchantChange> rows_;
  int64_t revision_ = 0;
  int64_t last_asked_ = -1;
  int calls_ = 0;
  std::string failure_;
};

/// Collects log lines from the refresher thread.
struct LogLines {
  std::mutex mutex;
  std::vector<std::string> lines;
  std::function<void(const std::string&)> sink() {
    return [this](const std::string& line) {
      std::lock_guard lock(mutex);
      lines.push_back(line);
    };
  }
  std::vector<std::string> snapshot() {
    std::lock_guard lock(mutex);
    return lines;
  }
};

/// Polls `condition` until it holds or `limit` passes (a liveness bound, not a timing).
template <class F>
bool eventually(F&& condition, std::chrono::milliseconds limit = 5000ms) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(5ms);
  }
  return condition();
}

std::string secret_of(const std::shared_ptr<const Merchant>& merchant) {
  return std::get<opp::crypto::HmacSecret>(merchant->verify_key).bytes;
}

}  // namespace

TEST_CASE("merchant cache: loads every merchant, then only what changed", "[gateway][cache]") {
  FakeSource source;
  source.put("M1", SignType::kHmacSha256, 1, true, std::string("s1"));
  source.put("R1", SignType::kRsa2, 1, true, spki_pem());
  auto cache = MerchantCache::create(source).value();
  CHECK(source.last_asked() == 0);
  CHECK(cache->size() == 2);
  CHECK(cache->revision() == 2);
  auto m1 = cache->find("M1");
  REQUIRE(m1);
  CHECK(m1->id == "M1");
  CHECK(m1->enabled);
  CHECK(m1->key_version == 1);
  CHECK(secret_of(m1) == "s1");
  REQUIRE(cache->find("R1"));
  CHECK(std::holds_alternative<opp::crypto::PublicKey>(cache->find("R1")->verify_key));
  CHECK(cache->find("nobody") == nullptr);
  CHECK(cache->find("") == nullptr);

  source.put("M2", SignType::kHmacSm3, 1, false, std::string("s2"));
  REQUIRE(cache->refresh().ok());
  CHECK(source.last_asked() == 2);
  CHECK(cache->revision() == 3);
  CHECK(cache->size() == 3);
  CHECK_FALSE(cache->find("M2")->enabled);
  CHECK(cache->find("M2")->sign_type == SignType::kHmacSm3);
  // Readers holding an old record keep it intact.
  source.put("M1", SignType::kHmacSha256, 2, true, std::string("s1-rotated"));
  REQUIRE(cache->refresh().ok());
  CHECK(secret_of(cache->find("M1")) == "s1-rotated");
  CHECK(cache->find("M1")->key_version == 2);
  CHECK(secret_of(m1) == "s1");
  // Nothing changed: nothing asked beyond the last revision, nothing republished.
  auto before = cache->find("M2");
  REQUIRE(cache->refresh().ok());
  CHECK(source.last_asked() == 4);
  CHECK(cache->find("M2") == before);
}

TEST_CASE("merchant cache: a key is parsed once per key version", "[gateway][cache]") {
  FakeSource source;
  source.put("R1", SignType::kRsa2, 1, true, spki_pem());
  auto cache = MerchantCache::create(source).value();
  const auto native = [&] {
    return std::get<opp::crypto::PublicKey>(cache->find("R1")->verify_key).native();
  };
  const auto first = native();
  // Disabled and enabled again: the same parsed key, even when the row's key is not
  // offered again.
  source.put("R1", SignType::kRsa2, 1, false, opp::Error{});
  REQUIRE(cache->refresh().ok());
  CHECK_FALSE(cache->find("R1")->enabled);
  CHECK(native() == first);
  source.put("R1", SignType::kRsa2, 1, true, spki_pem());
  REQUIRE(cache->refresh().ok());
  CHECK(native() == first);
  // A new key version is parsed anew.
  source.put("R1", SignType::kRsa2, 2, true, spki_pem());
  REQUIRE(cache->refresh().ok());
  CHECK(native() != first);
  CHECK(cache->find("R1")->key_version == 2);
}

TEST_CASE("merchant cache: a key that cannot be used removes the merchant, logged without it",
          "[gateway][cache]") {
  FakeSource source;
  source.put("M1", SignType::kHmacSha256, 1, true, std::string("old-secret"));
  LogLines log;
  auto cache = MerchantCache::create(source, {250ms, log.sink()}).value();
  REQUIRE(cache->find("M1"));
  // Rotated, but the new ciphertext does not open: the old key must not stay valid.
  source.put("M1", SignType::kHmacSha256, 2, true,
             opp::Error{opp::ErrorCode::kServerHandleFail,
                        "secret-undecryptable",
                        "sealed secret does not open",
                        {}});
  source.put("R1", SignType::kRsa2, 1, true, std::string("new-secret is not a PEM"));
  REQUIRE(cache->refresh().ok());
  CHECK(cache->find("M1") == nullptr);
  CHECK(cache->find("R1") == nullptr);
  CHECK(cache->revision() == 3);  // the rows were seen, not fetched again forever
  const auto lines = log.snapshot();
  REQUIRE(lines.size() == 2);
  CHECK(lines[0] == "merchant M1 (key version 2) is unavailable: sealed secret does not open");
  CHECK(lines[1].starts_with("merchant R1 (key version 1) is unavailable: "));
  for (const std::string& line : lines) {
    CHECK(line.find("secret-is") == std::string::npos);
    CHECK(line.find("old-secret") == std::string::npos);
    CHECK(line.find("new-secret") == std::string::npos);
  }
  // A usable key brings the merchant back.
  source.put("M1", SignType::kHmacSha256, 3, true, std::string("third"));
  REQUIRE(cache->refresh().ok());
  CHECK(secret_of(cache->find("M1")) == "third");
}

TEST_CASE("merchant cache: a failing database keeps the last good map", "[gateway][cache]") {
  FakeSource source;
  source.put("M1", SignType::kHmacSha256, 1, true, std::string("the-secret"));
  LogLines log;
  auto cache = MerchantCache::create(source, {10ms, log.sink()}).value();
  source.fail_with("database is locked");
  CHECK_FALSE(cache->refresh().ok());
  CHECK(secret_of(cache->find("M1")) == "the-secret");

  cache->start();
  REQUIRE(eventually([&] { return cache->refresh_failures() >= 3; }));
  CHECK(secret_of(cache->find("M1")) == "the-secret");
  // Logged once, not once per refresh, and without key material.
  auto lines = log.snapshot();
  REQUIRE(lines.size() == 1);
  CHECK(lines[0] == "merchant refresh failed, keeping the last good merchants: database is locked");
  CHECK(lines[0].find("the-secret") == std::string::npos);

  source.fail_with("");
  source.put("M2", SignType::kHmacSha256, 1, true, std::string("s2"));
  REQUIRE(eventually([&] { return cache->find("M2") != nullptr; }));
  REQUIRE(eventually([&] { return log.snapshot().size() == 2; }));
  CHECK(log.snapshot()[1] == "merchant refresh works again");
  cache->stop();
}

TEST_CASE("merchant cache: start fails when the first load fails, stop joins promptly",
          "[gateway][cache]") {
  FakeSource failing;
  failing.fail_with("no such table: gateway_merchants");
  auto none = MerchantCache::create(failing);
  REQUIRE_FALSE(none.ok());
  CHECK(none.error().message == "no such table: gateway_merchants");

  FakeSource source;
  auto cache = MerchantCache::create(source, {400ms, {}}).value();
  cache->start();
  cache->start();  // a second start does nothing
  REQUIRE(eventually([&] { return source.calls() >= 2; }));
  const auto stop_began = std::chrono::steady_clock::now();
  cache->stop();
  // Liveness bound: stop() does not wait out the refresh interval many times over.
  CHECK(std::chrono::steady_clock::now() - stop_began < 2s);
  const int calls = source.calls();
  std::this_thread::sleep_for(50ms);
  CHECK(source.calls() == calls);
  cache->stop();  // idempotent
}

TEST_CASE("merchant cache: readers on many threads while another program writes",
          "[gateway][cache]") {
  const std::string kind = GENERATE("sqlite", "postgresql");
  OPP_GATEWAY_DB_OR_SKIP(db, kind);
  auto store = MerchantStore::open(db.url, db.kek()).value();
  REQUIRE(store->add("HOT", SignType::kHmacSha256, {KeyMaterial::Kind::kSecret, "v1"}).ok());
  auto cache = MerchantCache::create(*store, {50ms, {}}).value();
  cache->start();

  std::atomic<bool> done{false};
  std::atomic<long> lookups{0};
  std::atomic<long> inconsistent{0};
  std::vector<std::thread> readers;
  for (int r = 0; r < 4; ++r) {
    readers.emplace_back([&] {
      while (!done.load()) {
        auto hot = cache->find("HOT");
        // Every record a reader sees is whole: its secret is the one of its key version.
        if (!hot || secret_of(hot) != "v" + std::to_string(hot->key_version)) ++inconsistent;
        for (int i = 0; i < 8; ++i) {
          auto merchant = cache->find("W" + std::to_string(i));
          if (merchant && secret_of(merchant) != "w" + std::to_string(i)) ++inconsistent;
        }
        ++lookups;
      }
    });
  }

  // The writer is another program: its own store on the same database.
  auto admin = MerchantStore::open(db.url, db.kek()).value();
  for (int i = 0; i < 8; ++i) {
    const std::string id = "W" + std::to_string(i);
    REQUIRE(
        admin->add(id, SignType::kHmacSha256, {KeyMaterial::Kind::kSecret, "w" + std::to_string(i)})
            .ok());
    REQUIRE(admin->rotate("HOT", {KeyMaterial::Kind::kSecret, "v" + std::to_string(i + 2)}).ok());
    // Each change is visible within 2 s (SPEC §3.4).
    CHECK(eventually([&] { return cache->find(id) != nullptr; }, 2000ms));
    CHECK(eventually(
        [&] {
          auto hot = cache->find("HOT");
          return hot && hot->key_version == static_cast<uint32_t>(i + 2);
        },
        2000ms));
  }
  REQUIRE(admin->set_enabled("HOT", false).ok());
  CHECK(eventually([&] { return !cache->find("HOT")->enabled; }, 2000ms));
  done = true;
  for (auto& reader : readers) reader.join();
  cache->stop();
  CHECK(inconsistent == 0);
  CHECK(lookups > 0);
  CHECK(cache->size() == 9);
}

TEST_CASE("merchant cache: caches used by one thread never see each other's merchants",
          "[gateway][cache]") {
  FakeSource first_source;
  first_source.put("M1", SignType::kHmacSha256, 1, true, std::string("first"));
  FakeSource second_source;
  second_source.put("M1", SignType::kHmacSha256, 1, true, std::string("second"));
  auto first = MerchantCache::create(first_source).value();
  auto second = MerchantCache::create(second_source).value();
  for (int i = 0; i < 3; ++i) {
    CHECK(secret_of(first->find("M1")) == "first");
    CHECK(secret_of(second->find("M1")) == "second");
  }
  // A cache made later (perhaps at a freed cache's address) is not mistaken for it.
  first.reset();
  FakeSource third_source;
  auto third = MerchantCache::create(third_source).value();
  CHECK(third->find("M1") == nullptr);
  // A publish is seen by a thread that looked before.
  second_source.put("M2", SignType::kHmacSha256, 1, true, std::string("s2"));
  CHECK(second->find("M2") == nullptr);
  REQUIRE(second->refresh().ok());
  CHECK(secret_of(second->find("M2")) == "s2");
}
