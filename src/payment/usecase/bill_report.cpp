#include "payment/usecase/bill_report.hpp"

#include "payment/entity/time_format.hpp"

namespace opp::payment {
namespace {

// Every value written is drawn from [A-Za-z0-9_:-] (ids, names, numbers, RFC 3339
// times), so no CSV quoting is ever needed.
void append_row(std::string& csv, std::initializer_list<std::string> cells) {
  bool first = true;
  for (const std::string& cell : cells) {
    if (!first) csv += ',';
    csv += cell;
    first = false;
  }
  csv += '\n';
}

}  // namespace

Bill build_bill(const std::string& bill_date, const std::vector<Order>& orders,
                const std::vector<Refund>& refunds, int64_t now_ms) {
  Bill bill;
  bill.bill_date = bill_date;
  bill.csv = std::string(kBillCsvHeader) + "\n";
  for (const Order& order : orders) {
    const OrderStatus status = order.status_at(now_ms);
    const int64_t finished_ms = order.paid_at_ms > 0             ? order.paid_at_ms
                                : status == OrderStatus::kClosed ? order.closed_time_ms()
                                                                 : 0;
    append_row(bill.csv, {"order", order.out_order_no, "", order.transaction_id, order.pay_way,
                          order_status_name(status), std::to_string(order.total_amount),
                          format_rfc3339(order.created_at_ms), format_rfc3339(finished_ms)});
    ++bill.order_count;
    if (status == OrderStatus::kSuccess || status == OrderStatus::kRefund) {
      bill.total_amount += order.total_amount;
    }
  }
  for (const Refund& refund : refunds) {
    append_row(bill.csv,
               {"refund", refund.out_order_no, refund.out_refund_no, refund.refund_id, "",
                refund_status_name(refund.status), std::to_string(refund.refund_amount),
                format_rfc3339(refund.created_at_ms), format_rfc3339(refund.refunded_at_ms)});
    ++bill.refund_count;
    if (refund.status == RefundStatus::kSuccess) bill.refund_amount += refund.refund_amount;
  }
  return bill;
}

}  // namespace opp::payment
