// SQL repositories (SociPaymentStore, SociNotificationOutbox) against real databases.
// The same cases run on SQLite and on the PostgreSQL of OPP_TEST_POSTGRES_URL (skipped
// with a warning outside CI when it is not available; a failure in CI).
#include <catch2/catch.hpp>

#include <soci/soci.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <future>
#include <thread>

#include "fakes.hpp"
#include "payment/infrastructure/sandbox/sandbox_channel.hpp"
#include "payment/infrastructure/sql/soci_notification_outbox.hpp"
#include "payment/infrastructure/sql/soci_payment_store.hpp"
#include "sql_backends.hpp"

using namespace opp::payment;
using namespace opp::payment::testing;

namespace {

Order sample_order(const std::string& merchant, const std::string& no, int64_t created_ms) {
  Order o;
  o.merchant_id = merchant;
  o.out_order_no = no;
  o.transaction_id = "T-" + merchant + "-" + no;
  o.pay_way = "alipay";
  o.auth_code = "2812345678901234";
  o.total_amount = 10'000'000'000;
  o.status = OrderStatus::kNotPay;
  o.subject = "naïve café ☕";  // UTF-8 survives the round trip
  o.app_id = "app";
  o.sub_open_id = "sub-open";
  o.notify_url = "http://127.0.0.1:1/n";
  o.client_ip = "10.0.0.1";
  o.sub_merchant_id = "sbx";
  o.jspay_info = R"({"prepay_id":"p1"})";
  o.created_at_ms = created_ms;
  o.expire_at_ms = created_ms + 7'200'000;
  o.updated_at_ms = created_ms;
  return o;
}

Refund sample_refund(const std::string& merchant, const std::string& order_no,
                     const std::string& no, int64_t created_ms) {
  Refund r;
  r.merchant_id = merchant;
  r.out_order_no = order_no;
  r.out_refund_no = no;
  r.refund_id = "R-" + merchant + "-" + no;
  r.refund_amount = 5;
  r.status = RefundStatus::kSuccess;
  r.reason = "broken cup";
  r.created_at_ms = created_ms;
  r.refunded_at_ms = created_ms + 1;
  return r;
}

/// Inserts in its own transaction; returns whether a row was created.
bool insert(PaymentStore& store, const Order& order) {
  bool inserted = false;
  auto done = store.transact([&](PaymentTransaction& tx) -> opp::Result<void> {
    auto r = tx.insert_order(order);
    if (!r) return std::move(r).error();
    inserted = r.value();
    return {};
  });
  REQUIRE(done.ok());
  return inserted;
}

}  // namespace

