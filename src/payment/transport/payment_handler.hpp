#pragma once
// The PaymentSvc Thrift handler: maps each call onto a use case. Business failures
// become BizError{code, message}; platform failures (storage down, ...) propagate as an
// exception, which the Thrift processor answers with a TApplicationException.

#include "PaymentSvc.h"
#include "payment/usecase/payment_service.hpp"

namespace opp::payment::transport {

class PaymentHandler final : public ::opp::payment::thrift::PaymentSvcIf {
 public:
  explicit PaymentHandler(PaymentService& service) : service_(service) {}

  void UnifyPay(thrift::UnifyPayResp& out, const thrift::UnifyPayReq& req) override;
  void QRPay(thrift::QRPayResp& out, const thrift::QRPayReq& req) override;
  void QueryOrder(thrift::QueryOrderResp& out, const thrift::QueryOrderReq& req) override;
  void CloseOrder(thrift::CloseOrderResp& out, const thrift::CloseOrderReq& req) override;
  void Refund(thrift::RefundResp& out, const thrift::RefundReq& req) override;
  void QueryRefund(thrift::QueryRefundResp& out, const thrift::QueryRefundReq& req) override;
  void DownloadBill(thrift::DownloadBillResp& out, const thrift::DownloadBillReq& req) override;

 private:
  PaymentService& service_;
};

}  // namespace opp::payment::transport
