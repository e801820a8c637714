#include "payment/usecase/notification_body.hpp"

#include "payment/entity/time_format.hpp"
#include "payment/usecase/json_fields.hpp"

namespace opp::payment {
namespace {

void put_order(JsonWriter& w, const Order& order) {
  put(w, "merchant_id", order.merchant_id);
  put(w, "out_order_no", order.out_order_no);
  put(w, "transaction_id", order.transaction_id);
  put(w, "out_transaction_id", order.out_transaction_id);
  put(w, "pay_way", order.pay_way);
  put(w, "order_status", static_cast<int64_t>(order.status));
  put(w, "total_amount", order.total_amount);
  put(w, "paid_at", format_rfc3339(order.paid_at_ms));
}

}  // namespace

std::string payment_success_body(const Order& order) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  put(w, "event", std::string("payment.success"));
  put_order(w, order);
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

std::string refund_success_body(const Order& order, const Refund& refund) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  put(w, "event", std::string("refund.success"));
  put_order(w, order);
  put(w, "out_refund_no", refund.out_refund_no);
  put(w, "refund_id", refund.refund_id);
  put(w, "refund_amount", refund.refund_amount);
  put(w, "refund_status", static_cast<int64_t>(refund.status));
  put(w, "refunded_total", order.refunded_amount);
  put(w, "refunded_at", format_rfc3339(refund.refunded_at_ms));
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace opp::payment
