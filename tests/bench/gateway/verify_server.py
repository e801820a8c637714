#!/usr/bin/env python3
"""A stand-in for the gateway's merchant authentication (SPEC §3.1-§3.2), written
independently of the wrk script and of the project's C++ crypto, to check the benchmark's
request signing: python3 verify_server.py [--secret-prefix P] [--dump FILE] [--window S]

Listens on a free loopback port and prints "listening on 127.0.0.1:PORT". For every POST
it parses the form body, rejects duplicate params (10001), checks the HMAC-SHA256 signature
over the canonical string with Python's hmac (10002 invalid-signature), the timestamp
window (10002 timestamp-expired) and nonce replay per merchant (10002 nonce-replayed), and
answers {"err_code":0,...,"data":{"out_order_no":...}} with 200, signed like SPEC §3.3
with the merchant's secret, or the error with 400/401 (so smoke.py and bench.sh can be
exercised before the gateway exists). --dump appends each body to
FILE (one a line) so the project's own verifier can check the same bodies. RSA2 requests
are not verified here (the standard library has no RSA); check_signing.sh uses openssl."""
import argparse
import hashlib
import hmac
import http.server
import json
import os
import sys
import threading
import time
import urllib.parse


def canonical(params):
    """SPEC §3.2: all params but `sign` and empty ones, sorted by key (bytes), key=value, '&'."""
    kept = [(k, v) for k, v in params if k != "sign" and v != ""]
    kept.sort(key=lambda kv: (kv[0].encode(), kv[1].encode()))
    return "&".join(f"{k}={v}" for k, v in kept)


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as wrk expects
    disable_nagle_algorithm = True  # headers and body are written separately

    def log_message(self, *args):  # quiet
        pass

    def answer(self, status, code, sub="", data=None, secret=None):
        doc = {"err_code": code, "err_message": "ok" if code == 0 else "Unauthorized",
               "request_id": os.urandom(8).hex()}
        if sub:
            doc["sub_code"] = sub
        if data is not None:
            doc["data"] = data
        body = json.dumps(doc, separators=(",", ":")).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        if secret is not None:  # SPEC §3.3: authenticated answers are signed
            ts, nonce = str(int(time.time())), os.urandom(8).hex()
            mac = hmac.new(secret, f"{ts}\n{nonce}\n".encode() + body + b"\n", hashlib.sha256)
            for k, v in (("X-Opp-Timestamp", ts), ("X-Opp-Nonce", nonce),
                         ("X-Opp-Sign-Type", "HMAC-SHA256"), ("X-Opp-Signature", mac.hexdigest())):
                self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        srv = self.server
        raw = self.rfile.read(int(self.headers.get("Content-Length", "0"))).decode("utf-8")
        if srv.dump:
            with srv.lock:
                srv.dump.write(raw + "\n")
        try:
            params = urllib.parse.parse_qsl(raw, keep_blank_values=True, strict_parsing=True)
        except ValueError:
            return self.answer(400, 10001, "invalid-param")
        keys = [k for k, _ in params]
        if len(keys) != len(set(keys)):
            return self.answer(400, 10001, "duplicate-param")
        p = dict(params)
        for k in ("merchant_id", "method", "timestamp", "nonce_str", "sign_type", "sign"):
            if not p.get(k):
                return self.answer(400, 10001, "missing-param")
        if p["sign_type"] != "HMAC-SHA256":
            return self.answer(401, 10002, "unsupported-sign-type")
        secret = (srv.secret_prefix + p["merchant_id"]).encode()
        want = hmac.new(secret, canonical(params).encode(), hashlib.sha256).hexdigest()
        if not hmac.compare_digest(want, p["sign"].lower()):
            return self.answer(401, 10002, "invalid-signature")
        if abs(time.time() - int(p["timestamp"])) > srv.window:
            return self.answer(401, 10002, "timestamp-expired")
        with srv.lock:
            seen = srv.nonces.setdefault(p["merchant_id"], set())
            if p["nonce_str"] in seen:
                return self.answer(401, 10002, "nonce-replayed")
            seen.add(p["nonce_str"])
        try:
            order = json.loads(p.get("biz_params", "{}")).get("out_order_no", "")
        except ValueError:
            return self.answer(400, 10001, "invalid-biz-params")
        return self.answer(200, 0, data={"out_order_no": order, "order_status": 1}, secret=secret)


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)  # a client hanging up is normal


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--secret-prefix", default="bench-secret-")
    ap.add_argument("--dump")
    ap.add_argument("--window", type=int, default=300)
    args = ap.parse_args()
    srv = Server(("127.0.0.1", 0), Handler)
    srv.secret_prefix, srv.window = args.secret_prefix, args.window
    srv.lock, srv.nonces = threading.Lock(), {}
    srv.dump = open(args.dump, "a", buffering=1) if args.dump else None
    print(f"listening on 127.0.0.1:{srv.server_address[1]}", flush=True)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
