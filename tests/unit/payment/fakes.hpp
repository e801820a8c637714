#pragma once
// In-memory stand-ins for the payment ports, for use-case tests without a database.

#include <map>
#include <mutex>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "payment/entity/biz_error.hpp"
#include "payment/usecase/payment_service.hpp"
#include "payment/usecase/payment_store.hpp"
#include "payment/usecase/ports.hpp"

namespace opp::payment::testing {

struct Notification {
  std::string merchant_id, url, body;
  int64_t at_ms = 0;
};

/// A store whose transactions work on a copy of the state and publish it on success,
/// serialised by one mutex: the behaviour the SQL store gets from the database.
class InMemoryStore final : public PaymentStore {
 public:
  struct State {
    std::map<std::pair<std::string, std::string>, Order> orders;
    std::map<std::pair<std::string, std::string>, Refund> refunds;
    std::vector<Notification> outbox;
    // Insertion order, which is what the SQL store's ORDER BY created_at_ms, id yields.
    std::vector<std::pair<std::string, std::string>> order_keys, refund_keys;
  };

  Result<void> transact(const Work& work) override {
    std::lock_guard lock(mutex_);
    ++transactions;
    if (fail_next_transaction) {
      fail_next_transaction = false;
      return internal_error("storage-error", "injected failure");
    }
    Tx tx{state_, reject_next_insert};
    reject_next_insert = false;
    Result<void> outcome = work(tx);
    if (outcome.ok()) state_ = std::move(tx.draft);
    return outcome;
  }

  Result<std::optional<Order>> find_order(const std::string& m, const std::string& o) override {
    std::lock_guard lock(mutex_);
    return lookup(state_.orders, m, o);
  }
  Result<std::optional<Refund>> find_refund(const std::string& m, const std::string& r) override {
    std::lock_guard lock(mutex_);
    return lookup(state_.refunds, m, r);
  }
  Result<std::vector<Order>> orders_created_between(const std::string& m, int64_t b,
                                                    int64_t e) override {
    std::lock_guard lock(mutex_);
    return created_between(state_.order_keys, state_.orders, m, b, e);
  }
  Result<std::vector<Refund>> refunds_created_between(const std::string& m, int64_t b,
                                                      int64_t e) override {
    std::lock_guard lock(mutex_);
    return created_between(state_.refund_keys, state_.refunds, m, b, e);
  }

  State snapshot() {
    std::lock_guard lock(mutex_);
    return state_;
  }

  int transactions = 0;
  bool fail_next_transaction = false;
  /// The next order insert reports a conflict without storing anything, as a collision on
  /// another unique index (the platform transaction id) would.
  bool reject_next_insert = false;

 private:
  template <class Map>
  static std::optional<typename Map::mapped_type> lookup(const Map& map, const std::string& a,
                                                         const std::string& b) {
    const auto found = map.find({a, b});
    if (found == map.end()) return std::nullopt;
    return found->second;
  }

  /// The rows of merchant `m` created in [b, e), in insertion order.
  template <class Map>
  static std::vector<typename Map::mapped_type> created_between(
      const std::vector<typename Map::key_type>& keys, const Map& map, const std::string& m,
      int64_t b, int64_t e) {
    std::vector<typename Map::mapped_type> out;
    for (const auto& key : keys) {
      const auto& row = map.at(key);
      if (key.first == m && row.created_at_ms >= b && row.created_at_ms < e) out.push_back(row);
    }
    return out;
  }

  struct Tx final : PaymentTransaction {
    Tx(const State& state, bool reject_insert) : draft(state), reject_insert(reject_insert) {}
    Result<std::optional<Order>> find_order_for_update(const std::string& m,
                                                       const std::string& o) override {
      return lookup(draft.orders, m, o);
    }
    Result<bool> insert_order(const Order& order) override {
      if (reject_insert) return false;
      const std::pair key{order.merchant_id, order.out_order_no};
      if (!draft.orders.emplace(key, order).second) return false;
      draft.order_keys.push_back(key);
      return true;
    }
    Result<void> update_order(const Order& order) override {
      draft.orders.at({order.merchant_id, order.out_order_no}) = order;
      return {};
    }
    Result<std::optional<Refund>> find_refund(const std::string& m, const std::string& r) override {
      return lookup(draft.refunds, m, r);
    }
    Result<bool> insert_refund(const Refund& refund) override {
      const std::pair key{refund.merchant_id, refund.out_refund_no};
      if (!draft.refunds.emplace(key, refund).second) return false;
      draft.refund_keys.push_back(key);
      return true;
    }
    Result<void> enqueue_notification(const std::string& m, const std::string& url,
                                      const std::string& body, int64_t now_ms) override {
      draft.outbox.push_back({m, url, body, now_ms});
      return {};
    }
    State draft;
    bool reject_insert = false;
  };

  std::mutex mutex_;
  State state_;
};

class FakeClock final : public Clock {
 public:
  explicit FakeClock(int64_t start_ms) : now_(start_ms) {}
  int64_t now_ms() override { return now_; }
  void advance_minutes(int64_t minutes) { now_ += minutes * 60'000; }
  void set(int64_t ms) { now_ = ms; }

 private:
  int64_t now_;
};

class SequentialIds final : public IdGenerator {
 public:
  std::string transaction_id(int64_t) override { return "T" + std::to_string(++next_); }
  std::string refund_id(int64_t) override { return "R" + std::to_string(++next_); }

 private:
  int next_ = 0;
};

/// A channel that approves unless told otherwise and records what it was asked.
class FakeChannel final : public PaymentChannel {
 public:
  Result<Prepayment> prepay(const Order& order) override {
    ++prepays;
    return Prepayment{"sub_" + order.merchant_id,
                      "{\"prepay_id\":\"pp_" + order.transaction_id + "\"}"};
  }
  Result<BarcodeCharge> charge_barcode(const Order& order) override {
    ++charges;
    BarcodeCharge charge;
    charge.approved = !order.auth_code.ends_with("0000");
    charge.payment = {"payer_" + order.auth_code, "ch_" + order.transaction_id};
    return charge;
  }
  Result<bool> refund(const Order&, const Refund&) override {
    ++refunds;
    return refund_succeeds;
  }

  int prepays = 0, charges = 0, refunds = 0;
  bool refund_succeeds = true;
};

/// Service + fakes, ready to use. 2026-11-27T05:12:00Z is the start time.
struct ServiceFixture {
  static constexpr int64_t kStart = 1'795'756'320'000;  // 2026-11-27T05:12:00Z

  InMemoryStore store;
  FakeClock clock{kStart};
  SequentialIds ids;
  std::shared_ptr<FakeChannel> wx = std::make_shared<FakeChannel>();
  std::shared_ptr<FakeChannel> ali = std::make_shared<FakeChannel>();
  std::shared_ptr<FakeChannel> union_pay = std::make_shared<FakeChannel>();
  PaymentService service{
      store, {{"wxpay", wx}, {"alipay", ali}, {"unionpay", union_pay}}, clock, ids};
};

}  // namespace opp::payment::testing