TEST_CASE("payment repository: orders round-trip and are unique per merchant", "[payment][repo]") {
  const std::string kind = GENERATE("sqlite", "postgresql");
  OPP_OPEN_BACKEND_OR_SKIP(backend, kind);
  INFO("backend " << backend.name);
  SociPaymentStore store(*backend.database);
  const std::string m = unique_merchant("m");
  const Order order = sample_order(m, "o1", 1'000);

  REQUIRE(insert(store, order));
  auto found = store.find_order(m, "o1");
  REQUIRE(found.ok());
  REQUIRE(found.value());
  const Order& read = *found.value();
  CHECK(read.transaction_id == order.transaction_id);
  CHECK(read.total_amount == 10'000'000'000);
  CHECK(read.status == OrderStatus::kNotPay);
  CHECK(read.subject == order.subject);
  CHECK(read.jspay_info == order.jspay_info);
  CHECK(read.auth_code == order.auth_code);
  CHECK(read.expire_at_ms == order.expire_at_ms);

  Order duplicate = sample_order(m, "o1", 2'000);
  duplicate.transaction_id = "T-other";
  CHECK_FALSE(insert(store, duplicate));
  CHECK(store.find_order(m, "o1")->value().created_at_ms == 1'000);

  const std::string other = unique_merchant("m");
  Order theirs = sample_order(other, "o1", 3'000);
  CHECK(insert(store, theirs));
  CHECK_FALSE(store.find_order(m, "missing")->has_value());
  CHECK_FALSE(store.find_order(unique_merchant("nobody"), "o1")->has_value());
}

TEST_CASE("payment repository: update writes the mutable state", "[payment][repo]") {
  const std::string kind = GENERATE("sqlite", "postgresql");
  OPP_OPEN_BACKEND_OR_SKIP(backend, kind);
  SociPaymentStore store(*backend.database);
  const std::string m = unique_merchant("m");
  Order order = sample_order(m, "o1", 1'000);
  REQUIRE(insert(store, order));
  REQUIRE(order.mark_paid({"payer", "ch-1"}, 1'500).ok());
  REQUIRE(order.apply_refund(7, 1'600).ok());
  REQUIRE(store.transact([&](PaymentTransaction& tx) { return tx.update_order(order); }).ok());
  const Order read = store.find_order(m, "o1")->value();
  CHECK(read.status == OrderStatus::kRefund);
  CHECK(read.refunded_amount == 7);
  CHECK(read.open_id == "payer");
  CHECK(read.out_transaction_id == "ch-1");
  CHECK(read.paid_at_ms == 1'500);
  CHECK(read.updated_at_ms == 1'600);
}

TEST_CASE("payment repository: one session's prepared statements answer every key",
          "[payment][repo]") {
  const std::string kind = GENERATE("sqlite", "postgresql");
  OPP_OPEN_BACKEND_OR_SKIP(backend, kind, 1);  // one session: every call reuses its statements
  INFO("backend " << backend.name);
  SociPaymentStore store(*backend.database);
  const std::string m = unique_merchant("m");
  for (int i = 0; i < 5; ++i) {
    REQUIRE(insert(store, sample_order(m, "o" + std::to_string(i), 1'000 + i)));
  }
  CHECK_FALSE(insert(store, sample_order(m, "o3", 9'999)));  // reused INSERT still sees conflicts
  for (int round = 0; round < 2; ++round) {
    for (int i = 4; i >= 0; --i) {
      const auto found = store.find_order(m, "o" + std::to_string(i));
      REQUIRE(found.ok());
      REQUIRE(found.value());
      CHECK(found.value()->created_at_ms == 1'000 + i);
      CHECK_FALSE(store.find_order(m, "none" + std::to_string(i))->has_value());
    }
  }
  Order paid = sample_order(m, "o2", 1'002);
  REQUIRE(paid.mark_paid({"payer", "ch-2"}, 1'500).ok());
  REQUIRE(store.transact([&](PaymentTransaction& tx) { return tx.update_order(paid); }).ok());
  CHECK(store.find_order(m, "o2")->value().status == OrderStatus::kSuccess);
  CHECK(store.find_order(m, "o1")->value().status == OrderStatus::kNotPay);

  // Prepared once each: the INSERT, the SELECT by key and the UPDATE.
  PreparedSession session(*backend.database);
  CHECK(session.prepared().size() == 3);
}

TEST_CASE("payment repository: a failing prepared statement is prepared again afterwards",
          "[payment][repo]") {
  OPP_OPEN_BACKEND_OR_SKIP(backend, "sqlite", 1);
  SociPaymentStore store(*backend.database);
  REQUIRE(insert(store, sample_order("m", "o1", 1'000)));
  REQUIRE(store.find_order("m", "o1")->has_value());
  {
    soci::session sql(backend.database->pool());
    sql << "ALTER TABLE orders RENAME TO orders_away";
  }
  const auto failed = store.find_order("m", "o1");
  REQUIRE_FALSE(failed.ok());
  CHECK(failed.error().sub_code == "storage-error");
  CHECK(PreparedSession(*backend.database).prepared().size() == 0);  // dropped, not kept
  {
    soci::session sql(backend.database->pool());
    sql << "ALTER TABLE orders_away RENAME TO orders";
  }
  const auto again = store.find_order("m", "o1");
  REQUIRE(again.ok());
  CHECK(again.value().has_value());
  CHECK(PreparedSession(*backend.database).prepared().size() == 1);
}

TEST_CASE("payment repository: SQLite writers of one process take turns", "[payment][repo]") {
  const std::string kind = GENERATE("sqlite", "postgresql");
  OPP_OPEN_BACKEND_OR_SKIP(backend, kind, 4);
  INFO("backend " << backend.name);
  Database& database = *backend.database;
  auto mine = database.write_turn();
  if (kind == "postgresql") {
    CHECK_FALSE(mine.owns_lock());  // row locks do the work there; writers run concurrently
    return;
  }
  REQUIRE(mine.owns_lock());
  // A second writer (a transaction) waits for the turn, in this process, instead of
  // meeting SQLite's lock and sleeping in its busy handler.
  SociPaymentStore store(database);
  const std::string m = unique_merchant("m");
  const Order order = sample_order(m, "o1", 1);
  auto second = std::async(std::launch::async, [&] {  // no Catch assertions off the main thread
    return store.transact([&](PaymentTransaction& tx) -> opp::Result<void> {
      auto inserted = tx.insert_order(order);
      if (!inserted) return std::move(inserted).error();
      return {};
    });
  });
  CHECK(second.wait_for(std::chrono::milliseconds(200)) == std::future_status::timeout);
  CHECK_FALSE(store.find_order(m, "o1")->has_value());  // readers are not held up
  mine.unlock();
  REQUIRE(second.wait_for(std::chrono::seconds(5)) == std::future_status::ready);
  CHECK(second.get().ok());
  CHECK(store.find_order(m, "o1")->has_value());
}

TEST_CASE("payment repository: a failed transaction leaves nothing behind", "[payment][repo]") {
  const std::string kind = GENERATE("sqlite", "postgresql");
  OPP_OPEN_BACKEND_OR_SKIP(backend, kind);
  SociPaymentStore store(*backend.database);
  SociNotificationOutbox outbox(*backend.database);
  const std::string m = unique_merchant("m");
  auto failed = store.transact([&](PaymentTransaction& tx) -> opp::Result<void> {
    REQUIRE(tx.insert_order(sample_order(m, "o1", 1'000)).value());
    REQUIRE(tx.enqueue_notification(m, "http://x/", "{}", 0).ok());
    return biz_error(BizCode::kRefundAmountExceeded, "changed my mind");
  });
  REQUIRE_FALSE(failed.ok());
  CHECK(static_cast<int>(failed.error().code) == 20005);
  CHECK_FALSE(store.find_order(m, "o1")->has_value());
  for (const auto& message : outbox.due(0, 1000)) CHECK(message.merchant_id != m);
}

TEST_CASE("payment repository: refunds round-trip, unique per merchant, listed by day",
          "[payment][repo]") {
  const std::string kind = GENERATE("sqlite", "postgresql");
  OPP_OPEN_BACKEND_OR_SKIP(backend, kind);
  SociPaymentStore store(*backend.database);
  const std::string m = unique_merchant("m");
  REQUIRE(insert(store, sample_order(m, "o1", 1'000)));
  REQUIRE(insert(store, sample_order(m, "o2", 90'000'000)));
  auto add = [&](const Refund& refund) {
    bool inserted = false;
    REQUIRE(store
                .transact([&](PaymentTransaction& tx) -> opp::Result<void> {
                  inserted = tx.insert_refund(refund).value();
                  return {};
                })
                .ok());
    return inserted;
  };
  CHECK(add(sample_refund(m, "o1", "r1", 2'000)));
  CHECK(add(sample_refund(m, "o1", "r2", 3'000)));
  Refund duplicate = sample_refund(m, "o2", "r1", 4'000);
  duplicate.refund_id = "R-dup";
  CHECK_FALSE(add(duplicate));

  const Refund read = store.find_refund(m, "r1")->value();
  CHECK(read.out_order_no == "o1");
  CHECK(read.refund_amount == 5);
  CHECK(read.status == RefundStatus::kSuccess);
  CHECK(read.reason == "broken cup");
  CHECK(read.refunded_at_ms == 2'001);
  CHECK_FALSE(store.find_refund(unique_merchant("x"), "r1")->has_value());

  const auto refunds = store.refunds_created_between(m, 0, 3'000).value();
  REQUIRE(refunds.size() == 1);
  CHECK(refunds[0].out_refund_no == "r1");
  const auto orders = store.orders_created_between(m, 0, 100'000'000).value();
  REQUIRE(orders.size() == 2);
  CHECK(orders[0].out_order_no == "o1");
  CHECK(store.orders_created_between(m, 1'001, 2'000).value().empty());
}

TEST_CASE("payment repository: notification outbox lifecycle", "[payment][repo]") {
  const std::string kind = GENERATE("sqlite", "postgresql");
  OPP_OPEN_BACKEND_OR_SKIP(backend, kind);
  SociPaymentStore store(*backend.database);
  SociNotificationOutbox outbox(*backend.database);
  const std::string m = unique_merchant("m");
  // Far-future times keep other tests' messages out of this test's view.
  const int64_t t0 = 4'000'000'000'000;
  auto mine = [&](int64_t now) {
    std::vector<OutboxMessage> out;
    for (auto& message : outbox.due(now, 10'000)) {
      if (message.merchant_id == m) out.push_back(message);
    }
    return out;
  };
  REQUIRE(store
              .transact([&](PaymentTransaction& tx) {
                return tx.enqueue_notification(m, "http://a/", R"({"n":1})", t0);
              })
              .ok());
  const int64_t second = outbox.enqueue(m, "http://b/", R"({"n":2})", t0 + 10);
  CHECK(second > 0);
  CHECK(mine(t0 - 1).empty());
  auto due = mine(t0 + 10);
  REQUIRE(due.size() == 2);
  CHECK(due[0].url == "http://a/");
  CHECK(due[0].body == R"({"n":1})");
  CHECK(due[0].attempts == 0);
  CHECK(due[0].created_at_ms == t0);
  CHECK(due[1].id == second);

  outbox.mark_delivered(due[0].id, t0 + 20);
  outbox.reschedule(second, 1, t0 + 5'000, "HTTP 500");
  CHECK(mine(t0 + 4'999).empty());
  due = mine(t0 + 5'000);
  REQUIRE(due.size() == 1);
  CHECK(due[0].attempts == 1);
  outbox.give_up(second, "24 h passed");
  CHECK(mine(t0 + 100'000'000).empty());
}

TEST_CASE("payment repository: racing inserts of one out_order_no create one row",
          "[payment][repo]") {
  const std::string kind = GENERATE("sqlite", "postgresql");
  OPP_OPEN_BACKEND_OR_SKIP(backend, kind, 8);
  SociPaymentStore store(*backend.database);
  const std::string m = unique_merchant("m");
  std::atomic<int> created{0}, failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 16; ++t) {
    threads.emplace_back([&, t] {
      Order order = sample_order(m, "race", 1'000 + t);
      order.transaction_id += "-" + std::to_string(t);
      bool inserted = false;
      auto done = store.transact([&](PaymentTransaction& tx) -> opp::Result<void> {
        auto r = tx.insert_order(order);
        if (!r) return std::move(r).error();
        inserted = r.value();
        return {};
      });
      if (!done) ++failures;
      if (inserted) ++created;
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(failures == 0);
  CHECK(created == 1);
}

TEST_CASE("payment repository: the use cases on SQL never refund more than the total",
          "[payment][repo]") {
  const std::string kind = GENERATE("sqlite", "postgresql");
  OPP_OPEN_BACKEND_OR_SKIP(backend, kind, 8);
  SociPaymentStore store(*backend.database);
  FakeClock clock(1'795'756'320'000);
  struct UniqueIds final : IdGenerator {
    std::atomic<int> n{0};
    std::string prefix = unique_merchant("id");
    std::string transaction_id(int64_t) override { return prefix + "T" + std::to_string(++n); }
    std::string refund_id(int64_t) override { return prefix + "R" + std::to_string(++n); }
  } ids;
  PaymentService service(store, make_sandbox_channels(), clock, ids);
  const std::string m = unique_merchant("m");
  QRPayCommand pay{m, "o1", 1'000, "134567890123456789", "", "", ""};
  REQUIRE(service.qr_pay(pay).ok());

  std::atomic<int> succeeded{0}, exceeded{0}, other{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 5; ++i) {
        RefundCommand command{m, "o1", "r" + std::to_string(t * 10 + i), 30, ""};
        auto r = service.refund(command);
        if (r.ok()) {
          ++succeeded;
        } else if (biz_code_of(r.error()) == BizCode::kRefundAmountExceeded) {
          ++exceeded;
        } else {
          ++other;
          UNSCOPED_INFO(r.error().message);
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(other == 0);
  CHECK(succeeded == 33);
  CHECK(exceeded == 7);
  CHECK(service.query_order({m, "o1"})->refunded_amount == 990);
  CHECK(store.refunds_created_between(m, 0, 4'000'000'000'000)->size() == 33);
}

TEST_CASE("payment repository: a dropped PostgreSQL connection is replaced", "[payment][repo]") {
  OPP_POSTGRES_URL_OR_SKIP(env);
  // A unique application_name lets this test end its own connection and no other.
  const std::string app = unique_merchant("opp_heal");
  auto target = parse_database_url(std::string(env) + " application_name=" + app, "/");
  REQUIRE(target.ok());
  Database database(target.value(), 1);
  apply_migrations(database);
  SociPaymentStore store(database);
  const std::string m = unique_merchant("m");
  REQUIRE(insert(store, sample_order(m, "o1", 1'000)));

  Database admin(parse_database_url(env, "/").value(), 1);
  {
    soci::session sql(admin.pool());
    sql << "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = :a",
        soci::use(app);
  }
  auto during = store.find_order(m, "o1");  // may fail once: the connection is gone
  if (!during.ok()) CHECK(during.error().sub_code == "storage-error");
  auto after = store.find_order(m, "o1");
  REQUIRE(after.ok());
  CHECK(after.value().has_value());
}
