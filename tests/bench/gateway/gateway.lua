-- wrk script for the gateway benchmark: POST /gateway/payment, method=queryorder (SPEC §3.1),
-- every request with its own nonce and a valid signature, rotating over the pre-created
-- orders (BO000000..) of merchants benchm00.. (see bench_names.hpp).
--
--   wrk -t1 -c32 -d10s --latency -s gateway.lua http://127.0.0.1:PORT
--
-- Two ways to sign, chosen by the environment:
--   default       HMAC-SHA256 on the fly: canonical string + HMAC (OpenSSL's libcrypto
--                 through LuaJIT's ffi, one reusable HMAC_CTX per merchant) + hex, per
--                 request; costs wrk ~1.5 us a request (README.md) and needs no file sized
--                 to the run.
--   BODIES=FILE   pre-signed bodies, one a line (bench_gateway_sign bodies ...), each sent
--                 once, from line START (default 1); WRK_THREADS = wrk's -t (default 1).
--                 For RSA2, whose signature (~0.2 ms) wrk could not compute at the rate the
--                 gateway serves. Past the last line it wraps around: replayed nonces, which
--                 the gateway refuses, so an undersized file shows up as non-2xx responses.
-- Environment (on the fly): MERCHANTS (16), FIRST_MERCHANT (0), ORDERS (128),
--   SECRET_PREFIX ("bench-secret-"; merchant i's secret is SECRET_PREFIX .. its id).
-- CHECK=1: also read every response: status 200 and a body with "err_code":0, else counted
--   as bad; done() prints "body-check: checked=N bad=M" and the first bad body. wrk then
--   parses every response in Lua, so bench.sh checks during the warm-up run only.
-- wrk itself reports "Non-2xx or 3xx responses: N" whenever there were any.

local ffi = require("ffi")

local path = os.getenv("GW_PATH") or "/gateway/payment"
local merchants_n = tonumber(os.getenv("MERCHANTS") or "16")
local first_merchant = tonumber(os.getenv("FIRST_MERCHANT") or "0")
local orders_n = tonumber(os.getenv("ORDERS") or "128")
local secret_prefix = os.getenv("SECRET_PREFIX") or "bench-secret-"
local bodies_file = os.getenv("BODIES")
local start_line = tonumber(os.getenv("START") or "1")
local check = os.getenv("CHECK") == "1"
-- wrk does not tell a thread how many there are; the pre-signed mode needs it (-t).
local thread_count = tonumber(os.getenv("WRK_THREADS") or "1")

ffi.cdef [[
typedef struct evp_md_st EVP_MD;
typedef struct hmac_ctx_st HMAC_CTX;
const EVP_MD *EVP_sha256(void);
HMAC_CTX *HMAC_CTX_new(void);
int HMAC_Init_ex(HMAC_CTX *ctx, const void *key, int len, const EVP_MD *md, void *impl);
int HMAC_Update(HMAC_CTX *ctx, const unsigned char *data, size_t len);
int HMAC_Final(HMAC_CTX *ctx, unsigned char *md, unsigned int *len);
]]

local crypto
local function load_crypto()
  if crypto then return crypto end
  local ok, lib = pcall(ffi.load, "libcrypto.so.3")
  if not ok then lib = ffi.load("crypto") end
  crypto = lib
  return lib
end

-- Percent-encodes everything outside RFC 3986's unreserved set.
local function form_encode(s)
  return (s:gsub("[^A-Za-z0-9%-_%.~]", function(c) return string.format("%%%02X", c:byte()) end))
end

local function merchant_id(i) return string.format("benchm%02d", i) end
local function order_no(i) return string.format("BO%06d", i) end

-- Per-thread state, set up in init().
local requests_pre          -- pre-signed mode: full request texts
local next_line             -- pre-signed mode: index of the next one
local head                  -- request line + headers up to "Content-Length: "
local merchants = {}        -- on the fly: {id=, ctx=}
local orders = {}           -- on the fly: {json=, enc=}
local nonce_prefix, counter = "", 0
local timestamp, timestamp_refresh = "", 0
local md = ffi.new("unsigned char[32]")
local md_len = ffi.new("unsigned int[1]")
local hex_out = ffi.new("char[64]")
local hex_digits = ffi.new("const char[17]", "0123456789abcdef")
local evp_sha256

local function hmac_hex(ctx, text)
  local c = crypto
  -- key = NULL, md = NULL: restart with the key set at creation (no key schedule per call).
  assert(c.HMAC_Init_ex(ctx, nil, 0, nil, nil) == 1)
  c.HMAC_Update(ctx, text, #text)
  c.HMAC_Final(ctx, md, md_len)
  for i = 0, 31 do
    local b = md[i]
    hex_out[2 * i] = hex_digits[bit.rshift(b, 4)]
    hex_out[2 * i + 1] = hex_digits[bit.band(b, 15)]
  end
  return ffi.string(hex_out, 64)
end

-- Random hex from the kernel, so that the warm-up and the measured run of one gateway
-- process (and wrk threads) never share a nonce.
local function random_hex(bytes)
  local f = assert(io.open("/dev/urandom", "rb"))
  local raw = f:read(bytes)
  f:close()
  return (raw:gsub(".", function(c) return string.format("%02x", c:byte()) end))
end

local threads = {}
function setup(thread)
  thread:set("thread_index", #threads)
  table.insert(threads, thread)
end

function init(args)
  head = "POST " .. path .. " HTTP/1.1\r\nHost: " .. wrk.host .. ":" .. tostring(wrk.port) ..
      "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: "
  checked, bad, first_bad = 0, 0, nil
  local index = thread_index or 0
  if bodies_file then
    local f = assert(io.open(bodies_file, "rb"))
    requests_pre = {}
    for line in f:lines() do
      if #line > 0 then
        requests_pre[#requests_pre + 1] = head .. #line .. "\r\n\r\n" .. line
      end
    end
    f:close()
    assert(#requests_pre > 0, "BODIES file is empty")
    -- Threads take disjoint lines: thread k of n sends START+k, START+k+n, ...
    next_line = start_line + index
    return
  end
  load_crypto()
  evp_sha256 = crypto.EVP_sha256()
  for m = 0, merchants_n - 1 do
    local id = merchant_id(first_merchant + m)
    local secret = secret_prefix .. id
    local ctx = crypto.HMAC_CTX_new()
    assert(ctx ~= nil and crypto.HMAC_Init_ex(ctx, secret, #secret, evp_sha256, nil) == 1)
    merchants[m + 1] = { id = id, ctx = ctx }
  end
  for o = 0, orders_n - 1 do
    local json = '{"out_order_no":"' .. order_no(o) .. '"}'
    orders[o + 1] = { json = json, enc = form_encode(json) }
  end
  nonce_prefix = random_hex(4) .. index .. "-"
  -- The canonical string below lists the params in this order; SPEC §3.2 wants them
  -- sorted by key in byte order, which this checks once.
  local keys = { "biz_params", "merchant_id", "method", "nonce_str", "sign_type", "timestamp" }
  for i = 2, #keys do assert(keys[i - 1] < keys[i], "canonical key order") end
end

function request()
  if requests_pre then
    local n = #requests_pre
    local r = requests_pre[(next_line - 1) % n + 1]
    next_line = next_line + thread_count
    return r
  end
  counter = counter + 1
  if counter >= timestamp_refresh then
    timestamp = tostring(os.time())
    timestamp_refresh = counter + 1000
  end
  local m = merchants[counter % merchants_n + 1]
  local o = orders[math.floor(counter / merchants_n) % orders_n + 1]
  local nonce = nonce_prefix .. counter
  local canonical = "biz_params=" .. o.json .. "&merchant_id=" .. m.id ..
      "&method=queryorder&nonce_str=" .. nonce .. "&sign_type=HMAC-SHA256&timestamp=" .. timestamp
  local body = "merchant_id=" .. m.id .. "&method=queryorder&biz_params=" .. o.enc ..
      "&timestamp=" .. timestamp .. "&nonce_str=" .. nonce .. "&sign_type=HMAC-SHA256&sign=" ..
      hmac_hex(m.ctx, canonical)
  return head .. #body .. "\r\n\r\n" .. body
end

if check then
  function response(status, headers, body)
    checked = checked + 1
    if status ~= 200 or not body:find('"err_code":0[,}]') then
      bad = bad + 1
      if not first_bad then first_bad = tostring(status) .. " " .. body end
    end
  end
end

function done(summary, latency, requests)
  if not check then return end
  local c, b, first = 0, 0, nil
  for _, t in ipairs(threads) do
    c = c + (t:get("checked") or 0)
    b = b + (t:get("bad") or 0)
    first = first or t:get("first_bad")
  end
  io.write(string.format("body-check: checked=%d bad=%d\n", c, b))
  if first then io.write("first bad response: " .. first:sub(1, 400) .. "\n") end
end
