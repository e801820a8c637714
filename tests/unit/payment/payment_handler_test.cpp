// The Thrift handler: field mapping, absent fields, business errors -> BizError,
// platform failures -> a plain exception (answered as TApplicationException).
#include <catch2/catch.hpp>

#include <thrift/protocol/TBinaryProtocol.h>
#include <thrift/transport/TBufferTransports.h>

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

namespace {

/// The BizError a handler call throws, or {0, ""} when it returns.
template <class Call>
::opp::common::thrift::BizError biz_error_of(Call call) {
  try {
    call();
  } catch (const ::opp::common::thrift::BizError& e) {
    return e;
  }
  ::opp::common::thrift::BizError none;
  none.code = 0;
  return none;
}

/// The request as the server decodes it from the wire: every field written is marked set.
template <class Req>
Req present(const Req& req) {
  auto buffer = std::make_shared<apache::thrift::transport::TMemoryBuffer>();
  apache::thrift::protocol::TBinaryProtocol protocol(buffer);
  req.write(&protocol);
  Req decoded;
  decoded.read(&protocol);
  return decoded;
}

}  // namespace

TEST_CASE("payment: every function names its missing required field (20009)",
          "[payment][transport]") {
  ServiceFixture f;
  transport::PaymentHandler handler(f.service);
  // SPEC §8: the required fields per function; merchant_id always.
  gen::UnifyPayReq unify;
  unify.merchant_id = "m1", unify.out_order_no = "o1", unify.total_amount = 5,
  unify.pay_way = "wxpay";
  gen::QRPayReq qr;
  qr.merchant_id = "m1", qr.out_order_no = "o1", qr.total_amount = 5,
  qr.auth_code = "134567890123456789";
  gen::QueryOrderReq query;
  query.merchant_id = "m1", query.out_order_no = "o1";
  gen::CloseOrderReq close;
  close.merchant_id = "m1", close.out_order_no = "o1";
  gen::RefundReq refund;
  refund.merchant_id = "m1", refund.out_order_no = "o1", refund.out_refund_no = "r1",
  refund.refund_amount = 5;
  gen::QueryRefundReq query_refund;
  query_refund.merchant_id = "m1", query_refund.out_refund_no = "r1";
  gen::DownloadBillReq bill;
  bill.merchant_id = "m1", bill.bill_date = "2026-11-27";

  auto missing = [&](const std::string& field, auto call) {
    INFO("missing " << field);
    const auto error = biz_error_of(call);
    CHECK(error.code == 20009);
    CHECK(error.message == field + ": missing");
  };
  auto without = [](auto req, auto change) {
    req = present(req);
    change(req);
    return req;
  };
  gen::UnifyPayResp unified;
  for (const char* field : {"merchant_id", "out_order_no", "pay_way"}) {
    missing(field, [&] {
      handler.UnifyPay(unified, without(unify, [&](auto& r) {
                         std::string(field) == "merchant_id"    ? r.merchant_id.clear()
                         : std::string(field) == "out_order_no" ? r.out_order_no.clear()
                                                                : r.pay_way.clear();
                       }));
    });
  }
  missing("total_amount", [&] {
    handler.UnifyPay(unified, without(unify, [](auto& r) { r.__isset.total_amount = false; }));
  });
  gen::QRPayResp paid;
  for (const char* field : {"merchant_id", "out_order_no", "auth_code"}) {
    missing(field, [&] {
      handler.QRPay(paid, without(qr, [&](auto& r) {
                      std::string(field) == "merchant_id"    ? r.merchant_id.clear()
                      : std::string(field) == "out_order_no" ? r.out_order_no.clear()
                                                             : r.auth_code.clear();
                    }));
    });
  }
  missing("total_amount", [&] {
    handler.QRPay(paid, without(qr, [](auto& r) { r.__isset.total_amount = false; }));
  });
  gen::QueryOrderResp order;
  missing("merchant_id", [&] {
    handler.QueryOrder(order, without(query, [](auto& r) { r.merchant_id.clear(); }));
  });
  missing("out_order_no", [&] {
    handler.QueryOrder(order, without(query, [](auto& r) { r.out_order_no.clear(); }));
  });
  gen::CloseOrderResp closed;
  missing("merchant_id", [&] {
    handler.CloseOrder(closed, without(close, [](auto& r) { r.merchant_id.clear(); }));
  });
  missing("out_order_no", [&] {
    handler.CloseOrder(closed, without(close, [](auto& r) { r.out_order_no.clear(); }));
  });
  gen::RefundResp refunded;
  for (const char* field : {"merchant_id", "out_order_no", "out_refund_no"}) {
    missing(field, [&] {
      handler.Refund(refunded, without(refund, [&](auto& r) {
                       std::string(field) == "merchant_id"    ? r.merchant_id.clear()
                       : std::string(field) == "out_order_no" ? r.out_order_no.clear()
                                                              : r.out_refund_no.clear();
                     }));
    });
  }
  missing("refund_amount", [&] {
    handler.Refund(refunded, without(refund, [](auto& r) { r.__isset.refund_amount = false; }));
  });
  gen::QueryRefundResp found;
  missing("merchant_id", [&] {
    handler.QueryRefund(found, without(query_refund, [](auto& r) { r.merchant_id.clear(); }));
  });
  missing("out_refund_no", [&] {
    handler.QueryRefund(found, without(query_refund, [](auto& r) { r.out_refund_no.clear(); }));
  });
  gen::DownloadBillResp statement;
  missing("merchant_id", [&] {
    handler.DownloadBill(statement, without(bill, [](auto& r) { r.merchant_id.clear(); }));
  });
  missing("bill_date", [&] {
    handler.DownloadBill(statement, without(bill, [](auto& r) { r.bill_date.clear(); }));
  });

  // The complete requests pass validation (QueryOrder etc. then find nothing).
  CHECK(biz_error_of([&] { handler.UnifyPay(unified, present(unify)); }).code == 0);
  CHECK(biz_error_of([&] { handler.QueryRefund(found, present(query_refund)); }).code == 20008);
  CHECK(biz_error_of([&] { handler.DownloadBill(statement, present(bill)); }).code == 0);
  CHECK(f.store.snapshot().orders.size() == 1);
}
