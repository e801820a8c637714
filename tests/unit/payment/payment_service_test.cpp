// PaymentService use cases against in-memory fakes: every rule and business code of §8.
#include <catch2/catch.hpp>

#include <thread>

#include "fakes.hpp"

using namespace opp::payment;
using opp::payment::testing::ServiceFixture;

namespace {

template <class T>
int code_of(const opp::Result<T>& result) {
  return result.ok() ? 0 : static_cast<int>(result.error().code);
}

UnifyPayCommand unify(const std::string& no, int64_t amount = 100, std::string way = "wxpay") {
  UnifyPayCommand c;
  c.merchant_id = "m1";
  c.out_order_no = no;
  c.total_amount = amount;
  c.pay_way = std::move(way);
  c.subject = "coffee";
  c.notify_url = "http://127.0.0.1:9/notify";
  return c;
}

QRPayCommand qr(const std::string& no, int64_t amount = 100,
                std::string code = "134567890123456789") {
  QRPayCommand c;
  c.merchant_id = "m1";
  c.out_order_no = no;
  c.total_amount = amount;
  c.auth_code = std::move(code);
  c.notify_url = "https://merchant.example/notify";
  return c;
}

RefundCommand refund(const std::string& order, const std::string& no, int64_t amount) {
  RefundCommand c;
  c.merchant_id = "m1";
  c.out_order_no = order;
  c.out_refund_no = no;
  c.refund_amount = amount;
  return c;
}

}  // namespace

