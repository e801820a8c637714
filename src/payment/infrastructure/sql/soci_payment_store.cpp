#include "payment/infrastructure/sql/soci_payment_store.hpp"

#include <soci/soci.h>

#include "payment/infrastructure/sql/sql_rows.hpp"
#include "sql/session.hpp"

namespace opp::payment {
namespace {

const std::string kOrderByKey = "WHERE merchant_id = :m AND out_order_no = :o";
const std::string kRefundByKey = "WHERE merchant_id = :m AND out_refund_no = :r";
const std::string kCreatedBetween =
    "WHERE merchant_id = :m AND created_at_ms >= :b AND created_at_ms < :e "
    "ORDER BY created_at_ms, id";

using opp::sql::storage_error;
using opp::sql::with_session;

template <class T>
std::optional<T> first(std::vector<T> rows) {
  if (rows.empty()) return std::nullopt;
  return std::move(rows.front());
}

/// Runs a storage call, turning SOCI's exceptions into an error value at this boundary.
template <class F>
auto guarded(F&& call) -> Result<decltype(call())> {
  try {
    return call();
  } catch (const std::exception& e) {
    return storage_error(e);
  }
}

template <class F>
Result<void> guarded_void(F&& call) {
  try {
    call();
    return {};
  } catch (const std::exception& e) {
    return storage_error(e);
  }
}

class SociTransaction final : public PaymentTransaction {
 public:
  SociTransaction(soci::session& session, const Database& database)
      : session_(session), database_(database) {}

  Result<std::optional<Order>> find_order_for_update(const std::string& merchant_id,
                                                     const std::string& out_order_no) override {
    return guarded([&] {
      return first(sql::select_orders(session_, kOrderByKey + database_.lock_rows(),
                                      {merchant_id, out_order_no}));
    });
  }

  Result<bool> insert_order(const Order& order) override {
    return guarded([&] { return sql::insert_order(session_, order); });
  }

  Result<void> update_order(const Order& order) override {
    return guarded_void([&] { sql::update_order(session_, order); });
  }

  Result<std::optional<Refund>> find_refund(const std::string& merchant_id,
                                            const std::string& out_refund_no) override {
    return guarded([&] {
      return first(sql::select_refunds(session_, kRefundByKey, {merchant_id, out_refund_no}));
    });
  }

  Result<bool> insert_refund(const Refund& refund) override {
    return guarded([&] { return sql::insert_refund(session_, refund); });
  }

  Result<void> enqueue_notification(const std::string& merchant_id, const std::string& url,
                                    const std::string& body, int64_t now_ms) override {
    return guarded_void(
        [&] { sql::insert_outbox_message(session_, merchant_id, url, body, now_ms); });
  }

 private:
  soci::session& session_;
  const Database& database_;
};

}  // namespace

Result<void> SociPaymentStore::transact(const Work& work) {
  return opp::sql::in_write_transaction(database_, [&](soci::session& session) {
    SociTransaction transaction(session, database_);
    return work(transaction);
  });
}

Result<std::optional<Order>> SociPaymentStore::find_order(const std::string& merchant_id,
                                                          const std::string& out_order_no) {
  return with_session(database_, [&](soci::session& session) {
    return first(sql::select_orders(session, kOrderByKey, {merchant_id, out_order_no}));
  });
}

Result<std::optional<Refund>> SociPaymentStore::find_refund(const std::string& merchant_id,
                                                            const std::string& out_refund_no) {
  return with_session(database_, [&](soci::session& session) {
    return first(sql::select_refunds(session, kRefundByKey, {merchant_id, out_refund_no}));
  });
}

Result<std::vector<Order>> SociPaymentStore::orders_created_between(const std::string& merchant_id,
                                                                    int64_t begin_ms,
                                                                    int64_t end_ms) {
  return with_session(database_, [&](soci::session& session) {
    return sql::select_orders(
        session, kCreatedBetween,
        {merchant_id, static_cast<long long>(begin_ms), static_cast<long long>(end_ms)});
  });
}

Result<std::vector<Refund>> SociPaymentStore::refunds_created_between(
    const std::string& merchant_id, int64_t begin_ms, int64_t end_ms) {
  return with_session(database_, [&](soci::session& session) {
    return sql::select_refunds(
        session, kCreatedBetween,
        {merchant_id, static_cast<long long>(begin_ms), static_cast<long long>(end_ms)});
  });
}

}  // namespace opp::payment
