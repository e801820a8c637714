// Every function and business rule of SPEC §8 through the real opp-payment binary and a
// generated Thrift client.
#include <catch2/catch.hpp>

#include <soci/soci.h>

#include <algorithm>
#include <atomic>
#include <regex>
#include <set>
#include <thread>

#include "payment_server.hpp"

using namespace opp::payment::testing;
using ::opp::common::thrift::BizError;

namespace {

const char* kMerchant = "m100";
const std::regex kRfc3339(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z)");

gen::UnifyPayReq unify_req(const std::string& no, int64_t amount = 100,
                           const std::string& way = "wxpay") {
  gen::UnifyPayReq req;
  req.__set_merchant_id(kMerchant);
  req.__set_out_order_no(no);
  req.__set_total_amount(amount);
  req.__set_pay_way(way);
  req.__set_subject("coffee");
  req.__set_app_id("wx-app");
  return req;
}

gen::QRPayReq qr_req(const std::string& no, int64_t amount = 100,
                     const std::string& code = "134567890123456789") {
  gen::QRPayReq req;
  req.__set_merchant_id(kMerchant);
  req.__set_out_order_no(no);
  req.__set_total_amount(amount);
  req.__set_auth_code(code);
  return req;
}

gen::RefundReq refund_req(const std::string& order, const std::string& no, int64_t amount) {
  gen::RefundReq req;
  req.__set_merchant_id(kMerchant);
  req.__set_out_order_no(order);
  req.__set_out_refund_no(no);
  req.__set_refund_amount(amount);
  return req;
}

gen::QueryOrderReq query_req(const std::string& no, const std::string& merchant = kMerchant) {
  gen::QueryOrderReq req;
  req.__set_merchant_id(merchant);
  req.__set_out_order_no(no);
  return req;
}

/// Runs a call expected to fail with BizError; returns it.
template <class Call>
BizError biz_error_of(Call call) {
  try {
    call();
  } catch (const BizError& e) {
    return e;
  }
  FAIL("expected a BizError");
  return {};
}

/// UnifyPay(req) with merchant_id, out_order_no and pay_way but no total_amount field.
void unify_pay_without_amount(PaymentClient& client, const std::string& no) {
  namespace proto = ::apache::thrift::protocol;
  auto out = client->getOutputProtocol();
  out->writeMessageBegin("UnifyPay", proto::T_CALL, 1);
  out->writeStructBegin("PaymentSvc_UnifyPay_args");
  out->writeFieldBegin("req", proto::T_STRUCT, 1);
  out->writeStructBegin("UnifyPayReq");
  out->writeFieldBegin("out_order_no", proto::T_STRING, 1);
  out->writeString(no);
  out->writeFieldEnd();
  out->writeFieldBegin("merchant_id", proto::T_STRING, 4);
  out->writeString(kMerchant);
  out->writeFieldEnd();
  out->writeFieldBegin("pay_way", proto::T_STRING, 5);
  out->writeString("wxpay");
  out->writeFieldEnd();
  out->writeFieldStop();
  out->writeStructEnd();
  out->writeFieldEnd();
  out->writeFieldStop();
  out->writeStructEnd();
  out->writeMessageEnd();
  out->getTransport()->writeEnd();
  out->getTransport()->flush();
  gen::UnifyPayResp ignored;
  client->recv_UnifyPay(ignored);
}

}  // namespace

