#include "payment/transport/payment_handler.hpp"

#include <stdexcept>

#include "payment/entity/biz_error.hpp"
#include "payment/transport/thrift_mapping.hpp"

namespace opp::payment::transport {
namespace {

[[noreturn]] void raise(const Error& error) {
  if (const auto code = biz_code_of(error)) {
    ::opp::common::thrift::BizError biz;
    biz.__set_code(static_cast<int32_t>(*code));
    biz.__set_message(error.message);
    throw biz;
  }
  throw std::runtime_error(error.sub_code + ": " + error.message);
}

/// The value of a successful result; throws its error otherwise (the Thrift boundary is
/// exception-based by design of the generated processor).
template <class T>
T take(Result<T>&& result) {
  if (!result) raise(result.error());
  return std::move(result).value();
}

}  // namespace

void PaymentHandler::UnifyPay(thrift::UnifyPayResp& out, const thrift::UnifyPayReq& req) {
  out = to_unify_pay_resp(take(service_.unify_pay(to_command(req))));
}

void PaymentHandler::QRPay(thrift::QRPayResp& out, const thrift::QRPayReq& req) {
  out = to_qr_pay_resp(take(service_.qr_pay(to_command(req))));
}

void PaymentHandler::QueryOrder(thrift::QueryOrderResp& out, const thrift::QueryOrderReq& req) {
  out = to_query_order_resp(take(service_.query_order(to_command(req))));
}

void PaymentHandler::CloseOrder(thrift::CloseOrderResp& out, const thrift::CloseOrderReq& req) {
  if (auto closed = service_.close_order(to_command(req)); !closed) raise(closed.error());
  out = thrift::CloseOrderResp();
}

void PaymentHandler::Refund(thrift::RefundResp& out, const thrift::RefundReq& req) {
  out = to_refund_resp(take(service_.refund(to_command(req))));
}

void PaymentHandler::QueryRefund(thrift::QueryRefundResp& out, const thrift::QueryRefundReq& req) {
  out = to_query_refund_resp(take(service_.query_refund(to_command(req))));
}

void PaymentHandler::DownloadBill(thrift::DownloadBillResp& out,
                                  const thrift::DownloadBillReq& req) {
  out = to_download_bill_resp(take(service_.download_bill(to_command(req))));
}

}  // namespace opp::payment::transport
