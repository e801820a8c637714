/**
 * Payment backend (opp-payment). Amounts are i64 minor units (fen), 1 <= amount <= 10^10.
 * out_order_no / out_refund_no: 1-32 chars of [A-Za-z0-9_-]. Times are RFC 3339 UTC
 * strings ("2026-11-27T05:12:00Z"), empty when not yet reached.
 *
 * order_status (i8): 0 NOTPAY, 1 SUCCESS, 2 REFUND (partly or fully refunded),
 * 3 PAYERROR, 9 CLOSED. refund_status (i8): 0 PROCESSING, 1 SUCCESS, 2 FAILED.
 *
 * BizError codes: 20001 DuplicateOutOrderNo, 20002 OrderNotFound, 20003 OrderStatusInvalid,
 * 20004 InvalidAmount, 20005 RefundAmountExceeded, 20006 PaymentDeclined,
 * 20007 DuplicateOutRefundNo, 20008 RefundNotFound, 20009 InvalidParam.
 * Every call is scoped by merchant_id, which the gateway fills with the caller.
 */
include "common.thrift"

namespace cpp opp.payment.thrift

/** Creates an order to be paid in the payer's wallet app (JSAPI / mini-program style). */
struct UnifyPayReq {
  /** Merchant's order number, unique per merchant (required). */
  1: string out_order_no,
  /** Amount to pay in fen, 1..10^10 (required). */
  2: i64 total_amount,
  /** What is being bought, shown to the payer. */
  3: string subject,
  /** The calling merchant (required; filled by the gateway). */
  4: string merchant_id,
  /** Payment channel: "wxpay", "alipay" or "unionpay" (required). */
  5: string pay_way,
  /** The merchant's app id at the channel, echoed in jspay_info. */
  6: string app_id,
  /** The payer's open id in the merchant's app. */
  7: string sub_open_id,
  /** URL that receives the signed payment notification (http or https). */
  8: string notify_url,
  /** Payer's IP address, passed to the channel. */
  9: string client_ip,
  /** Minutes until an unpaid order expires and reads as CLOSED, 1..43200 (default 120). */
  10: i32 order_expiration,
}

/** The created (or, for an identical retry, the existing) order. */
struct UnifyPayResp {
  /** The merchant that owns the order. */
  1: string merchant_id,
  /** The channel's sub-merchant id under which the order is placed. */
  2: string sub_merchant_id,
  /** Merchant's order number. */
  3: string out_order_no,
  /** JSON text of the channel's pay parameters for the client, including prepay_id. */
  4: string jspay_info,
  /** Payment channel of the order. */
  5: string pay_way,
  /** Platform transaction id. */
  6: string transaction_id,
  /** Order status now (0 NOTPAY for a new order). */
  7: i8 order_status,
  /** Amount of the order in fen. */
  8: i64 total_amount,
  /** When the order was created (RFC 3339 UTC). */
  9: string created_at,
  /** When an unpaid order expires (RFC 3339 UTC). */
  10: string expire_at,
}

/** Barcode payment: the merchant scanned the payer's payment code. */
struct QRPayReq {
  /** Merchant's order number, unique per merchant (required). */
  1: string out_order_no,
  /** Amount to pay in fen, 1..10^10 (required). */
  2: i64 total_amount,
  /** What is being bought. */
  3: string subject,
  /** The calling merchant (required; filled by the gateway). */
  4: string merchant_id,
  /** The payer's payment code, 16-24 digits; its prefix selects the channel (required). */
  5: string auth_code,
  /** URL that receives the signed payment notification (http or https). */
  6: string notify_url,
  /** Payer's IP address, passed to the channel. */
  7: string client_ip,
}

/** The settled order. */
struct QRPayResp {
  /** The merchant that owns the order. */
  1: string merchant_id,
  /** Merchant's order number. */
  2: string out_order_no,
  /** Order status now (1 SUCCESS once paid). */
  3: i8 order_status,
  /** Payment channel chosen by the auth_code prefix. */
  4: string pay_way,
  /** The payer's id at the channel. */
  5: string open_id,
  /** The channel's transaction id. */
  6: string out_transaction_id,
  /** Platform transaction id. */
  7: string transaction_id,
  /** Amount of the order in fen. */
  8: i64 total_amount,
  /** When the payment succeeded (RFC 3339 UTC), empty if it did not. */
  9: string paid_at,
}

/** Looks up one of the merchant's orders. */
struct QueryOrderReq {
  /** The calling merchant (required; filled by the gateway). */
  1: string merchant_id,
  /** Merchant's order number (required). */
  2: string out_order_no,
}

/** An order as it is now. */
struct QueryOrderResp {
  /** Merchant's order number. */
  1: string out_order_no,
  /** Order status now; an expired unpaid order reads as 9 CLOSED. */
  2: i8 order_status,
  /** Amount of the order in fen. */
  3: i64 total_amount,
  /** Sum of the successful refunds in fen. */
  4: i64 refunded_amount,
  /** Payment channel of the order. */
  5: string pay_way,
  /** Platform transaction id. */
  6: string transaction_id,
  /** When the order was created (RFC 3339 UTC). */
  7: string created_at,
  /** When the order was paid (RFC 3339 UTC), empty if not paid. */
  8: string paid_at,
  /** The merchant that owns the order. */
  9: string merchant_id,
  /** The channel's transaction id, empty until paid. */
  10: string out_transaction_id,
  /** What was bought. */
  11: string subject,
  /** When an unpaid order expires (RFC 3339 UTC). */
  12: string expire_at,
  /** When the order was closed (RFC 3339 UTC), empty if it was not. */
  13: string closed_at,
}