TEST_CASE("payment: UnifyPay, QueryOrder and CloseOrder over Thrift", "[payment][integration]") {
  PaymentServerProcess server;
  server.start();
  auto client = server.connect();

  gen::UnifyPayResp created;
  client->UnifyPay(created, unify_req("u1", 1234));
  CHECK(created.merchant_id == kMerchant);
  CHECK(created.out_order_no == "u1");
  CHECK(created.order_status == 0);
  CHECK(created.pay_way == "wxpay");
  CHECK(created.total_amount == 1234);
  CHECK_FALSE(created.transaction_id.empty());
  CHECK_FALSE(created.sub_merchant_id.empty());
  CHECK(created.jspay_info.find("\"prepay_id\":\"") != std::string::npos);
  CHECK(created.jspay_info.find("\"appId\":\"wx-app\"") != std::string::npos);
  CHECK(std::regex_match(created.created_at, kRfc3339));

  gen::UnifyPayResp again;
  client->UnifyPay(again, unify_req("u1", 1234));
  CHECK(again.transaction_id == created.transaction_id);
  CHECK(again.jspay_info == created.jspay_info);

  gen::QueryOrderResp order;
  client->QueryOrder(order, query_req("u1"));
  CHECK(order.order_status == 0);
  CHECK(order.total_amount == 1234);
  CHECK(order.refunded_amount == 0);
  CHECK(order.transaction_id == created.transaction_id);
  CHECK(order.created_at == created.created_at);
  CHECK(order.paid_at.empty());

  gen::CloseOrderReq close;
  close.__set_merchant_id(kMerchant);
  close.__set_out_order_no("u1");
  gen::CloseOrderResp closed;
  client->CloseOrder(closed, close);
  client->QueryOrder(order, query_req("u1"));
  CHECK(order.order_status == 9);
  CHECK(std::regex_match(order.closed_at, kRfc3339));
  client->CloseOrder(closed, close);  // CLOSED -> ok

  for (const char* way : {"alipay", "unionpay"}) {
    gen::UnifyPayResp other;
    client->UnifyPay(other, unify_req(std::string("u-") + way, 5, way));
    CHECK(other.pay_way == way);
    CHECK(other.jspay_info.find("prepay_id") != std::string::npos);
  }
}

