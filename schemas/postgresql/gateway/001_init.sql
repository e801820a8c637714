-- opp-gateway schema, version 1 (PostgreSQL): merchants and their keys (SPEC §3.4).
-- Applied by every program that opens the gateway database (opp-gateway, opp-admin),
-- embedded at build time; recorded in gateway_schema_version.
-- Statements are separated by ';' and must not contain ';' inside literals.
-- Times are Unix epoch milliseconds.

-- One row per merchant. HMAC merchants keep their secret only sealed (AES-256-GCM under
-- the key file auth.secret_key, associated data = merchant id + key_version); RSA2
-- merchants keep their public key PEM. revision is the value of gateway_revision at the
-- row's last change, so a cache asks only for rows whose revision grew.
CREATE TABLE gateway_merchants (
  merchant_id TEXT PRIMARY KEY,
  sign_type TEXT NOT NULL CHECK (sign_type IN ('HMAC-SHA256', 'HMAC-SM3', 'RSA2')),
  enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
  key_version INTEGER NOT NULL CHECK (key_version >= 1),
  sealed_secret TEXT NOT NULL DEFAULT '',
  public_key_pem TEXT NOT NULL DEFAULT '',
  created_at_ms BIGINT NOT NULL,
  updated_at_ms BIGINT NOT NULL,
  revision BIGINT NOT NULL
);
CREATE UNIQUE INDEX gateway_merchants_revision ON gateway_merchants (revision);

-- A single row: the last revision handed out. Writers bump it inside their write
-- transaction, whose lock on this row orders revisions as commits happen.
CREATE TABLE gateway_revision (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  revision BIGINT NOT NULL
);
INSERT INTO gateway_revision (id, revision) VALUES (1, 0);

-- A single row sealed under the key file when the first program opened this database:
-- a later program whose auth.secret_key holds another key is refused at start rather
-- than failing every merchant's secret, and a lost key file is not silently replaced.
CREATE TABLE gateway_key_check (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  sealed TEXT NOT NULL
);
