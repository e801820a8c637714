#include "payment/transport/thrift_mapping.hpp"

#include "payment/entity/time_format.hpp"

namespace opp::payment::transport {
namespace {

template <class T>
std::optional<T> if_set(bool isset, T value) {
  return isset ? std::optional<T>(value) : std::nullopt;
}

int8_t wire(OrderStatus status) {
  return static_cast<int8_t>(status);
}
int8_t wire(RefundStatus status) {
  return static_cast<int8_t>(status);
}

}  // namespace

UnifyPayCommand to_command(const gen::UnifyPayReq& req) {
  UnifyPayCommand c;
  c.merchant_id = req.merchant_id;
  c.out_order_no = req.out_order_no;
  c.total_amount = if_set<int64_t>(req.__isset.total_amount, req.total_amount);
  c.pay_way = req.pay_way;
  c.subject = req.subject;
  c.app_id = req.app_id;
  c.sub_open_id = req.sub_open_id;
  c.notify_url = req.notify_url;
  c.client_ip = req.client_ip;
  c.order_expiration = if_set<int32_t>(req.__isset.order_expiration, req.order_expiration);
  return c;
}

QRPayCommand to_command(const gen::QRPayReq& req) {
  QRPayCommand c;
  c.merchant_id = req.merchant_id;
  c.out_order_no = req.out_order_no;
  c.total_amount = if_set<int64_t>(req.__isset.total_amount, req.total_amount);
  c.auth_code = req.auth_code;
  c.subject = req.subject;
  c.notify_url = req.notify_url;
  c.client_ip = req.client_ip;
  return c;
}

OrderRef to_command(const gen::QueryOrderReq& req) {
  return {req.merchant_id, req.out_order_no};
}

OrderRef to_command(const gen::CloseOrderReq& req) {
  return {req.merchant_id, req.out_order_no};
}

RefundCommand to_command(const gen::RefundReq& req) {
  RefundCommand c;
  c.merchant_id = req.merchant_id;
  c.out_order_no = req.out_order_no;
  c.out_refund_no = req.out_refund_no;
  c.refund_amount = if_set<int64_t>(req.__isset.refund_amount, req.refund_amount);
  c.reason = req.reason;
  return c;
}

RefundRef to_command(const gen::QueryRefundReq& req) {
  return {req.merchant_id, req.out_refund_no};
}

BillRequest to_command(const gen::DownloadBillReq& req) {
  return {req.merchant_id, req.bill_date};
}

gen::UnifyPayResp to_unify_pay_resp(const Order& order) {
  gen::UnifyPayResp r;
  r.__set_merchant_id(order.merchant_id);
  r.__set_sub_merchant_id(order.sub_merchant_id);
  r.__set_out_order_no(order.out_order_no);
  r.__set_jspay_info(order.jspay_info);
  r.__set_pay_way(order.pay_way);
  r.__set_transaction_id(order.transaction_id);
  r.__set_order_status(wire(order.status));
  r.__set_total_amount(order.total_amount);
  r.__set_created_at(format_rfc3339(order.created_at_ms));
  r.__set_expire_at(format_rfc3339(order.expire_at_ms));
  return r;
}

gen::QRPayResp to_qr_pay_resp(const Order& order) {
  gen::QRPayResp r;
  r.__set_merchant_id(order.merchant_id);
  r.__set_out_order_no(order.out_order_no);
  r.__set_order_status(wire(order.status));
  r.__set_pay_way(order.pay_way);
  r.__set_open_id(order.open_id);
  r.__set_out_transaction_id(order.out_transaction_id);
  r.__set_transaction_id(order.transaction_id);
  r.__set_total_amount(order.total_amount);
  r.__set_paid_at(format_rfc3339(order.paid_at_ms));
  return r;
}

gen::QueryOrderResp to_query_order_resp(const Order& order) {
  gen::QueryOrderResp r;
  r.__set_out_order_no(order.out_order_no);
  r.__set_order_status(wire(order.status));
  r.__set_total_amount(order.total_amount);
  r.__set_refunded_amount(order.refunded_amount);
  r.__set_pay_way(order.pay_way);
  r.__set_transaction_id(order.transaction_id);
  r.__set_created_at(format_rfc3339(order.created_at_ms));
  r.__set_paid_at(format_rfc3339(order.paid_at_ms));
  r.__set_merchant_id(order.merchant_id);
  r.__set_out_transaction_id(order.out_transaction_id);
  r.__set_subject(order.subject);
  r.__set_expire_at(format_rfc3339(order.expire_at_ms));
  const int64_t closed_ms = order.status == OrderStatus::kClosed ? order.closed_time_ms() : 0;
  r.__set_closed_at(format_rfc3339(closed_ms));
  return r;
}

gen::RefundResp to_refund_resp(const RefundReceipt& receipt) {
  const Refund& refund = receipt.refund;
  gen::RefundResp r;
  r.__set_out_order_no(refund.out_order_no);
  r.__set_out_refund_no(refund.out_refund_no);
  r.__set_refund_amount(refund.refund_amount);
  r.__set_refund_status(wire(refund.status));
  r.__set_refunded_total(receipt.refunded_total);
  r.__set_refund_id(refund.refund_id);
  r.__set_merchant_id(refund.merchant_id);
  r.__set_created_at(format_rfc3339(refund.created_at_ms));
  return r;
}

gen::QueryRefundResp to_query_refund_resp(const RefundReceipt& receipt) {
  const Refund& refund = receipt.refund;
  gen::QueryRefundResp r;
  r.__set_out_order_no(refund.out_order_no);
  r.__set_out_refund_no(refund.out_refund_no);
  r.__set_refund_amount(refund.refund_amount);
  r.__set_refund_status(wire(refund.status));
  r.__set_refund_id(refund.refund_id);
  r.__set_merchant_id(refund.merchant_id);
  r.__set_created_at(format_rfc3339(refund.created_at_ms));
  r.__set_refunded_at(format_rfc3339(refund.refunded_at_ms));
  r.__set_reason(refund.reason);
  return r;
}

gen::DownloadBillResp to_download_bill_resp(const Bill& bill) {
  gen::DownloadBillResp r;
  r.__set_bill_date(bill.bill_date);
  r.__set_csv(bill.csv);
  r.__set_order_count(bill.order_count);
  r.__set_total_amount(bill.total_amount);
  r.__set_refund_count(bill.refund_count);
  r.__set_refund_amount(bill.refund_amount);
  return r;
}

}  // namespace opp::payment::transport