TEST_CASE("payment: business codes 20001-20009 over Thrift", "[payment][integration]") {
  PaymentServerProcess server;
  server.start();
  auto client = server.connect();
  gen::UnifyPayResp unified;
  client->UnifyPay(unified, unify_req("o1", 100));
  gen::QRPayResp paid;
  client->QRPay(paid, qr_req("p1", 100));

  SECTION("20001 duplicate out_order_no") {
    auto e = biz_error_of([&] { client->UnifyPay(unified, unify_req("o1", 101)); });
    CHECK(e.code == 20001);
    CHECK(e.message.find("o1") != std::string::npos);
    CHECK(biz_error_of([&] { client->UnifyPay(unified, unify_req("o1", 100, "alipay")); }).code ==
          20001);
    CHECK(biz_error_of([&] {
            client->QRPay(paid, qr_req("p1", 100, "134567890123456788"));
          }).code == 20001);
  }
  SECTION("20002 order not found, also for another merchant") {
    gen::QueryOrderResp order;
    CHECK(biz_error_of([&] { client->QueryOrder(order, query_req("nope")); }).code == 20002);
    CHECK(biz_error_of([&] { client->QueryOrder(order, query_req("o1", "m200")); }).code == 20002);
    gen::RefundResp refund;
    CHECK(biz_error_of([&] { client->Refund(refund, refund_req("nope", "r1", 1)); }).code == 20002);
  }
  SECTION("20003 order status invalid") {
    gen::CloseOrderReq close;
    close.__set_merchant_id(kMerchant);
    close.__set_out_order_no("p1");
    gen::CloseOrderResp closed;
    auto e = biz_error_of([&] { client->CloseOrder(closed, close); });
    CHECK(e.code == 20003);
    CHECK(e.message == "order p1 is SUCCESS, cannot close");
    gen::RefundResp refund;
    CHECK(biz_error_of([&] { client->Refund(refund, refund_req("o1", "r1", 1)); }).code == 20003);
  }
  SECTION("20004 invalid amount") {
    CHECK(biz_error_of([&] { client->UnifyPay(unified, unify_req("o2", 0)); }).code == 20004);
    CHECK(biz_error_of([&] { client->QRPay(paid, qr_req("p2", 10'000'000'001)); }).code == 20004);
    gen::RefundResp refund;
    CHECK(biz_error_of([&] { client->Refund(refund, refund_req("p1", "r1", -1)); }).code == 20004);
  }
  SECTION("20005 refund amount exceeded") {
    gen::RefundResp refund;
    auto e = biz_error_of([&] { client->Refund(refund, refund_req("p1", "r1", 101)); });
    CHECK(e.code == 20005);
    CHECK(e.message.find("refundable 100") != std::string::npos);
  }
  SECTION("20006 payment declined, again on retry, order stored as PAYERROR") {
    auto e = biz_error_of([&] { client->QRPay(paid, qr_req("d1", 100, "134567890123450000")); });
    CHECK(e.code == 20006);
    CHECK(biz_error_of([&] {
            client->QRPay(paid, qr_req("d1", 100, "134567890123450000"));
          }).code == 20006);
    gen::QueryOrderResp order;
    client->QueryOrder(order, query_req("d1"));
    CHECK(order.order_status == 3);
  }
  SECTION("20007 duplicate out_refund_no, 20008 refund not found") {
    gen::RefundResp refund;
    client->Refund(refund, refund_req("p1", "r1", 10));
    CHECK(biz_error_of([&] { client->Refund(refund, refund_req("p1", "r1", 11)); }).code == 20007);
    gen::QueryRefundReq query;
    query.__set_merchant_id(kMerchant);
    query.__set_out_refund_no("r9");
    gen::QueryRefundResp found;
    CHECK(biz_error_of([&] { client->QueryRefund(found, query); }).code == 20008);
  }
  SECTION("20009 names the missing or malformed field") {
    // Generated clients always write default-requiredness fields; the gateway omits
    // absent ones, so write such a call by hand.
    auto e = biz_error_of([&] { unify_pay_without_amount(client, "o3"); });
    CHECK(e.code == 20009);
    CHECK(e.message == "total_amount: missing");
    gen::UnifyPayReq no_merchant = unify_req("o3");
    no_merchant.merchant_id.clear();
    CHECK(biz_error_of([&] { client->UnifyPay(unified, no_merchant); }).message ==
          "merchant_id: missing");
    CHECK(biz_error_of([&] { client->UnifyPay(unified, unify_req("bad/no")); }).message ==
          "out_order_no: expected 1-32 chars of [A-Za-z0-9_-]");
    CHECK(biz_error_of([&] { client->UnifyPay(unified, unify_req("o3", 1, "cash")); }).message ==
          "pay_way: expected wxpay, alipay or unionpay");
    CHECK(biz_error_of([&] {
            client->QRPay(paid, qr_req("p3", 1, "9912345678901234"));
          }).message.starts_with("auth_code: expected 16-24 digits"));
    CHECK(biz_error_of([&] { client->QRPay(paid, qr_req("p3", 1, "13456789")); }).code == 20009);
    gen::DownloadBillReq bill;
    bill.__set_merchant_id(kMerchant);
    bill.__set_bill_date("2026-13-01");
    gen::DownloadBillResp statement;
    CHECK(biz_error_of([&] { client->DownloadBill(statement, bill); }).message ==
          "bill_date: expected a date YYYY-MM-DD");
  }
}

TEST_CASE("payment: QRPay, Refund, QueryRefund and DownloadBill over Thrift",
          "[payment][integration]") {
  PaymentServerProcess server;
  server.start();
  auto client = server.connect();

  gen::QRPayResp paid;
  gen::QRPayReq pay = qr_req("q1", 500, "2812345678901234");
  pay.__set_notify_url("http://127.0.0.1:9/notify");
  client->QRPay(paid, pay);
  CHECK(paid.order_status == 1);
  CHECK(paid.pay_way == "alipay");
  CHECK_FALSE(paid.open_id.empty());
  CHECK_FALSE(paid.out_transaction_id.empty());
  CHECK(std::regex_match(paid.paid_at, kRfc3339));

  gen::RefundResp first, second, repeat;
  client->Refund(first, refund_req("q1", "r1", 200));
  CHECK(first.refund_status == 1);
  CHECK(first.refund_amount == 200);
  CHECK(first.refunded_total == 200);
  client->Refund(second, refund_req("q1", "r2", 300));
  CHECK(second.refunded_total == 500);
  client->Refund(repeat, refund_req("q1", "r1", 200));  // idempotent after a full refund
  CHECK(repeat.refund_id == first.refund_id);
  CHECK(repeat.refunded_total == 500);

  gen::QueryOrderResp order;
  client->QueryOrder(order, query_req("q1"));
  CHECK(order.order_status == 2);
  CHECK(order.refunded_amount == 500);
  CHECK(order.paid_at == paid.paid_at);
  CHECK(std::regex_match(order.created_at, kRfc3339));

  gen::QueryRefundReq query;
  query.__set_merchant_id(kMerchant);
  query.__set_out_refund_no("r2");
  gen::QueryRefundResp found;
  client->QueryRefund(found, query);
  CHECK(found.out_order_no == "q1");
  CHECK(found.refund_amount == 300);
  CHECK(found.refund_status == 1);
  CHECK(std::regex_match(found.refunded_at, kRfc3339));

  gen::DownloadBillReq bill;
  bill.__set_merchant_id(kMerchant);
  bill.__set_bill_date(today_utc());
  gen::DownloadBillResp statement;
  client->DownloadBill(statement, bill);
  CHECK(statement.bill_date == today_utc());
  CHECK(statement.order_count == 1);
  CHECK(statement.total_amount == 500);
  CHECK(statement.refund_count == 2);
  CHECK(statement.refund_amount == 500);
  CHECK(statement.csv.starts_with(
      "record_type,out_order_no,out_refund_no,transaction_id,pay_way,status,amount,created_at,"
      "finished_at\norder,q1,,"));
  CHECK(std::count(statement.csv.begin(), statement.csv.end(), '\n') == 4);

  bill.__set_merchant_id("m200");
  client->DownloadBill(statement, bill);
  CHECK(statement.order_count == 0);
  CHECK(statement.csv.find('\n') == statement.csv.size() - 1);  // header only
}

TEST_CASE("payment: an unpaid order past its expiration reads CLOSED", "[payment][integration]") {
  PaymentServerProcess server;
  server.start();
  auto client = server.connect();
  gen::UnifyPayReq req = unify_req("e1");
  req.__set_order_expiration(1);
  gen::UnifyPayResp created;
  client->UnifyPay(created, req);
  // Move the expiry into the past rather than waiting a minute.
  *server.sql()
      << "UPDATE orders SET expire_at_ms = expire_at_ms - 61000 WHERE out_order_no = 'e1'";
  gen::QueryOrderResp order;
  client->QueryOrder(order, query_req("e1"));
  CHECK(order.order_status == 9);
  gen::QRPayResp paid;
  CHECK(biz_error_of([&] { client->QRPay(paid, qr_req("e1")); }).code == 20001);
  gen::RefundResp refund;
  CHECK(biz_error_of([&] { client->Refund(refund, refund_req("e1", "r1", 1)); }).code == 20003);
}

TEST_CASE("payment: 16 clients racing one out_order_no create exactly one order",
          "[payment][integration]") {
  PaymentServerProcess server({"framed", "binary", 8});
  server.start();
  for (const bool barcode : {false, true}) {
    const std::string no = barcode ? "race-qr" : "race-unify";
    std::vector<std::thread> threads;
    std::mutex mutex;
    std::set<std::string> transaction_ids;
    std::atomic<int> errors{0};
    for (int t = 0; t < 16; ++t) {
      threads.emplace_back([&] {
        try {
          auto client = server.connect();
          std::string id;
          if (barcode) {
            gen::QRPayResp r;
            client->QRPay(r, qr_req(no, 77));
            id = r.transaction_id;
          } else {
            gen::UnifyPayResp r;
            client->UnifyPay(r, unify_req(no, 77));
            id = r.transaction_id;
          }
          std::lock_guard lock(mutex);
          transaction_ids.insert(id);
        } catch (...) {
          ++errors;
        }
      });
    }
    for (auto& thread : threads) thread.join();
    INFO(no);
    CHECK(errors == 0);
    CHECK(transaction_ids.size() == 1);
  }
  int rows = 0;
  *server.sql() << "SELECT COUNT(*) FROM orders WHERE out_order_no LIKE 'race-%'", soci::into(rows);
  CHECK(rows == 2);
  CHECK(server.stop() == 0);  // a clean stop after concurrent load
}

TEST_CASE("payment: concurrent partial refunds never exceed the total", "[payment][integration]") {
  PaymentServerProcess server({"framed", "binary", 8});
  server.start();
  {
    auto client = server.connect();
    gen::QRPayResp paid;
    client->QRPay(paid, qr_req("big", 1000));
  }
  std::atomic<int> succeeded{0}, exceeded{0}, other{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      auto client = server.connect();
      for (int i = 0; i < 6; ++i) {
        try {
          gen::RefundResp r;
          client->Refund(r, refund_req("big", "r" + std::to_string(t * 10 + i), 70));
          ++succeeded;
        } catch (const BizError& e) {
          (e.code == 20005 ? exceeded : other)++;
        } catch (...) {
          ++other;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(other == 0);
  CHECK(succeeded == 14);  // 14 * 70 = 980 <= 1000 < 15 * 70
  CHECK(exceeded == 48 - 14);
  auto client = server.connect();
  gen::QueryOrderResp order;
  client->QueryOrder(order, query_req("big"));
  CHECK(order.refunded_amount == 980);
  CHECK(server.stop() == 0);
}