/** Closes an unpaid order so it can no longer be paid. */
struct CloseOrderReq {
  /** The calling merchant (required; filled by the gateway). */
  1: string merchant_id,
  /** Merchant's order number (required). */
  2: string out_order_no,
}

/** Empty: the order is closed. */
struct CloseOrderResp {
}

/** Refunds part or all of a paid order. */
struct RefundReq {
  /** The calling merchant (required; filled by the gateway). */
  1: string merchant_id,
  /** Merchant's order number of the paid order (required). */
  2: string out_order_no,
  /** Merchant's refund number, unique per merchant; retries with it are idempotent (required). */
  3: string out_refund_no,
  /** Amount to refund in fen, 1..10^10; all refunds together never exceed the total (required). */
  4: i64 refund_amount,
  /** Why the money is returned. */
  5: string reason,
}

/** The refund (new, or the existing one for an identical retry). */
struct RefundResp {
  /** Merchant's order number. */
  1: string out_order_no,
  /** Merchant's refund number. */
  2: string out_refund_no,
  /** Amount of this refund in fen. */
  3: i64 refund_amount,
  /** Refund status (1 SUCCESS; the sandbox settles at once). */
  4: i8 refund_status,
  /** Sum of all successful refunds of the order now, in fen. */
  5: i64 refunded_total,
  /** Platform refund id. */
  6: string refund_id,
  /** The merchant that owns the refund. */
  7: string merchant_id,
  /** When the refund was made (RFC 3339 UTC). */
  8: string created_at,
}

/** Looks up one of the merchant's refunds. */
struct QueryRefundReq {
  /** The calling merchant (required; filled by the gateway). */
  1: string merchant_id,
  /** Merchant's refund number (required). */
  2: string out_refund_no,
}

/** A refund as it is now. */
struct QueryRefundResp {
  /** Merchant's order number of the refunded order. */
  1: string out_order_no,
  /** Merchant's refund number. */
  2: string out_refund_no,
  /** Amount of this refund in fen. */
  3: i64 refund_amount,
  /** Refund status: 0 PROCESSING, 1 SUCCESS, 2 FAILED. */
  4: i8 refund_status,
  /** Platform refund id. */
  5: string refund_id,
  /** The merchant that owns the refund. */
  6: string merchant_id,
  /** When the refund was made (RFC 3339 UTC). */
  7: string created_at,
  /** When the refund settled (RFC 3339 UTC), empty while processing. */
  8: string refunded_at,
  /** Why the money was returned. */
  9: string reason,
}

/** Asks for the merchant's statement of one UTC day. */
struct DownloadBillReq {
  /** The calling merchant (required; filled by the gateway). */
  1: string merchant_id,
  /** The day, YYYY-MM-DD in UTC (required). */
  2: string bill_date,
}

/** The statement: CSV rows plus totals. */
struct DownloadBillResp {
  /** The day of the statement, YYYY-MM-DD. */
  1: string bill_date,
  /**
   * CSV with LF line ends; no value ever needs quoting. Header row:
   * record_type,out_order_no,out_refund_no,transaction_id,pay_way,status,amount,created_at,finished_at
   * then one "order" row per order created that day (by creation time, status as it reads
   * now), then one "refund" row per refund made that day (by time; transaction_id holds
   * the platform refund id).
   */
  2: string csv,
  /** Number of order rows. */
  3: i32 order_count,
  /** Sum of total_amount over the listed orders that are now SUCCESS or REFUND, in fen. */
  4: i64 total_amount,
  /** Number of refund rows. */
  5: i32 refund_count,
  /** Sum of refund_amount over the listed successful refunds, in fen. */
  6: i64 refund_amount,
}

/** The payment backend. Every function fails with BizError for business errors. */
service PaymentSvc {
  /** Creates a NOTPAY order on the sandbox channel chosen by pay_way; returns jspay_info. */
  UnifyPayResp UnifyPay(1: UnifyPayReq req) throws (1: common.BizError e) (api.post = '/payment/unifypay')
  /** Barcode payment: settles at once as SUCCESS, or stores PAYERROR and fails with 20006. */
  QRPayResp QRPay(1: QRPayReq req) throws (1: common.BizError e) (api.post = '/payment/qrpay')
  /** Returns the merchant's order by out_order_no (20002 if there is none). */
  QueryOrderResp QueryOrder(1: QueryOrderReq req) throws (1: common.BizError e) (api.post = '/payment/queryorder')
  /** NOTPAY becomes CLOSED; closing a CLOSED order is ok; any other status is 20003. */
  CloseOrderResp CloseOrder(1: CloseOrderReq req) throws (1: common.BizError e) (api.post = '/payment/closeorder')
  /** Refunds a SUCCESS or REFUND order; idempotent per out_refund_no; never exceeds the total. */
  RefundResp Refund(1: RefundReq req) throws (1: common.BizError e) (api.post = '/payment/refund')
  /** Returns the merchant's refund by out_refund_no (20008 if there is none). */
  QueryRefundResp QueryRefund(1: QueryRefundReq req) throws (1: common.BizError e) (api.post = '/payment/queryrefund')
  /** Returns the merchant's statement for bill_date (UTC) as CSV with totals. */
  DownloadBillResp DownloadBill(1: DownloadBillReq req) throws (1: common.BizError e) (api.post = '/payment/downloadbill')
}
