-- opp-payment schema, version 1 (PostgreSQL).
-- Applied by opp-payment at start-up (embedded at build time); recorded in schema_version.
-- Statements are separated by ';' and must not contain ';' inside literals.
-- Times are Unix epoch milliseconds (0 = not yet); amounts are fen.

CREATE TABLE orders (
  id BIGSERIAL PRIMARY KEY,
  merchant_id TEXT NOT NULL,
  out_order_no TEXT NOT NULL,
  transaction_id TEXT NOT NULL,
  pay_way TEXT NOT NULL,
  auth_code TEXT NOT NULL DEFAULT '',
  total_amount BIGINT NOT NULL CHECK (total_amount > 0),
  refunded_amount BIGINT NOT NULL DEFAULT 0 CHECK (refunded_amount >= 0 AND refunded_amount <= total_amount),
  status SMALLINT NOT NULL,
  subject TEXT NOT NULL DEFAULT '',
  app_id TEXT NOT NULL DEFAULT '',
  sub_open_id TEXT NOT NULL DEFAULT '',
  notify_url TEXT NOT NULL DEFAULT '',
  client_ip TEXT NOT NULL DEFAULT '',
  sub_merchant_id TEXT NOT NULL DEFAULT '',
  jspay_info TEXT NOT NULL DEFAULT '',
  open_id TEXT NOT NULL DEFAULT '',
  out_transaction_id TEXT NOT NULL DEFAULT '',
  created_at_ms BIGINT NOT NULL,
  expire_at_ms BIGINT NOT NULL,
  paid_at_ms BIGINT NOT NULL DEFAULT 0,
  closed_at_ms BIGINT NOT NULL DEFAULT 0,
  updated_at_ms BIGINT NOT NULL
);

-- Idempotency of UnifyPay/QRPay: one order per merchant and out_order_no.
CREATE UNIQUE INDEX orders_merchant_out_order_no ON orders (merchant_id, out_order_no);
CREATE UNIQUE INDEX orders_transaction_id ON orders (transaction_id);
CREATE INDEX orders_merchant_created ON orders (merchant_id, created_at_ms);

CREATE TABLE refunds (
  id BIGSERIAL PRIMARY KEY,
  merchant_id TEXT NOT NULL,
  out_refund_no TEXT NOT NULL,
  out_order_no TEXT NOT NULL,
  refund_id TEXT NOT NULL,
  refund_amount BIGINT NOT NULL CHECK (refund_amount > 0),
  refund_status SMALLINT NOT NULL,
  reason TEXT NOT NULL DEFAULT '',
  created_at_ms BIGINT NOT NULL,
  refunded_at_ms BIGINT NOT NULL DEFAULT 0,
  FOREIGN KEY (merchant_id, out_order_no) REFERENCES orders (merchant_id, out_order_no)
);

-- Idempotency of Refund: one refund per merchant and out_refund_no.
CREATE UNIQUE INDEX refunds_merchant_out_refund_no ON refunds (merchant_id, out_refund_no);
CREATE UNIQUE INDEX refunds_refund_id ON refunds (refund_id);
CREATE INDEX refunds_merchant_order ON refunds (merchant_id, out_order_no);
CREATE INDEX refunds_merchant_created ON refunds (merchant_id, created_at_ms);

-- Merchant notifications, written in the transaction that makes an order SUCCESS or a
-- refund succeed; the dispatcher delivers them with retries.
CREATE TABLE notification_outbox (
  id BIGSERIAL PRIMARY KEY,
  merchant_id TEXT NOT NULL,
  url TEXT NOT NULL,
  body TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at_ms BIGINT NOT NULL,
  created_at_ms BIGINT NOT NULL,
  delivered_at_ms BIGINT NOT NULL DEFAULT 0,
  gave_up SMALLINT NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT ''
);

CREATE INDEX notification_outbox_due ON notification_outbox (delivered_at_ms, gave_up, next_attempt_at_ms);
