// SPEC §8: every query and update is scoped by merchant_id. Merchant B, using A's order
// and refund numbers through every function, never sees or changes A's data, and its own
// orders and refunds with the same numbers are independent of A's.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <ctime>
#include <random>

#include "payment_server.hpp"
#include "postgres_target.hpp"

using namespace opp::payment::testing;
using ::opp::common::thrift::BizError;

namespace {

template <class Call>
int biz_code_of(Call call) {
  try {
    call();
  } catch (const BizError& e) {
    return e.code;
  }
  return 0;
}

/// Calls on behalf of one merchant.
struct Merchant {
  std::string id;
  PaymentClient client;

  gen::QRPayResp qr_pay(const std::string& no, int64_t amount) {
    gen::QRPayReq req;
    req.__set_merchant_id(id);
    req.__set_out_order_no(no);
    req.__set_total_amount(amount);
    req.__set_auth_code("2812345678901234");
    gen::QRPayResp resp;
    client->QRPay(resp, req);
    return resp;
  }
  gen::UnifyPayResp unify_pay(const std::string& no, int64_t amount) {
    gen::UnifyPayReq req;
    req.__set_merchant_id(id);
    req.__set_out_order_no(no);
    req.__set_total_amount(amount);
    req.__set_pay_way("wxpay");
    gen::UnifyPayResp resp;
    client->UnifyPay(resp, req);
    return resp;
  }
  gen::QueryOrderResp query(const std::string& no) {
    gen::QueryOrderReq req;
    req.__set_merchant_id(id);
    req.__set_out_order_no(no);
    gen::QueryOrderResp resp;
    client->QueryOrder(resp, req);
    return resp;
  }
  void close(const std::string& no) {
    gen::CloseOrderReq req;
    req.__set_merchant_id(id);
    req.__set_out_order_no(no);
    gen::CloseOrderResp resp;
    client->CloseOrder(resp, req);
  }
  gen::RefundResp refund(const std::string& order, const std::string& no, int64_t amount) {
    gen::RefundReq req;
    req.__set_merchant_id(id);
    req.__set_out_order_no(order);
    req.__set_out_refund_no(no);
    req.__set_refund_amount(amount);
    gen::RefundResp resp;
    client->Refund(resp, req);
    return resp;
  }
  gen::QueryRefundResp query_refund(const std::string& no) {
    gen::QueryRefundReq req;
    req.__set_merchant_id(id);
    req.__set_out_refund_no(no);
    gen::QueryRefundResp resp;
    client->QueryRefund(resp, req);
    return resp;
  }
  gen::DownloadBillResp bill() {
    gen::DownloadBillReq req;
    req.__set_merchant_id(id);
    req.__set_bill_date(today_utc());
    gen::DownloadBillResp resp;
    client->DownloadBill(resp, req);
    return resp;
  }
};

}  // namespace

TEST_CASE("payment: merchant B can never see or change merchant A's orders and refunds",
          "[payment][integration]") {
  const std::string backend = GENERATE("sqlite", "postgresql");
  PaymentServerProcess::Options options;
  if (backend == "postgresql") {
    OPP_POSTGRES_URL_OR_SKIP(url);
    options.database = url;
  }
  INFO("backend " << backend);
  PaymentServerProcess server(options);
  server.start();
  // Unique per run: a PostgreSQL database outlives the test.
  const std::string run =
      std::to_string(std::time(nullptr)) + "-" + std::to_string(std::random_device{}() % 100000);
  Merchant a{"mA-" + run, server.connect()};
  Merchant b{"mB-" + run, server.connect()};

  REQUIRE(a.qr_pay("paid", 100).order_status == 1);
  REQUIRE(a.unify_pay("open", 70).order_status == 0);
  REQUIRE(a.refund("paid", "r1", 30).refunded_total == 30);

  // B reaches none of A's records, whatever the function.
  CHECK(biz_code_of([&] { b.query("paid"); }) == 20002);
  CHECK(biz_code_of([&] { b.query("open"); }) == 20002);
  CHECK(biz_code_of([&] { b.close("open"); }) == 20002);
  CHECK(biz_code_of([&] { b.refund("paid", "rB", 10); }) == 20002);
  CHECK(biz_code_of([&] { b.refund("paid", "r1", 30); }) == 20002);  // A's very refund
  CHECK(biz_code_of([&] { b.query_refund("r1"); }) == 20008);
  const auto empty_bill = b.bill();
  CHECK(empty_bill.order_count == 0);
  CHECK(empty_bill.refund_count == 0);
  CHECK(empty_bill.total_amount == 0);
  CHECK(empty_bill.csv.find("paid") == std::string::npos);

  // B's own records with A's numbers are new and independent (no 20001 / 20007).
  CHECK(b.unify_pay("open", 999).total_amount == 999);
  CHECK(b.qr_pay("paid", 500).order_status == 1);
  const auto b_refund = b.refund("paid", "r1", 50);
  CHECK(b_refund.refunded_total == 50);
  b.close("open");
  CHECK(b.query("open").order_status == 9);

  // A's records are exactly as A left them.
  const auto a_open = a.query("open");
  CHECK(a_open.order_status == 0);
  CHECK(a_open.total_amount == 70);
  const auto a_paid = a.query("paid");
  CHECK(a_paid.order_status == 2);
  CHECK(a_paid.total_amount == 100);
  CHECK(a_paid.refunded_amount == 30);
  const auto a_refund = a.query_refund("r1");
  CHECK(a_refund.refund_amount == 30);
  CHECK(a_refund.refund_id != b_refund.refund_id);
  CHECK(a.refund("paid", "r1", 30).refunded_total == 30);  // idempotent retry, A's total
  CHECK(a.query("paid").refunded_amount == 30);

  const auto a_bill = a.bill();
  CHECK(a_bill.order_count == 2);
  CHECK(a_bill.total_amount == 100);
  CHECK(a_bill.refund_count == 1);
  CHECK(a_bill.refund_amount == 30);
  const auto b_bill = b.bill();
  CHECK(b_bill.order_count == 2);
  CHECK(b_bill.total_amount == 500);
  CHECK(b_bill.refund_count == 1);
  CHECK(b_bill.refund_amount == 50);
  CHECK(server.stop() == 0);
}