TEST_CASE("payment: UnifyPay creates a NOTPAY order with jspay_info", "[payment][usecase]") {
  ServiceFixture f;
  auto order = f.service.unify_pay(unify("o1"));
  REQUIRE(order.ok());
  CHECK(order->status == OrderStatus::kNotPay);
  CHECK(order->transaction_id == "T1");
  CHECK(order->jspay_info.find("\"prepay_id\"") != std::string::npos);
  CHECK(order->sub_merchant_id == "sub_m1");
  CHECK(order->expire_at_ms == ServiceFixture::kStart + 120 * 60'000);
  CHECK(f.wx->prepays == 1);
  CHECK(f.store.snapshot().orders.size() == 1);
  CHECK(f.store.snapshot().outbox.empty());
}

TEST_CASE("payment: UnifyPay is idempotent per out_order_no", "[payment][usecase]") {
  ServiceFixture f;
  REQUIRE(f.service.unify_pay(unify("o1")).ok());

  SECTION("the same request returns the existing order") {
    auto again = f.service.unify_pay(unify("o1"));
    REQUIRE(again.ok());
    CHECK(again->transaction_id == "T1");
    CHECK(f.wx->prepays == 1);
  }
  SECTION("a different amount is 20001") {
    auto other = f.service.unify_pay(unify("o1", 101));
    CHECK(code_of(other) == 20001);
    CHECK(other.error().sub_code == "duplicate-out-order-no");
  }
  SECTION("a different pay_way is 20001") {
    CHECK(code_of(f.service.unify_pay(unify("o1", 100, "alipay"))) == 20001);
  }
  SECTION("a barcode payment with the same number is 20001") {
    CHECK(code_of(f.service.qr_pay(qr("o1"))) == 20001);
  }
  SECTION("the retry shows the order as it is now (expired reads CLOSED)") {
    f.clock.advance_minutes(121);
    auto again = f.service.unify_pay(unify("o1"));
    REQUIRE(again.ok());
    CHECK(again->status == OrderStatus::kClosed);
  }
  SECTION("another merchant may use the same out_order_no") {
    auto command = unify("o1", 555);
    command.merchant_id = "m2";
    auto other = f.service.unify_pay(command);
    REQUIRE(other.ok());
    CHECK(other->total_amount == 555);
  }
}

TEST_CASE("payment: an order that could not be stored is never acknowledged",
          "[payment][usecase]") {
  ServiceFixture f;
  f.store.reject_next_insert = true;
  auto unified = f.service.unify_pay(unify("o1"));
  REQUIRE_FALSE(unified.ok());
  CHECK_FALSE(biz_code_of(unified.error()));
  CHECK(unified.error().sub_code == "storage-conflict");
  f.store.reject_next_insert = true;
  auto paid = f.service.qr_pay(qr("q1"));
  REQUIRE_FALSE(paid.ok());
  CHECK(paid.error().sub_code == "storage-conflict");
  CHECK(f.wx->charges == 0);
  CHECK(f.store.snapshot().orders.empty());
}

TEST_CASE("payment: UnifyPay validates every field", "[payment][usecase]") {
  ServiceFixture f;
  auto with = [&](auto change) {
    auto command = unify("o1");
    change(command);
    return f.service.unify_pay(command);
  };
  auto missing_merchant = with([](auto& c) { c.merchant_id.clear(); });
  CHECK(code_of(missing_merchant) == 20009);
  CHECK(missing_merchant.error().message == "merchant_id: missing");
  CHECK(with([](auto& c) { c.out_order_no.clear(); }).error().message == "out_order_no: missing");
  CHECK(with([](auto& c) { c.out_order_no = "bad no"; })
            .error()
            .message.starts_with("out_order_no:"));
  CHECK(with([](auto& c) { c.out_order_no = std::string(33, 'a'); }).error().path ==
        "out_order_no");
  CHECK(with([](auto& c) { c.total_amount.reset(); }).error().message == "total_amount: missing");
  CHECK(code_of(with([](auto& c) { c.total_amount = 0; })) == 20004);
  CHECK(code_of(with([](auto& c) { c.total_amount = -5; })) == 20004);
  CHECK(code_of(with([](auto& c) { c.total_amount = 10'000'000'001; })) == 20004);
  CHECK(code_of(with([](auto& c) { c.total_amount = 10'000'000'000; })) == 0);
  CHECK(with([](auto& c) { c.pay_way.clear(); }).error().message == "pay_way: missing");
  CHECK(with([](auto& c) { c.pay_way = "paypal"; }).error().path == "pay_way");
  CHECK(with([](auto& c) { c.notify_url = "ftp://x"; }).error().path == "notify_url");
  CHECK(with([](auto& c) { c.order_expiration = -1; }).error().path == "order_expiration");
  CHECK(with([](auto& c) { c.order_expiration = 43'201; }).error().path == "order_expiration");
  CHECK(with([](auto& c) { c.subject = std::string(300, 's'); }).error().path == "subject");
  CHECK(with([](auto& c) { c.subject = "caf\xC3"; }).error().message ==
        "subject: expected valid UTF-8");
  CHECK(with([](auto& c) { c.app_id = "\xFF"; }).error().path == "app_id");
  CHECK(f.store.snapshot().orders.size() == 1);  // only the valid 10^10 one
}

TEST_CASE("payment: order_expiration decides when an unpaid order reads CLOSED",
          "[payment][usecase]") {
  ServiceFixture f;
  auto command = unify("o1");
  command.order_expiration = 5;
  REQUIRE(f.service.unify_pay(command).ok());
  f.clock.advance_minutes(4);
  CHECK(f.service.query_order({"m1", "o1"})->status == OrderStatus::kNotPay);
  f.clock.advance_minutes(1);
  CHECK(f.service.query_order({"m1", "o1"})->status == OrderStatus::kClosed);
  CHECK(f.service.close_order({"m1", "o1"}).ok());
}

TEST_CASE("payment: QRPay settles at once", "[payment][usecase]") {
  ServiceFixture f;
  auto paid = f.service.qr_pay(qr("q1"));
  REQUIRE(paid.ok());
  CHECK(paid->status == OrderStatus::kSuccess);
  CHECK(paid->pay_way == "wxpay");
  CHECK(paid->paid_at_ms == ServiceFixture::kStart);
  CHECK(paid->open_id == "payer_134567890123456789");
  CHECK(paid->out_transaction_id == "ch_T1");

  SECTION("the success is notified in the same transaction") {
    const auto state = f.store.snapshot();
    REQUIRE(state.outbox.size() == 1);
    CHECK(state.outbox[0].url == "https://merchant.example/notify");
    CHECK(state.outbox[0].body.find("\"event\":\"payment.success\"") != std::string::npos);
    CHECK(state.outbox[0].body.find("\"out_order_no\":\"q1\"") != std::string::npos);
    CHECK(state.outbox[0].body.find("\"order_status\":1") != std::string::npos);
    CHECK(state.outbox[0].body.find("\"paid_at\":\"2026-11-27T05:12:00Z\"") != std::string::npos);
  }
  SECTION("a retry returns the order as it is now, without charging again") {
    REQUIRE(f.service.refund(refund("q1", "r1", 10)).ok());
    auto again = f.service.qr_pay(qr("q1"));
    REQUIRE(again.ok());
    CHECK(again->status == OrderStatus::kRefund);
    CHECK(f.wx->charges == 1);
  }
  SECTION("a different auth_code or total_amount is 20001") {
    CHECK(code_of(f.service.qr_pay(qr("q1", 100, "134567890123456788"))) == 20001);
    CHECK(code_of(f.service.qr_pay(qr("q1", 101))) == 20001);
    CHECK(f.wx->charges == 1);
  }
  SECTION("no notify_url, no notification") {
    auto command = qr("q2");
    command.notify_url.clear();
    REQUIRE(f.service.qr_pay(command).ok());
    CHECK(f.store.snapshot().outbox.size() == 1);
  }
}

TEST_CASE("payment: QRPay picks the channel by auth_code prefix", "[payment][usecase]") {
  ServiceFixture f;
  CHECK(f.service.qr_pay(qr("a", 1, "2812345678901234"))->pay_way == "alipay");
  CHECK(f.service.qr_pay(qr("u", 1, "6212345678901234"))->pay_way == "unionpay");
  CHECK(f.ali->charges == 1);
  CHECK(f.union_pay->charges == 1);
  auto unknown = f.service.qr_pay(qr("x", 1, "9912345678901234"));
  CHECK(code_of(unknown) == 20009);
  CHECK(unknown.error().path == "auth_code");
  CHECK(f.service.qr_pay(qr("y", 1, "")).error().message == "auth_code: missing");
  CHECK(code_of(f.service.qr_pay(qr("z", 0))) == 20004);
}

TEST_CASE("payment: a declined barcode is stored as PAYERROR and fails with 20006",
          "[payment][usecase]") {
  ServiceFixture f;
  auto declined = f.service.qr_pay(qr("d1", 100, "134567890123450000"));
  CHECK(code_of(declined) == 20006);
  CHECK(declined.error().sub_code == "payment-declined");
  CHECK(f.service.query_order({"m1", "d1"})->status == OrderStatus::kPayError);
  CHECK(f.store.snapshot().outbox.empty());

  SECTION("the retry fails with 20006 again, without charging again") {
    CHECK(code_of(f.service.qr_pay(qr("d1", 100, "134567890123450000"))) == 20006);
    CHECK(f.wx->charges == 1);
  }
  SECTION("PAYERROR can be neither closed nor refunded") {
    CHECK(code_of(f.service.close_order({"m1", "d1"})) == 20003);
    CHECK(code_of(f.service.refund(refund("d1", "r1", 1))) == 20003);
  }
}

TEST_CASE("payment: QueryOrder is scoped by merchant", "[payment][usecase]") {
  ServiceFixture f;
  REQUIRE(f.service.qr_pay(qr("q1", 250)).ok());
  auto found = f.service.query_order({"m1", "q1"});
  REQUIRE(found.ok());
  CHECK(found->total_amount == 250);
  CHECK(found->refunded_amount == 0);
  CHECK(code_of(f.service.query_order({"m2", "q1"})) == 20002);
  CHECK(code_of(f.service.query_order({"m1", "nope"})) == 20002);
  CHECK(f.service.query_order({"m1", "nope"}).error().sub_code == "order-not-found");
  CHECK(f.service.query_order({"", "q1"}).error().message == "merchant_id: missing");
  CHECK(f.service.query_order({"m1", ""}).error().message == "out_order_no: missing");
}

TEST_CASE("payment: CloseOrder: NOTPAY closes, CLOSED is ok, others 20003", "[payment][usecase]") {
  ServiceFixture f;
  REQUIRE(f.service.unify_pay(unify("o1")).ok());
  REQUIRE(f.service.close_order({"m1", "o1"}).ok());
  CHECK(f.service.query_order({"m1", "o1"})->status == OrderStatus::kClosed);
  CHECK(f.service.close_order({"m1", "o1"}).ok());
  REQUIRE(f.service.qr_pay(qr("q1")).ok());
  auto paid = f.service.close_order({"m1", "q1"});
  CHECK(code_of(paid) == 20003);
  CHECK(paid.error().message == "order q1 is SUCCESS, cannot close");
  CHECK(code_of(f.service.close_order({"m1", "none"})) == 20002);
  CHECK(code_of(f.service.close_order({"m2", "o1"})) == 20002);
  SECTION("REFUND orders cannot be closed, CLOSED ones cannot be refunded") {
    REQUIRE(f.service.refund(refund("q1", "r1", 1)).ok());
    auto refunded = f.service.close_order({"m1", "q1"});
    CHECK(code_of(refunded) == 20003);
    CHECK(refunded.error().message == "order q1 is REFUND, cannot close");
    auto closed = f.service.refund(refund("o1", "r2", 1));
    CHECK(code_of(closed) == 20003);
    CHECK(closed.error().message == "order o1 is CLOSED, cannot refund");
  }
  SECTION("an expired order closes, then reads CLOSED with closed_at at the expiry") {
    REQUIRE(f.service.unify_pay(unify("o2")).ok());
    f.clock.advance_minutes(200);
    CHECK(code_of(f.service.refund(refund("o2", "r3", 1))) == 20003);
    REQUIRE(f.service.close_order({"m1", "o2"}).ok());
    const auto stored = f.store.snapshot().orders.at({"m1", "o2"});
    CHECK(stored.status == OrderStatus::kClosed);
    CHECK(stored.closed_at_ms == ServiceFixture::kStart + 120 * 60'000);
  }
  SECTION("a closed order cannot be paid by a retry either") {
    auto again = f.service.unify_pay(unify("o1"));
    REQUIRE(again.ok());
    CHECK(again->status == OrderStatus::kClosed);
  }
}

TEST_CASE("payment: Refund rules", "[payment][usecase]") {
  ServiceFixture f;
  REQUIRE(f.service.qr_pay(qr("q1", 100)).ok());

  SECTION("partial refunds accumulate up to the total") {
    auto first = f.service.refund(refund("q1", "r1", 30));
    REQUIRE(first.ok());
    CHECK(first->refund.status == RefundStatus::kSuccess);
    CHECK(first->refunded_total == 30);
    CHECK(first->refund.refund_id.starts_with("R"));
    auto order = f.service.query_order({"m1", "q1"});
    CHECK(order->status == OrderStatus::kRefund);
    CHECK(order->refunded_amount == 30);
    auto second = f.service.refund(refund("q1", "r2", 70));
    REQUIRE(second.ok());
    CHECK(second->refunded_total == 100);
    auto over = f.service.refund(refund("q1", "r3", 1));
    CHECK(code_of(over) == 20005);
    CHECK(over.error().sub_code == "refund-amount-exceeded");
  }
  SECTION("one refund larger than the total is 20005") {
    CHECK(code_of(f.service.refund(refund("q1", "r1", 101))) == 20005);
    CHECK(f.store.snapshot().refunds.empty());
  }
  SECTION("out_refund_no is idempotent") {
    REQUIRE(f.service.refund(refund("q1", "r1", 100)).ok());
    auto again = f.service.refund(refund("q1", "r1", 100));  // after a full refund
    REQUIRE(again.ok());
    CHECK(again->refunded_total == 100);
    CHECK(f.wx->refunds == 1);
    CHECK(code_of(f.service.refund(refund("q1", "r1", 99))) == 20007);
    REQUIRE(f.service.qr_pay(qr("q2", 100, "134567890123456780")).ok());
    auto other_order = f.service.refund(refund("q2", "r1", 100));
    CHECK(code_of(other_order) == 20007);
    CHECK(other_order.error().sub_code == "duplicate-out-refund-no");
  }
  SECTION("refund notifications carry the refund and the refunded total") {
    REQUIRE(f.service.refund(refund("q1", "r1", 40)).ok());
    const auto outbox = f.store.snapshot().outbox;
    REQUIRE(outbox.size() == 2);
    const std::string& body = outbox[1].body;
    CHECK(body.find("\"event\":\"refund.success\"") != std::string::npos);
    CHECK(body.find("\"out_refund_no\":\"r1\"") != std::string::npos);
    CHECK(body.find("\"refund_amount\":40") != std::string::npos);
    CHECK(body.find("\"refund_status\":1") != std::string::npos);
    CHECK(body.find("\"refunded_total\":40") != std::string::npos);
    CHECK(body.find("\"order_status\":2") != std::string::npos);
  }
  SECTION("unpaid or unknown orders") {
    REQUIRE(f.service.unify_pay(unify("o1")).ok());
    CHECK(code_of(f.service.refund(refund("o1", "r1", 1))) == 20003);
    CHECK(code_of(f.service.refund(refund("none", "r1", 1))) == 20002);
    auto other_merchant = refund("q1", "r1", 1);
    other_merchant.merchant_id = "m2";
    CHECK(code_of(f.service.refund(other_merchant)) == 20002);
  }
  SECTION("validation") {
    CHECK(f.service.refund(refund("q1", "", 1)).error().message == "out_refund_no: missing");
    CHECK(f.service.refund(refund("q1", "r 1", 1)).error().path == "out_refund_no");
    CHECK(code_of(f.service.refund(refund("q1", "r1", 0))) == 20004);
    auto no_amount = refund("q1", "r1", 1);
    no_amount.refund_amount.reset();
    CHECK(f.service.refund(no_amount).error().message == "refund_amount: missing");
    auto bad_reason = refund("q1", "r1", 1);
    bad_reason.reason = "\xED\xA0\x80";
    CHECK(f.service.refund(bad_reason).error().message == "reason: expected valid UTF-8");
  }
  SECTION("a failed channel refund is recorded FAILED and refunds nothing") {
    f.wx->refund_succeeds = false;
    auto failed = f.service.refund(refund("q1", "r1", 10));
    REQUIRE(failed.ok());
    CHECK(failed->refund.status == RefundStatus::kFailed);
    CHECK(failed->refunded_total == 0);
    CHECK(f.service.query_order({"m1", "q1"})->refunded_amount == 0);
  }
  SECTION("a storage failure is not a business error") {
    f.store.fail_next_transaction = true;
    auto failed = f.service.refund(refund("q1", "r1", 10));
    REQUIRE_FALSE(failed.ok());
    CHECK_FALSE(biz_code_of(failed.error()));
    CHECK(failed.error().sub_code == "storage-error");
  }
}

TEST_CASE("payment: concurrent partial refunds never exceed the total (fake store)",
          "[payment][usecase]") {
  ServiceFixture f;
  REQUIRE(f.service.qr_pay(qr("q1", 1000)).ok());
  std::atomic<int> succeeded{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 5; ++i) {
        auto r = f.service.refund(refund("q1", "r" + std::to_string(t * 10 + i), 30));
        if (r.ok()) ++succeeded;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(succeeded == 33);  // 33 * 30 = 990 <= 1000 < 34 * 30
  CHECK(f.service.query_order({"m1", "q1"})->refunded_amount == 990);
}

TEST_CASE("payment: QueryRefund", "[payment][usecase]") {
  ServiceFixture f;
  REQUIRE(f.service.qr_pay(qr("q1", 100)).ok());
  REQUIRE(f.service.refund(refund("q1", "r1", 25)).ok());
  auto found = f.service.query_refund({"m1", "r1"});
  REQUIRE(found.ok());
  CHECK(found->refund.out_order_no == "q1");
  CHECK(found->refund.refund_amount == 25);
  CHECK(found->refund.status == RefundStatus::kSuccess);
  CHECK(found->refunded_total == 25);
  CHECK(code_of(f.service.query_refund({"m1", "r2"})) == 20008);
  CHECK(f.service.query_refund({"m1", "r2"}).error().sub_code == "refund-not-found");
  CHECK(code_of(f.service.query_refund({"m2", "r1"})) == 20008);
  CHECK(f.service.query_refund({"m1", ""}).error().message == "out_refund_no: missing");
}

TEST_CASE("payment: DownloadBill lists the day's orders and refunds with totals",
          "[payment][usecase]") {
  ServiceFixture f;  // 2026-11-27T05:12:00Z
  REQUIRE(f.service.qr_pay(qr("paid", 100)).ok());
  REQUIRE(f.service.unify_pay(unify("open", 40)).ok());
  REQUIRE(f.service.qr_pay(qr("refunded", 300, "134567890123456780")).ok());
  REQUIRE(f.service.refund(refund("refunded", "r1", 50)).ok());
  CHECK(code_of(f.service.qr_pay(qr("declined", 7, "134567890123450000"))) == 20006);
  auto other = unify("foreign", 999);
  other.merchant_id = "m2";
  REQUIRE(f.service.unify_pay(other).ok());
  f.clock.advance_minutes(24 * 60);  // the next day
  REQUIRE(f.service.qr_pay(qr("tomorrow", 5, "134567890123456781")).ok());
  REQUIRE(f.service.refund(refund("paid", "r2", 10)).ok());

  auto bill = f.service.download_bill({"m1", "2026-11-27"});
  REQUIRE(bill.ok());
  CHECK(bill->bill_date == "2026-11-27");
  CHECK(bill->order_count == 4);
  CHECK(bill->total_amount == 400);  // paid (now REFUND) + refunded; not open/declined
  CHECK(bill->refund_count == 1);
  CHECK(bill->refund_amount == 50);
  CHECK(bill->csv ==
        "record_type,out_order_no,out_refund_no,transaction_id,pay_way,status,amount,created_at,"
        "finished_at\n"
        "order,paid,,T1,wxpay,REFUND,100,2026-11-27T05:12:00Z,2026-11-27T05:12:00Z\n"
        "order,open,,T2,wxpay,CLOSED,40,2026-11-27T05:12:00Z,2026-11-27T07:12:00Z\n"
        "order,refunded,,T3,wxpay,REFUND,300,2026-11-27T05:12:00Z,2026-11-27T05:12:00Z\n"
        "order,declined,,T5,wxpay,PAYERROR,7,2026-11-27T05:12:00Z,\n"
        "refund,refunded,r1,R4,,SUCCESS,50,2026-11-27T05:12:00Z,2026-11-27T05:12:00Z\n");

  auto next_day = f.service.download_bill({"m1", "2026-11-28"});
  REQUIRE(next_day.ok());
  CHECK(next_day->order_count == 1);
  CHECK(next_day->refund_count == 1);
  CHECK(next_day->refund_amount == 10);
  CHECK(f.service.download_bill({"m1", "2026-11-26"})->order_count == 0);
  CHECK(f.service.download_bill({"m2", "2026-11-27"})->order_count == 1);
  CHECK(f.service.download_bill({"m1", "27/11/2026"}).error().path == "bill_date");
  CHECK(f.service.download_bill({"m1", ""}).error().message == "bill_date: missing");
}
