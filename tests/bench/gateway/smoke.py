#!/usr/bin/env python3
"""Checks, before a configuration is measured, that the gateway really does the work the
benchmark means to measure: python3 smoke.py --port P [--merchants M] [--orders N]
[--secret-prefix S] [--count C]

Sends C signed queryorder requests (HMAC-SHA256, SPEC §3.1-§3.2) of pre-created orders and
expects 200, err_code 0, data.out_order_no = the order asked for, and a response signature
(X-Opp-Signature over timestamp\\nnonce\\nbody\\n, SPEC §3.3) that verifies with the
merchant's secret. Then a request with a wrong signature and a replayed nonce must both be
refused with 10002, so the benchmark never measures a gateway that skips authentication.
Prints one line "smoke: ok ..." or "smoke: FAILED ..." (exit 1)."""
import argparse
import hashlib
import hmac
import http.client
import json
import os
import sys
import time
import urllib.parse


def canonical(params):
    kept = [(k, v) for k, v in params.items() if k != "sign" and v != ""]
    kept.sort(key=lambda kv: kv[0].encode())
    return "&".join(f"{k}={v}" for k, v in kept)


def signed(merchant, secret, order, nonce):
    params = {"merchant_id": merchant, "method": "queryorder",
              "biz_params": json.dumps({"out_order_no": order}, separators=(",", ":")),
              "timestamp": str(int(time.time())), "nonce_str": nonce, "sign_type": "HMAC-SHA256"}
    params["sign"] = hmac.new(secret.encode(), canonical(params).encode(), hashlib.sha256).hexdigest()
    return params


def post(conn, params):
    conn.request("POST", "/gateway/payment", urllib.parse.urlencode(params),
                 {"Content-Type": "application/x-www-form-urlencoded"})
    r = conn.getresponse()
    return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--merchants", type=int, default=16)
    ap.add_argument("--orders", type=int, default=128)
    ap.add_argument("--secret-prefix", default="bench-secret-")
    ap.add_argument("--count", type=int, default=8)
    a = ap.parse_args()
    conn = http.client.HTTPConnection("127.0.0.1", a.port, timeout=10)
    run = os.urandom(4).hex()
    problems = []
    for i in range(a.count):
        merchant = f"benchm{i % a.merchants:02d}"
        secret = a.secret_prefix + merchant
        order = f"BO{(i * 37) % a.orders:06d}"
        status, headers, body = post(conn, signed(merchant, secret, order, f"smoke{run}{i}"))
        try:
            doc = json.loads(body)
        except ValueError:
            doc = {}
        if status != 200 or doc.get("err_code") != 0:
            problems.append(f"{merchant}/{order}: HTTP {status} {body[:200]!r}")
            continue
        if doc.get("data", {}).get("out_order_no") != order:
            problems.append(f"{merchant}/{order}: data is not the order asked for: {body[:200]!r}")
        ts, nonce, sig = (headers.get(h, "") for h in ("x-opp-timestamp", "x-opp-nonce",
                                                         "x-opp-signature"))
        want = hmac.new(secret.encode(), ts.encode() + b"\n" + nonce.encode() + b"\n" + body + b"\n",
                        hashlib.sha256).hexdigest()
        if headers.get("x-opp-sign-type") != "HMAC-SHA256" or not hmac.compare_digest(want, sig.lower()):
            problems.append(f"{merchant}/{order}: response signature does not verify")
    # Negative controls: authentication must be enforced.
    bad = signed("benchm00", "not-the-secret", "BO000000", f"smokebad{run}")
    status, _, body = post(conn, bad)
    if status != 401 or json.loads(body or b"{}").get("err_code") != 10002:
        problems.append(f"wrong signature was not refused with 401/10002: HTTP {status} {body[:200]!r}")
    replay = signed("benchm00", a.secret_prefix + "benchm00", "BO000000", f"smokereplay{run}")
    post(conn, replay)
    status, _, body = post(conn, replay)
    if status != 401 or json.loads(body or b"{}").get("err_code") != 10002:
        problems.append(f"replayed nonce was not refused with 401/10002: HTTP {status} {body[:200]!r}")
    if problems:
        print(f"smoke: FAILED ({len(problems)} problems): " + "; ".join(problems[:4]))
        return 1
    print(f"smoke: ok ({a.count} signed queries answered and response-signed, "
          "bad signature and replay refused)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
