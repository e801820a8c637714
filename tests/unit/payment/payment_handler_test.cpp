// The Thrift handler: field mapping, absent fields, business errors -> BizError,
// platform failures -> a plain exception (answered as TApplicationException).
#include <catch2/catch.hpp>

#include "fakes.hpp"
#include "payment/transport/payment_handler.hpp"

using namespace opp::payment;
using opp::payment::testing::ServiceFixture;
namespace gen = ::opp::payment::thrift;

namespace {

gen::QRPayReq qr_req(const std::string& no) {
  gen::QRPayReq req;
  req.__set_merchant_id("m1");
  req.__set_out_order_no(no);
  req.__set_total_amount(300);
  // __set_ does not mark default-requiredness fields; decoding from the wire does.
  req.__isset.total_amount = true;
  req.__set_auth_code("2512345678901234");
  return req;
}

}  // namespace

TEST_CASE("payment: handler maps results onto the generated types", "[payment][transport]") {
  ServiceFixture f;
  transport::PaymentHandler handler(f.service);
  gen::QRPayResp paid;
  handler.QRPay(paid, qr_req("q1"));
  CHECK(paid.merchant_id == "m1");
  CHECK(paid.order_status == 1);
  CHECK(paid.pay_way == "alipay");
  CHECK(paid.transaction_id == "T1");
  CHECK(paid.paid_at == "2026-11-27T05:12:00Z");
  CHECK(paid.open_id == "payer_2512345678901234");

  gen::RefundReq refund;
  refund.__set_merchant_id("m1");
  refund.__set_out_order_no("q1");
  refund.__set_out_refund_no("r1");
  refund.__set_refund_amount(100);
  refund.__isset.refund_amount = true;
  gen::RefundResp refunded;
  handler.Refund(refunded, refund);
  CHECK(refunded.refund_status == 1);
  CHECK(refunded.refunded_total == 100);

  gen::QueryOrderReq query;
  query.__set_merchant_id("m1");
  query.__set_out_order_no("q1");
  gen::QueryOrderResp order;
  handler.QueryOrder(order, query);
  CHECK(order.order_status == 2);
  CHECK(order.refunded_amount == 100);
  CHECK(order.created_at == "2026-11-27T05:12:00Z");
  CHECK(order.closed_at.empty());
}

TEST_CASE("payment: handler turns business failures into BizError", "[payment][transport]") {
  ServiceFixture f;
  transport::PaymentHandler handler(f.service);
  gen::QRPayReq req = qr_req("q1");
  req.__isset.total_amount = false;  // as decoded from a call without the field
  gen::QRPayResp paid;
  try {
    handler.QRPay(paid, req);
    FAIL("expected BizError");
  } catch (const ::opp::common::thrift::BizError& e) {
    CHECK(e.code == 20009);
    CHECK(e.message == "total_amount: missing");
  }
  gen::QueryRefundReq query;
  query.__set_merchant_id("m1");
  query.__set_out_refund_no("none");
  gen::QueryRefundResp found;
  try {
    handler.QueryRefund(found, query);
    FAIL("expected BizError");
  } catch (const ::opp::common::thrift::BizError& e) {
    CHECK(e.code == 20008);
  }
}

TEST_CASE("payment: handler reports platform failures as plain exceptions",
          "[payment][transport]") {
  ServiceFixture f;
  transport::PaymentHandler handler(f.service);
  f.store.fail_next_transaction = true;
  gen::QRPayResp paid;
  bool biz = false, other = false;
  try {
    handler.QRPay(paid, qr_req("q1"));
  } catch (const ::opp::common::thrift::BizError&) {
    biz = true;
  } catch (const std::exception& e) {
    other = std::string(e.what()).starts_with("storage-error:");
  }
  CHECK_FALSE(biz);
  CHECK(other);
}
