#pragma once
// The DownloadBill statement: CSV rows and totals from one day's orders and refunds.

#include <cstdint>
#include <vector>

#include "payment/entity/order.hpp"
#include "payment/entity/refund.hpp"
#include "payment/usecase/commands.hpp"

namespace opp::payment {

inline constexpr const char* kBillCsvHeader =
    "record_type,out_order_no,out_refund_no,transaction_id,pay_way,status,amount,created_at,"
    "finished_at";

/// Orders (created that day, status as read at now_ms) then refunds (made that day).
/// total_amount sums orders now SUCCESS or REFUND; refund_amount sums successful refunds.
Bill build_bill(const std::string& bill_date, const std::vector<Order>& orders,
                const std::vector<Refund>& refunds, int64_t now_ms);

}  // namespace opp::payment
