#include "payment/infrastructure/sql/sql_rows.hpp"

#include <algorithm>
#include <memory>
#include <stdexcept>
#include <string_view>
#include <type_traits>

namespace opp::payment::sql {
namespace {

constexpr const char* kOrderColumns =
    "merchant_id, out_order_no, transaction_id, pay_way, auth_code, total_amount, "
    "refunded_amount, status, subject, app_id, sub_open_id, notify_url, client_ip, "
    "sub_merchant_id, jspay_info, open_id, out_transaction_id, created_at_ms, expire_at_ms, "
    "paid_at_ms, closed_at_ms, updated_at_ms";

constexpr const char* kRefundColumns =
    "merchant_id, out_refund_no, out_order_no, refund_id, refund_amount, refund_status, reason, "
    "created_at_ms, refunded_at_ms";

/// SOCI-bindable mirror of an Order (SOCI speaks long long and int, not int64_t/int8_t).
struct OrderRow {
  std::string merchant_id, out_order_no, transaction_id, pay_way, auth_code;
  long long total_amount = 0, refunded_amount = 0;
  int status = 0;
  std::string subject, app_id, sub_open_id, notify_url, client_ip;
  std::string sub_merchant_id, jspay_info, open_id, out_transaction_id;
  long long created_at_ms = 0, expire_at_ms = 0, paid_at_ms = 0, closed_at_ms = 0,
            updated_at_ms = 0;

  template <class Bind>
  void each(Bind bind) {
    bind(merchant_id), bind(out_order_no), bind(transaction_id), bind(pay_way), bind(auth_code);
    bind(total_amount), bind(refunded_amount), bind(status);
    bind(subject), bind(app_id), bind(sub_open_id), bind(notify_url), bind(client_ip);
    bind(sub_merchant_id), bind(jspay_info), bind(open_id), bind(out_transaction_id);
    bind(created_at_ms), bind(expire_at_ms), bind(paid_at_ms), bind(closed_at_ms);
    bind(updated_at_ms);
  }

  static OrderRow from(const Order& o) {
    return {o.merchant_id,
            o.out_order_no,
            o.transaction_id,
            o.pay_way,
            o.auth_code,
            o.total_amount,
            o.refunded_amount,
            static_cast<int>(o.status),
            o.subject,
            o.app_id,
            o.sub_open_id,
            o.notify_url,
            o.client_ip,
            o.sub_merchant_id,
            o.jspay_info,
            o.open_id,
            o.out_transaction_id,
            o.created_at_ms,
            o.expire_at_ms,
            o.paid_at_ms,
            o.closed_at_ms,
            o.updated_at_ms};
  }

  Order to_entity() const {
    Order o;
    o.merchant_id = merchant_id, o.out_order_no = out_order_no;
    o.transaction_id = transaction_id, o.pay_way = pay_way, o.auth_code = auth_code;
    o.total_amount = total_amount, o.refunded_amount = refunded_amount;
    o.status = static_cast<OrderStatus>(status);
    o.subject = subject, o.app_id = app_id, o.sub_open_id = sub_open_id;
    o.notify_url = notify_url, o.client_ip = client_ip;
    o.sub_merchant_id = sub_merchant_id, o.jspay_info = jspay_info;
    o.open_id = open_id, o.out_transaction_id = out_transaction_id;
    o.created_at_ms = created_at_ms, o.expire_at_ms = expire_at_ms;
    o.paid_at_ms = paid_at_ms, o.closed_at_ms = closed_at_ms, o.updated_at_ms = updated_at_ms;
    return o;
  }
};

/// The columns an order's transition changes, in the order of update_order's placeholders.
struct OrderUpdateRow {
  int status = 0;
  long long refunded_amount = 0;
  std::string open_id, out_transaction_id;
  long long paid_at_ms = 0, closed_at_ms = 0, updated_at_ms = 0;
  std::string merchant_id, out_order_no;

  template <class Bind>
  void each(Bind bind) {
    bind(status), bind(refunded_amount), bind(open_id), bind(out_transaction_id);
    bind(paid_at_ms), bind(closed_at_ms), bind(updated_at_ms), bind(merchant_id);
    bind(out_order_no);
  }

  static OrderUpdateRow from(const Order& o) {
    return {static_cast<int>(o.status),
            o.refunded_amount,
            o.open_id,
            o.out_transaction_id,
            o.paid_at_ms,
            o.closed_at_ms,
            o.updated_at_ms,
            o.merchant_id,
            o.out_order_no};
  }
};

struct RefundRow {
  std::string merchant_id, out_refund_no, out_order_no, refund_id;
  long long refund_amount = 0;
  int refund_status = 0;
  std::string reason;
  long long created_at_ms = 0, refunded_at_ms = 0;

  template <class Bind>
  void each(Bind bind) {
    bind(merchant_id), bind(out_refund_no), bind(out_order_no), bind(refund_id);
    bind(refund_amount), bind(refund_status), bind(reason), bind(created_at_ms);
    bind(refunded_at_ms);
  }

  static RefundRow from(const Refund& r) {
    return {r.merchant_id, r.out_refund_no, r.out_order_no,
            r.refund_id,   r.refund_amount, static_cast<int>(r.status),
            r.reason,      r.created_at_ms, r.refunded_at_ms};
  }

