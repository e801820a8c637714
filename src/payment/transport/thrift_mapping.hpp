#pragma once
// Generated Thrift types <-> use-case commands and results. A field the caller did not
// send (unset on the wire) becomes an empty string / empty optional, which the use cases
// report as missing (20009).

#include "PaymentSvc.h"
#include "payment/usecase/commands.hpp"

namespace opp::payment::transport {

namespace gen = ::opp::payment::thrift;

UnifyPayCommand to_command(const gen::UnifyPayReq& req);
QRPayCommand to_command(const gen::QRPayReq& req);
OrderRef to_command(const gen::QueryOrderReq& req);
OrderRef to_command(const gen::CloseOrderReq& req);
RefundCommand to_command(const gen::RefundReq& req);
RefundRef to_command(const gen::QueryRefundReq& req);
BillRequest to_command(const gen::DownloadBillReq& req);

gen::UnifyPayResp to_unify_pay_resp(const Order& order);
gen::QRPayResp to_qr_pay_resp(const Order& order);
gen::QueryOrderResp to_query_order_resp(const Order& order);
gen::RefundResp to_refund_resp(const RefundReceipt& receipt);
gen::QueryRefundResp to_query_refund_resp(const RefundReceipt& receipt);
gen::DownloadBillResp to_download_bill_resp(const Bill& bill);

}  // namespace opp::payment::transport