  Refund to_entity() const {
    Refund r;
    r.merchant_id = merchant_id, r.out_refund_no = out_refund_no, r.out_order_no = out_order_no;
    r.refund_id = refund_id, r.refund_amount = refund_amount;
    r.status = static_cast<RefundStatus>(refund_status), r.reason = reason;
    r.created_at_ms = created_at_ms, r.refunded_at_ms = refunded_at_ms;
    return r;
  }
};

/// A SELECT kept prepared: the row it fetches into and the parameters it reads.
template <class Row>
struct PreparedSelect final : PreparedStatements::Entry {
  PreparedSelect(soci::session& session, const std::string& query, const Params& shape)
      : params(shape), statement(session) {
    row.each([&](auto& column) { statement.exchange(soci::into(column)); });
    for (Param& param : params) {
      std::visit([&](auto& value) { statement.exchange(soci::use(value)); }, param);
    }
    statement.alloc();
    statement.prepare(query);
    statement.define_and_bind();
  }

  Row row;
  Params params;
  soci::statement statement;
};

/// An INSERT/UPDATE kept prepared, reading every member of `row`.
template <class Row>
struct PreparedWrite final : PreparedStatements::Entry {
  PreparedWrite(soci::session& session, const std::string& query) : statement(session) {
    row.each([&](auto& column) { statement.exchange(soci::use(column)); });
    statement.alloc();
    statement.prepare(query);
    statement.define_and_bind();
  }

  Row row;
  soci::statement statement;
};

/// Copies the call's values into the variables a prepared statement is bound to. Their
/// addresses must not change, so the alternatives must match the ones it was made with.
void assign_params(Params& bound, const Params& values) {
  if (bound.size() != values.size()) throw std::logic_error("query called with another shape");
  for (size_t i = 0; i < values.size(); ++i) {
    if (bound[i].index() != values[i].index()) {
      throw std::logic_error("query called with another parameter type");
    }
    std::visit([&](auto& target) { target = std::get<std::decay_t<decltype(target)>>(values[i]); },
               bound[i]);
  }
}

template <class Row, class Entity>
std::vector<Entity> select_rows(PreparedSession& session, const std::string& query,
                                const Params& params) {
  auto& prepared = session.prepared().get<PreparedSelect<Row>>(
      query, [&] { return std::make_unique<PreparedSelect<Row>>(session.sql(), query, params); });
  assign_params(prepared.params, params);
  prepared.statement.execute(false);
  std::vector<Entity> entities;
  // Fetching to the end also ends SQLite's implicit read transaction of the statement.
  while (prepared.statement.fetch()) entities.push_back(prepared.row.to_entity());
  return entities;
}

/// Executes an INSERT/UPDATE binding every member of `row`; returns the affected rows.
template <class Row>
long long execute_with_row(PreparedSession& session, const std::string& query, Row row) {
  auto& prepared = session.prepared().get<PreparedWrite<Row>>(
      query, [&] { return std::make_unique<PreparedWrite<Row>>(session.sql(), query); });
  prepared.row = std::move(row);
  prepared.statement.execute(true);
  return prepared.statement.get_affected_rows();
}

/// ":p0, :p1, ..." with one placeholder per column of a comma-separated list.
std::string placeholders(std::string_view columns) {
  const size_t count = static_cast<size_t>(std::count(columns.begin(), columns.end(), ',')) + 1;
  std::string list;
  for (size_t i = 0; i < count; ++i) list += (i == 0 ? ":p" : ", :p") + std::to_string(i);
  return list;
}

}  // namespace

std::vector<Order> select_orders(PreparedSession& session, const std::string& tail,
                                 const Params& params) {
  return select_rows<OrderRow, Order>(
      session, std::string("SELECT ") + kOrderColumns + " FROM orders " + tail, params);
}

std::vector<Refund> select_refunds(PreparedSession& session, const std::string& tail,
                                   const Params& params) {
  return select_rows<RefundRow, Refund>(
      session, std::string("SELECT ") + kRefundColumns + " FROM refunds " + tail, params);
}

bool insert_order(PreparedSession& session, const Order& order) {
  static const std::string query = std::string("INSERT INTO orders (") + kOrderColumns +
                                   ") VALUES (" + placeholders(kOrderColumns) +
                                   ") ON CONFLICT DO NOTHING";
  return execute_with_row(session, query, OrderRow::from(order)) == 1;
}

bool insert_refund(PreparedSession& session, const Refund& refund) {
  static const std::string query = std::string("INSERT INTO refunds (") + kRefundColumns +
                                   ") VALUES (" + placeholders(kRefundColumns) +
                                   ") ON CONFLICT DO NOTHING";
  return execute_with_row(session, query, RefundRow::from(refund)) == 1;
}

void update_order(PreparedSession& session, const Order& order) {
  // Only the columns a transition changes.
  static const std::string query =
      "UPDATE orders SET status = :status, refunded_amount = :refunded, "
      "open_id = :open_id, out_transaction_id = :out_transaction_id, "
      "paid_at_ms = :paid, closed_at_ms = :closed, updated_at_ms = :updated "
      "WHERE merchant_id = :merchant_id AND out_order_no = :out_order_no";
  execute_with_row(session, query, OrderUpdateRow::from(order));
}

long long insert_outbox_message(soci::session& session, const std::string& merchant_id,
                                const std::string& url, const std::string& body, long long now_ms) {
  long long id = 0;
  session << "INSERT INTO notification_outbox (merchant_id, url, body, attempts, "
             "next_attempt_at_ms, created_at_ms) VALUES (:m, :u, :b, 0, :due, :created) "
             "RETURNING id",
      soci::use(merchant_id), soci::use(url), soci::use(body), soci::use(now_ms), soci::use(now_ms),
      soci::into(id);
  return id;
}

}  // namespace opp::payment::sql
