#!/usr/bin/env python3
"""Tests of the example merchant clients (examples/merchant.sh, examples/merchant.py).

usage: examples_test.py CASE --source DIR --oracle SIGNATURE_ORACLE
                        [--gateway BIN --payment BIN --admin BIN]

CASE:
  known-answers       both clients reproduce the crypto library's known-answer signatures
  request-signatures  requests with hostile values, every sign type and body format, are
                      decoded and verified by the gateway's own parser and verifier
  tampered-responses  a local stub answers with signed and tampered responses: each client
                      accepts only the intact ones
  secret-exposure     no process a client starts has the HMAC secret in its arguments or
                      environment, however the secret was given
  payment-flow-sh     merchant.sh: pay, query, refund, queryrefund, bill through the real
                      gateway and opp-payment, all three sign types
  payment-flow-py     the same with merchant.py, as a module and as a command line
  tampered-gateway    a proxy in front of the real gateway alters responses in transit
  https               every client against the gateway's TLS listener (--cacert, $OPP_CA_FILE);
                      an untrusted certificate and plain http to the TLS port are refused

Every check that fails prints FAIL and the case exits 1; all checks run.
"""

from __future__ import annotations

import argparse
import base64
import datetime
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from typing import Optional

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import platform as opp_platform  # noqa: E402  (this directory's platform.py)
from stub_gateway import StubGateway, forward  # noqa: E402

SIGN_TYPES = ("HMAC-SHA256", "HMAC-SM3", "RSA2")
EXIT_OK, EXIT_BUSINESS, EXIT_USAGE, EXIT_UNVERIFIED, EXIT_TRANSPORT = 0, 1, 2, 3, 4


class Checks:
    """Counts failures; every check reports and the run goes on."""

    def __init__(self) -> None:
        self.failures = 0
        self.passed = 0

    def check(self, condition: bool, what: str, detail: str = "") -> bool:
        if condition:
            self.passed += 1
        else:
            self.failures += 1
            print(f"FAIL: {what}" + (f"\n      {detail}" if detail else ""), file=sys.stderr)
        return condition

    def summary(self, case: str) -> int:
        print(f"{case}: {self.passed} checks passed, {self.failures} failed")
        return 1 if self.failures or not self.passed else 0


# ---- the clients, behind one interface ----------------------------------------------------

@dataclass
class Key:
    """How a client authenticates: merchant id, sign type and key material."""
    merchant_id: str
    sign_type: str
    secret: Optional[bytes] = None
    secret_file: Optional[str] = None
    private_key: Optional[str] = None
    platform_key: Optional[str] = None  # a PEM file pinned with --platform-key


@dataclass
class Outcome:
    """What a client did: its exit status (the module's is mapped to the same codes), the
    envelope when it printed or returned one, and its diagnostics."""
    exit_code: int
    envelope: Optional[dict]
    stdout: bytes
    stderr: str

    def describe(self) -> str:
        return f"exit {self.exit_code}; stdout {self.stdout[:300]!r}; stderr {self.stderr[-600:]!r}"


def client_env() -> dict:
    env = dict(os.environ)
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY",
                 "OPP_MERCHANT_SECRET", "OPP_GATEWAY", "OPP_CA_FILE"):
        env.pop(name, None)
    env["no_proxy"] = env["NO_PROXY"] = "127.0.0.1,localhost"
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


class CommandClient:
    """merchant.sh or merchant.py as a command line."""

    def __init__(self, name: str, argv0: list[str], secret_from_stdin: bool):
        self.name = name
        self.argv0 = argv0
        self.secret_from_stdin = secret_from_stdin  # exercise `--secret -` instead of a file

    def argv(self, key: Key, gateway: str, method: str, biz: Optional[str], options: list[str]):
        argv = [*self.argv0, "--gateway", gateway, "--merchant", key.merchant_id,
                "--sign-type", key.sign_type]
        if key.sign_type == "RSA2":
            argv += ["--key", key.private_key]
            if key.platform_key:
                argv += ["--platform-key", key.platform_key]
        elif self.secret_from_stdin:
            argv += ["--secret", "-"]
        else:
            argv += ["--secret-file", key.secret_file]
        argv += options
        argv.append(method)
        if biz is not None:
            argv.append(biz)
        return argv

    def run(self, key: Key, gateway: str, method: str, biz: Optional[str] = None,
            options: Optional[list[str]] = None, extra_env: Optional[dict] = None) -> Outcome:
        stdin = key.secret if (self.secret_from_stdin and key.sign_type != "RSA2") else b""
        done = subprocess.run(self.argv(key, gateway, method, biz, options or []), input=stdin,
                              capture_output=True, env={**client_env(), **(extra_env or {})},
                              timeout=120)
        envelope = None
        try:
            envelope = json.loads(done.stdout) if done.stdout.strip() else None
        except ValueError:
            pass
        return Outcome(done.returncode, envelope, done.stdout, done.stderr.decode(errors="replace"))


class ModuleClient:
    """merchant.py imported: Merchant(...).call(method, biz)."""

    name = "merchant.py (module)"

    def __init__(self, module):
        self.module = module

    def run(self, key: Key, gateway: str, method: str, biz: Optional[str] = None,
            options: Optional[list[str]] = None) -> Outcome:
        options = options or []
        content_type = "json" if "--json" in options else "form"
        cafile = options[options.index("--cacert") + 1] if "--cacert" in options else None
        rsa = key.sign_type == "RSA2"
        merchant = self.module.Merchant(
            key.merchant_id, key.sign_type, secret=None if rsa else key.secret,
            private_key=key.private_key if rsa else None, platform_key=key.platform_key,
            gateway=gateway, content_type=content_type, cafile=cafile)
        try:
            envelope = merchant.call(method, "{}" if biz is None else biz)
        except self.module.SignatureError as e:
            return Outcome(EXIT_UNVERIFIED, None, b"", str(e))
        except self.module.TransportError as e:
            return Outcome(EXIT_TRANSPORT, None, b"", str(e))
        code = EXIT_OK if envelope["err_code"] == 0 else EXIT_BUSINESS
        return Outcome(code, envelope, json.dumps(envelope).encode(), "")


def load_module(source: str):
    sys.path.insert(0, os.path.join(source, "examples"))
    import merchant  # noqa: E402  (examples/merchant.py)
    return merchant


def shell_client(source: str) -> CommandClient:
    return CommandClient("merchant.sh", ["bash", os.path.join(source, "examples", "merchant.sh")], False)


def python_cli_client(source: str) -> CommandClient:
    return CommandClient("merchant.py", [sys.executable, os.path.join(source, "examples", "merchant.py")],
                         True)


def all_clients(source: str) -> list:
    return [shell_client(source), python_cli_client(source), ModuleClient(load_module(source))]


def run_oracle(oracle: str, *args: str, stdin: bytes) -> subprocess.CompletedProcess:
    return subprocess.run([oracle, *args], input=stdin, capture_output=True, timeout=60)


def write_private(path: str, data: bytes) -> str:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    return path


# ---- known answers ------------------------------------------------------------------------

def case_known_answers(args, checks: Checks) -> None:
    """The signatures of tests/unit/crypto (HMAC values computed with the openssl command
    line and matched by the C++ library; the RSA2 value made by `openssl dgst -sign`)."""
    crypto_tests = os.path.join(args.source, "tests", "unit", "crypto")
    with open(os.path.join(crypto_tests, "signature_test.cpp")) as f:
        source = f.read()

    def constant(name: str) -> str:
        match = re.search(name + r' = "([^"]*)"', source)
        if not match:
            raise RuntimeError(f"{name} not found in signature_test.cpp")
        return match.group(1)

    secret = constant("kSecret")
    expected = {"HMAC-SHA256": constant("kSha256Sign"), "HMAC-SM3": constant("kSm3Sign")}
    testdata = os.path.join(crypto_tests, "testdata")
    with open(os.path.join(testdata, "rsa2_message.sig.b64")) as f:
        expected["RSA2"] = f.read().strip()
    with open(os.path.join(testdata, "rsa2_message.txt")) as f:
        rsa_canonical = f.read()
    biz = '{"out_order_no":"A1","total_amount":100}'
    with tempfile.TemporaryDirectory() as tmp:
        secret_file = write_private(os.path.join(tmp, "secret"), secret.encode() + b"\n")
        for client in (shell_client(args.source), python_cli_client(args.source)):
            for sign_type in SIGN_TYPES:
                key = Key("M100", sign_type, secret=secret.encode(), secret_file=secret_file,
                          private_key=os.path.join(testdata, "rsa_pkcs8.pem"))
                # The RSA2 vector signs the same request without biz_params ('' sends none).
                out = client.run(key, "http://127.0.0.1:9", "unifypay",
                                 "" if sign_type == "RSA2" else biz,
                                 ["--dry-run", "--verbose", "--timestamp", "1700000000",
                                  "--nonce", "abc12345"])
                what = f"{client.name} {sign_type} known answer"
                if not checks.check(out.exit_code == 0, what, out.describe()):
                    continue
                form = dict(pair.split("=", 1) for pair in out.stdout.decode().strip().split("&"))
                sign = base64_form_value(form.get("sign", ""))
                checks.check(sign == expected[sign_type], what,
                             f"sign {sign}, expected {expected[sign_type]}")
                if sign_type == "RSA2":
                    checks.check(f"canonical string: {rsa_canonical}" in out.stderr,
                                 f"{client.name} RSA2 canonical string", out.stderr)

    # HMAC vectors of tests/unit/crypto/hmac_test.cpp (RFC 4231 and the openssl CLI's SM3),
    # through the module's in-process path and its `openssl dgst` fallback for SM3.
    module = load_module(args.source)
    long_key = b"\xaa" * 131
    vectors = [
        (b"Jefe", b"what do ya want for nothing?",
         "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
         "2e87f1d16862e6d964b50a5200bf2b10b764faa9680a296a2405f24bec39f882"),
        (long_key, b"Test Using Larger Than Block-Size Key - Hash Key First",
         "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
         "b4fd844e13342002f0b2e0690ea7741f1497d993a70494cea601e657bedf67a0"),
        (b"", b"", "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad",
         "0d23f72ba15e9c189a879aefc70996b06091de6e64d31b7a84004356dd915261"),
    ]
    for key, data, sha256, sm3 in vectors:
        checks.check(module.hmac_hex("HMAC-SHA256", key, data) == sha256, f"module HMAC-SHA256 {data[:20]!r}")
        checks.check(module.hmac_hex("HMAC-SM3", key, data) == sm3, f"module HMAC-SM3 {data[:20]!r}")
        checks.check(module._hmac_over_openssl("sm3", key, data).hex() == sm3,
                     f"module HMAC-SM3 over openssl dgst {data[:20]!r}")
        checks.check(module._hmac_over_openssl("sha256", key, data).hex() == sha256,
                     f"module HMAC-SHA256 over openssl dgst {data[:20]!r}")

    # The canonical string rules of tests/unit/crypto/canonical_string_test.cpp.
    checks.check(module.canonical_string({"a": "1", "\u00e9t\u00e9": "2", "_x": "3", "B": "4", "ab": "5"})
                 == "B=4&_x=3&a=1&ab=5&\u00e9t\u00e9=2", "module canonical string: byte order")
    checks.check(module.canonical_string({"subject": "咖啡 + tea%20&", "amount": " 1 ", "sign": "x",
                                          "empty": ""}) == "amount= 1 &subject=咖啡 + tea%20&",
                 "module canonical string: raw values, sign and empty left out")


def base64_form_value(value: str) -> str:
    """A form value decoded (the signature's base64 has +, / and = escaped)."""
    import urllib.parse
    return urllib.parse.unquote(value)


# ---- requests against the gateway's own parser and verifier ------------------------------

HOSTILE_BIZ = ('{"out_order_no":"A-1_b","subject":"咖啡 & tea = 1+1 100% \\"q\\" \\\\ é",\n'
               ' "note":"a%20b+c&d=e;f/g?h#i"}')
HOSTILE_SECRET = ("k" * 70 + " $'\"&=%\\ 密钥").encode()  # longer than the 64-byte block


def expected_canonical(params: dict) -> str:
    """SPEC §3.2, written out independently of both clients."""
    kept = sorted(((k, v) for k, v in params.items() if k != "sign" and v), key=lambda kv: kv[0].encode())
    return "&".join(f"{k}={v}" for k, v in kept)


def case_request_signatures(args, checks: Checks) -> None:
    testdata = os.path.join(args.source, "tests", "unit", "crypto", "testdata")
    private_key = os.path.join(testdata, "rsa_pkcs8.pem")
    public_key = os.path.join(testdata, "pub_spki.pem")
    requests = [
        ("hostile biz_params", HOSTILE_BIZ, []),
        ("no biz_params", "", []),
        ("extra params", '{"out_order_no":"X"}',
         ["--param", "zeta=last one", "--param", "Alpha=A&B", "--param", "_u=ü", "--param", "empty="]),
    ]
    with tempfile.TemporaryDirectory() as tmp:
        secret_file = write_private(os.path.join(tmp, "secret"), HOSTILE_SECRET)
        for client in (shell_client(args.source), python_cli_client(args.source)):
            bodies = {}
            for sign_type in SIGN_TYPES:
                key = Key("M-7_x", sign_type, secret=HOSTILE_SECRET, secret_file=secret_file,
                          private_key=private_key)
                oracle_key = public_key if sign_type == "RSA2" else secret_file
                for label, biz, extra in requests:
                    for body_format in ("form", "json"):
                        options = ["--dry-run", "--timestamp", "1700000123", "--nonce", "n0nce-_1234"] + extra
                        if body_format == "json":
                            options.append("--json")
                        what = f"{client.name} {sign_type} {label} ({body_format})"
                        out = client.run(key, "http://127.0.0.1:9", "unifypay", biz, options)
                        if not checks.check(out.exit_code == 0, what + ": dry run", out.describe()):
                            continue
                        body = out.stdout.rstrip(b"\n")
                        bodies[(sign_type, label, body_format)] = body
                        content_type = ("application/json" if body_format == "json"
                                        else "application/x-www-form-urlencoded")
                        verdict = run_oracle(args.oracle, "check-request", content_type, sign_type,
                                             oracle_key, stdin=body)
                        checks.check(verdict.returncode == 0, what + ": the gateway's verifier accepts it",
                                     verdict.stderr.decode(errors="replace"))
                        params = {"merchant_id": "M-7_x", "method": "unifypay", "biz_params": biz,
                                  "timestamp": "1700000123", "nonce_str": "n0nce-_1234",
                                  "sign_type": sign_type}
                        for i in range(1, len(extra), 2):
                            k, v = extra[i].split("=", 1)
                            params[k] = v
                        checks.check(verdict.stdout.decode() == expected_canonical(params),
                                     what + ": the gateway decodes the canonical string sent",
                                     f"{verdict.stdout.decode()!r}\n      expected {expected_canonical(params)!r}")
                        # Control: one changed byte of the body is refused, so the check can fail.
                        tampered = body.replace(b"unifypay", b"unifypaz", 1)
                        verdict = run_oracle(args.oracle, "check-request", content_type, sign_type,
                                             oracle_key, stdin=tampered)
                        checks.check(verdict.returncode == 1 and b"invalid-signature" in verdict.stderr,
                                     what + ": a changed byte fails verification",
                                     verdict.stderr.decode(errors="replace"))
        # Both clients send the same form bytes for the same request.
        sh, py = shell_client(args.source), python_cli_client(args.source)
        for sign_type in ("HMAC-SHA256", "HMAC-SM3", "RSA2"):
            key = Key("M1", sign_type, secret=HOSTILE_SECRET, secret_file=secret_file, private_key=private_key)
            options = ["--dry-run", "--timestamp", "1700000123", "--nonce", "n0nce-_1234"]
            a, b = (c.run(key, "http://127.0.0.1:9", "refund", HOSTILE_BIZ, options) for c in (sh, py))
            checks.check(a.exit_code == 0 and a.stdout == b.stdout, f"{sign_type}: identical form bodies",
                         f"{a.stdout!r}\n      {b.stdout!r}")
        case_usage_errors(args, checks, secret_file)



def case_usage_errors(args, checks: Checks, secret_file: str) -> None:
    """Wrong invocations: a named error, exit 2, nothing sent; no gateway: exit 4."""
    with socket.socket() as unused:
        # Bound but not listening: connecting is refused, and no other test can take the port.
        unused.bind(("127.0.0.1", 0))
        nowhere = f"http://127.0.0.1:{unused.getsockname()[1]}"
        for client in (shell_client(args.source), python_cli_client(args.source)):
            client.secret_from_stdin = False  # these cases name a secret file
            good = Key("M1", "HMAC-SHA256", secret=HOSTILE_SECRET, secret_file=secret_file)
            missing = Key("M1", "HMAC-SHA256", secret=b"s", secret_file="/nonexistent/secret")
            out = client.run(missing, nowhere, "queryorder", "{}")
            checks.check(out.exit_code == EXIT_USAGE and "secret" in out.stderr,
                         f"{client.name}: an unreadable secret file is a usage error", out.describe())
            out = client.run(Key("M1", "RSA2", private_key="/nonexistent/key.pem"), nowhere, "queryorder", "{}")
            checks.check(out.exit_code == EXIT_USAGE and "key" in out.stderr,
                         f"{client.name}: an unreadable RSA key is a usage error", out.describe())
            out = client.run(good, nowhere, "queryorder", "{}", ["--nonce", "short"])
            checks.check(out.exit_code == EXIT_USAGE and "nonce" in out.stderr,
                         f"{client.name}: a malformed nonce is a usage error", out.describe())
            out = client.run(good, nowhere, "queryorder", "{}", ["--param", "sign=x"])
            checks.check(out.exit_code == EXIT_USAGE and "twice" in out.stderr,
                         f"{client.name}: an extra param named like an envelope param is refused",
                         out.describe())
            out = client.run(good, nowhere, "queryorder", "{}", ["--timeout", "5"])
            checks.check(out.exit_code == EXIT_TRANSPORT and out.stdout == b"",
                         f"{client.name}: an unreachable gateway is exit 4", out.describe())


# ---- tampered responses from a stub --------------------------------------------------------

STUB_BODY = json.dumps({"err_code": 0, "err_message": "ok", "request_id": "stub-1",
                        "data": {"out_order_no": "A1", "total_amount": 100, "subject": "咖啡"}},
                       ensure_ascii=False, separators=(",", ":")).encode()
BUSINESS_BODY = (b'{"err_code":20002,"err_message":"order NOPE not found","sub_code":"order-not-found",'
                 b'"request_id":"stub-2","data":{"code":20002,"message":"order NOPE not found"}}')
UNSIGNED_BODY = (b'{"err_code":10002,"err_message":"Unauthorized","sub_code":"invalid-signature",'
                 b'"sub_message":"signature does not match","request_id":"stub-3"}')


def flip(text: str) -> str:
    """The signature with its first character changed to another value, for hex (which
    compares case-insensitively) and base64 alike."""
    return ("1" if text[0] == "0" else "0") + text[1:]


def case_tampered_responses(args, checks: Checks) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        platform_private = os.path.join(tmp, "platform_private.pem")
        platform_public = os.path.join(tmp, "platform_public.pem")
        impostor_private = os.path.join(tmp, "impostor_private.pem")
        impostor_public = os.path.join(tmp, "impostor_public.pem")
        opp_platform.make_rsa_key(platform_private, platform_public)
        opp_platform.make_rsa_key(impostor_private, impostor_public)
        secret = b"stub secret " + os.urandom(8).hex().encode()
        secret_file = write_private(os.path.join(tmp, "secret"), secret)
        other_secret_file = write_private(os.path.join(tmp, "other_secret"), secret + b"x")
        merchant_key = os.path.join(args.source, "tests", "unit", "crypto", "testdata", "rsa_pkcs8.pem")
        with open(platform_public, "rb") as f:
            platform_pem = f.read()

        state = {}

        def respond(path, body, content_type):
            return state["answer"]()

        def signed(sign_type, body=STUB_BODY, key_file=None, timestamp=None, status=200):
            """An answer signed by the C++ response signer, then changed by the caller."""
            if key_file is None:
                key_file = platform_private if sign_type == "RSA2" else secret_file
            ts = str(int(time.time()) if timestamp is None else timestamp)
            nonce = os.urandom(16).hex()
            made = run_oracle(args.oracle, "sign-response", sign_type, key_file, ts, nonce, stdin=body)
            if made.returncode != 0:
                raise RuntimeError(f"signature_oracle sign-response: {made.stderr.decode()}")
            headers = {"Content-Type": "application/json", "X-Request-Id": "stub",
                       "X-Opp-Timestamp": ts, "X-Opp-Nonce": nonce, "X-Opp-Sign-Type": sign_type,
                       "X-Opp-Signature": made.stdout.decode().strip()}
            return status, headers, body

        def altered(answer, body=None, **headers):
            status, h, b = answer
            h = dict(h)
            for name, value in headers.items():
                name = "X-Opp-" + name.replace("_", "-")
                if value is None:
                    h.pop(name, None)
                else:
                    h[name] = value(h[name]) if callable(value) else value
            return status, h, (body if body is not None else b)

        def other_type(sign_type):
            return {"HMAC-SHA256": "HMAC-SM3", "HMAC-SM3": "HMAC-SHA256", "RSA2": "HMAC-SHA256"}[sign_type]

        tampering = [
            ("body changed", lambda t: altered(signed(t), STUB_BODY.replace(b":100", b":900"))),
            ("body extended by one space", lambda t: altered(signed(t), STUB_BODY + b" ")),
            ("body truncated", lambda t: altered(signed(t), STUB_BODY[:-1])),
            ("signature changed", lambda t: altered(signed(t), Signature=flip)),
            ("signature removed", lambda t: altered(signed(t), Signature=None)),
            ("nonce header changed", lambda t: altered(signed(t), Nonce=lambda n: n[:-1] + ("1" if n[-1] == "0" else "0"))),
            ("timestamp header changed", lambda t: altered(signed(t), Timestamp=lambda s: str(int(s) + 1))),
            ("sign type header changed", lambda t: altered(signed(t), Sign_Type=other_type(t))),
            ("stale but correctly signed", lambda t: signed(t, timestamp=int(time.time()) - 3600)),
            ("signed with another key", lambda t: signed(
                t, key_file=impostor_private if t == "RSA2" else other_secret_file)),
            ("unsigned refusal", lambda t: (401, {"Content-Type": "application/json"}, UNSIGNED_BODY)),
        ]

        with StubGateway(respond, platform_key=platform_pem) as stub:
            for client in all_clients(args.source):
                for sign_type in SIGN_TYPES:
                    key = Key("M1", sign_type, secret=secret, secret_file=secret_file,
                              private_key=merchant_key)
                    prefix = f"{client.name} {sign_type}"

                    # Intact: accepted, printed / returned as sent.
                    state["answer"] = lambda: signed(sign_type)
                    fetches = stub.platform_key_fetches
                    out = client.run(key, stub.url, "queryorder", '{"out_order_no":"A1"}')
                    checks.check(out.exit_code == EXIT_OK, f"{prefix}: an intact response is accepted",
                                 out.describe())
                    checks.check(out.envelope is not None and out.envelope.get("data", {}).get("subject") == "咖啡",
                                 f"{prefix}: the verified envelope is the body sent", out.describe())
                    if isinstance(client, CommandClient):
                        checks.check(out.stdout == STUB_BODY + b"\n", f"{prefix}: prints the exact body",
                                     out.describe())
                    if sign_type == "RSA2":
                        checks.check(stub.platform_key_fetches == fetches + 1,
                                     f"{prefix}: fetches the platform key when none is given")
                    # A signed business error: verified, exit 1, envelope still available.
                    state["answer"] = lambda: signed(sign_type, BUSINESS_BODY)
                    out = client.run(key, stub.url, "queryorder", '{"out_order_no":"NOPE"}')
                    checks.check(out.exit_code == EXIT_BUSINESS and out.envelope is not None
                                 and out.envelope["err_code"] == 20002,
                                 f"{prefix}: a signed business error is verified and exits 1", out.describe())

                    for label, make in tampering:
                        state["answer"] = (lambda make=make: make(sign_type))
                        out = client.run(key, stub.url, "queryorder", '{"out_order_no":"A1"}')
                        checks.check(out.exit_code == EXIT_UNVERIFIED, f"{prefix}: {label} is refused",
                                     out.describe())
                        checks.check(out.envelope is None and out.stdout == b"",
                                     f"{prefix}: {label}: nothing on stdout", out.describe())
                        checks.check("NOT verified" in out.stderr,
                                     f"{prefix}: {label}: says it did not verify", out.describe())

                    if sign_type == "RSA2":
                        # A pinned platform key wins over whatever the server would hand out.
                        state["answer"] = lambda: signed("RSA2")
                        pinned = Key("M1", "RSA2", private_key=merchant_key, platform_key=impostor_public)
                        fetches = stub.platform_key_fetches
                        out = client.run(pinned, stub.url, "queryorder", '{"out_order_no":"A1"}')
                        checks.check(out.exit_code == EXIT_UNVERIFIED,
                                     f"{prefix}: a response not signed by the pinned key is refused",
                                     out.describe())
                        checks.check(stub.platform_key_fetches == fetches,
                                     f"{prefix}: a pinned key is not fetched")
            checks.check(len(stub.requests) > 0, "the stub saw the clients' requests")


# ---- where the secret goes ----------------------------------------------------------------

# Every external command merchant.sh runs (and the openssl that merchant.py runs).
SHIMMED = ("awk", "base64", "cat", "curl", "date", "grep", "head", "mktemp", "od", "openssl", "rm",
           "sed", "sort", "tr")


def make_shims(shim_dir: str, log_dir: str) -> None:
    """A logging stand-in for each command: records its arguments and environment, then
    runs the real one. The shims call only absolute paths, never each other."""
    os.makedirs(shim_dir)
    for name in SHIMMED:
        real = shutil.which(name)
        if real is None:
            raise RuntimeError(f"{name} is not installed")
        path = os.path.join(shim_dir, name)
        with open(path, "w") as f:
            f.write("#!/bin/sh\n"
                    f'log=$({shutil.which("mktemp")} "{log_dir}/{name}.XXXXXX")\n'
                    f'{{ printf "%s\\n" "$0" "$@"; {shutil.which("env")}; }} >"$log"\n'
                    f'exec {real} "$@"\n')
        os.chmod(path, 0o755)


def case_secret_exposure(args, checks: Checks) -> None:
    """A whole signed call with each way of giving the secret: no process the clients
    start ever has the secret in its arguments or environment."""
    with tempfile.TemporaryDirectory() as tmp:
        secret = ("exposure-" + os.urandom(10).hex()).encode()
        secret_file = write_private(os.path.join(tmp, "secret"), secret + b"\n")
        log_dir = os.path.join(tmp, "log")
        os.makedirs(log_dir)
        make_shims(os.path.join(tmp, "shims"), log_dir)

        def respond(path, body, content_type):
            ts, nonce = str(int(time.time())), os.urandom(16).hex()
            made = run_oracle(args.oracle, "sign-response", state["sign_type"], secret_file_raw, ts, nonce,
                              stdin=STUB_BODY)
            return 200, {"X-Opp-Timestamp": ts, "X-Opp-Nonce": nonce, "X-Opp-Sign-Type": state["sign_type"],
                         "X-Opp-Signature": made.stdout.decode().strip()}, STUB_BODY

        secret_file_raw = write_private(os.path.join(tmp, "secret.raw"), secret)
        state = {}

        def check_logs(what: str, must_run_openssl: bool) -> None:
            logs = sorted(os.listdir(log_dir))
            if must_run_openssl:
                checks.check(any(log.startswith("openssl.") for log in logs),
                             f"{what}: openssl ran through its logging shim", str(logs))
            exposed = []
            for log in logs:
                with open(os.path.join(log_dir, log), "rb") as f:
                    if secret in f.read():
                        exposed.append(log)
            checks.check(not exposed, f"{what}: no child process saw the secret", str(exposed))
        scripts = {"merchant.sh": ["bash", os.path.join(args.source, "examples", "merchant.sh")],
                   "merchant.py": [sys.executable, os.path.join(args.source, "examples", "merchant.py")]}
        with StubGateway(respond) as stub:
            for name, argv0 in scripts.items():
                for sign_type in ("HMAC-SHA256", "HMAC-SM3"):
                    state["sign_type"] = sign_type
                    ways = {"--secret-file": (["--secret-file", secret_file], b"", {}),
                            "--secret -": (["--secret", "-"], secret + b"\n", {}),
                            "OPP_MERCHANT_SECRET": ([], b"", {"OPP_MERCHANT_SECRET": secret.decode()})}
                    for way, (options, stdin, extra_env) in ways.items():
                        for log in os.listdir(log_dir):
                            os.remove(os.path.join(log_dir, log))
                        env = client_env()
                        env.update(extra_env)
                        env["PATH"] = os.path.join(tmp, "shims") + os.pathsep + env["PATH"]
                        done = subprocess.run([*argv0, "--gateway", stub.url, "--merchant", "M1",
                                               "--sign-type", sign_type, *options, "queryorder",
                                               '{"out_order_no":"A1"}'],
                                              input=stdin, capture_output=True, env=env, timeout=120)
                        what = f"{name} {sign_type} secret by {way}"
                        checks.check(done.returncode == 0, f"{what}: the call verifies",
                                     done.stderr.decode(errors="replace"))
                        # merchant.py computes HMACs in process: no openssl to watch there.
                        check_logs(what, must_run_openssl=(name == "merchant.sh"))

            # The module's SM3 fallback for a Python whose OpenSSL lacks SM3 runs openssl.
            module = load_module(args.source)
            saved_path, saved_probe = os.environ["PATH"], module._sm3_available
            os.environ["PATH"] = os.path.join(tmp, "shims") + os.pathsep + saved_path
            module._sm3_available = lambda: False
            try:
                state["sign_type"] = "HMAC-SM3"
                for log in os.listdir(log_dir):
                    os.remove(os.path.join(log_dir, log))
                merchant = module.Merchant("M1", "HMAC-SM3", secret=secret, gateway=stub.url)
                envelope = merchant.call("queryorder", {"out_order_no": "A1"})
                checks.check(envelope["err_code"] == 0, "module HMAC-SM3 over openssl: the call verifies")
                check_logs("module HMAC-SM3 over openssl", must_run_openssl=True)
            finally:
                os.environ["PATH"], module._sm3_available = saved_path, saved_probe


# ---- the real platform ---------------------------------------------------------------------

def binaries(args) -> opp_platform.Binaries:
    for name in ("gateway", "payment", "admin"):
        if not getattr(args, name):
            raise SystemExit(f"--{name} is needed for this case")
    return opp_platform.Binaries(args.gateway, args.payment, args.admin)


def start_platform(args, labels: list[str], tls: bool = False):
    """The platform with one fresh merchant per label and sign type (so each client's bill
    holds only its own orders); returns (platform, {(label, sign_type): Key})."""
    platform = opp_platform.Platform(binaries(args), os.path.join(args.source, "idl"), tls=tls)
    try:
        keys = {}
        for n, label in enumerate(labels):
            for sign_type in SIGN_TYPES:
                merchant_id = f"M{n}-{sign_type.replace('HMAC-', '')}-{os.urandom(3).hex()}"
                record = (platform.add_rsa_merchant(merchant_id) if sign_type == "RSA2"
                          else platform.add_hmac_merchant(merchant_id, sign_type))
                keys[(label, sign_type)] = Key(record.id, sign_type, secret=record.secret,
                                               secret_file=record.secret_file,
                                               private_key=record.private_key)
        platform.start_gateway()
        return platform, keys
    except BaseException:
        platform.close()
        raise


def payment_flow(client, key: Key, url: str, checks: Checks) -> None:
    """pay → query → refund → queryrefund → bill (and close, and a business error), every
    answer signed and verified."""
    prefix = f"{client.name} {key.sign_type}"
    tag = os.urandom(4).hex()
    unpaid, paid, refund_no = f"U{tag}", f"Q{tag}", f"R{tag}"

    def call(method, biz, options=None, expect=EXIT_OK):
        out = client.run(key, url, method, json.dumps(biz), options)
        ok = checks.check(out.exit_code == expect, f"{prefix} {method}: exit {expect}", out.describe())
        if isinstance(client, CommandClient) and expect in (EXIT_OK, EXIT_BUSINESS):
            checks.check("response signature verified" in out.stderr,
                         f"{prefix} {method}: the client reports the signature verified", out.describe())
        if not ok or out.envelope is None:
            checks.check(False, f"{prefix} {method}: an envelope", out.describe())
            return {}
        envelope = out.envelope
        checks.check((envelope.get("err_code") == 0) == (expect == EXIT_OK),
                     f"{prefix} {method}: err_code {envelope.get('err_code')}", out.describe())
        return envelope.get("data") or {}

    verbose = ["--verbose"] if isinstance(client, CommandClient) else []
    data = call("unifypay", {"out_order_no": unpaid, "total_amount": 1200, "pay_way": "wxpay",
                             "subject": "茶 & tea"}, verbose)
    checks.check(data.get("order_status") == 0, f"{prefix} unifypay: NOTPAY", str(data))
    checks.check(data.get("merchant_id") == key.merchant_id, f"{prefix} unifypay: bound to the merchant",
                 str(data))
    checks.check("prepay_id" in str(data.get("jspay_info")), f"{prefix} unifypay: jspay_info", str(data))

    data = call("qrpay", {"out_order_no": paid, "total_amount": 5000, "auth_code": "134567890123456789"},
                verbose)
    checks.check(data.get("order_status") == 1 and data.get("pay_way") == "wxpay",
                 f"{prefix} qrpay: SUCCESS on wxpay", str(data))

    data = call("queryorder", {"out_order_no": paid}, verbose + ["--json"])
    checks.check(data.get("order_status") == 1 and data.get("total_amount") == 5000,
                 f"{prefix} queryorder (JSON body): paid 5000", str(data))

    data = call("refund", {"out_order_no": paid, "out_refund_no": refund_no, "refund_amount": 1500,
                           "reason": "broken cup"}, verbose)
    checks.check(data.get("refund_status") == 1 and data.get("refunded_total") == 1500,
                 f"{prefix} refund: 1500 refunded", str(data))

    data = call("queryrefund", {"out_refund_no": refund_no}, verbose)
    checks.check(data.get("refund_amount") == 1500 and data.get("out_order_no") == paid,
                 f"{prefix} queryrefund", str(data))

    call("closeorder", {"out_order_no": unpaid}, verbose)
    data = call("queryorder", {"out_order_no": unpaid}, verbose)
    checks.check(data.get("order_status") == 9, f"{prefix} closeorder: CLOSED", str(data))

    today = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d")
    data = call("downloadbill", {"bill_date": today}, verbose)
    csv = str(data.get("csv", ""))
    checks.check(data.get("order_count") == 2 and data.get("refund_count") == 1
                 and data.get("total_amount") == 5000 and data.get("refund_amount") == 1500,
                 f"{prefix} downloadbill totals", str(data))
    checks.check(paid in csv and unpaid in csv and refund_no in csv, f"{prefix} downloadbill csv", csv)

    # Refunding more than is left: a business error, signed and verified, exit 1.
    call("refund", {"out_order_no": paid, "out_refund_no": f"X{tag}", "refund_amount": 3501},
         verbose, expect=EXIT_BUSINESS)


def case_payment_flow(args, checks: Checks, clients) -> None:
    platform, keys = start_platform(args, [client.name for client in clients])
    try:
        for client in clients:
            for sign_type in SIGN_TYPES:
                payment_flow(client, keys[(client.name, sign_type)], platform.url, checks)
    finally:
        platform.close()


def case_tampered_gateway(args, checks: Checks) -> None:
    """Real signatures from the real gateway, altered in transit by a proxy: one space
    after the opening brace (the same JSON, other bytes) must already fail."""
    clients = all_clients(args.source)
    platform, keys = start_platform(args, [client.name for client in clients])
    try:
        mode = {"tamper": False}

        def respond(path, body, content_type):
            status, headers, data = forward(platform.gateway_port, path, body, content_type)
            if mode["tamper"] and body and data.startswith(b"{"):
                data = b"{ " + data[1:]
            return status, headers, data

        with StubGateway(respond) as proxy:
            for client in clients:
                for sign_type in SIGN_TYPES:
                    key = keys[(client.name, sign_type)]
                    prefix = f"{client.name} {sign_type} via a proxy"
                    order = f"T{os.urandom(4).hex()}"
                    mode["tamper"] = False
                    out = client.run(key, proxy.url, "qrpay", json.dumps(
                        {"out_order_no": order, "total_amount": 300, "auth_code": "284567890123456789"}))
                    checks.check(out.exit_code == EXIT_OK and out.envelope is not None
                                 and out.envelope["data"]["order_status"] == 1,
                                 f"{prefix}: passed through unchanged, accepted", out.describe())
                    mode["tamper"] = True
                    out = client.run(key, proxy.url, "queryorder", json.dumps({"out_order_no": order}))
                    checks.check(out.exit_code == EXIT_UNVERIFIED and out.stdout == b"",
                                 f"{prefix}: altered in transit, refused", out.describe())
    finally:
        platform.close()


def case_https(args, checks: Checks) -> None:
    """The clients against the gateway's TLS listener: calls verified over https with the
    throwaway CA given by --cacert (RSA2's platform key fetched over https too) or
    $OPP_CA_FILE; without it the certificate is untrusted (exit 4); plain http to the TLS
    port gets the gateway's unsigned 400 (exit 3)."""
    clients = all_clients(args.source)
    platform, keys = start_platform(args, [client.name for client in clients], tls=True)
    try:
        trust = ["--cacert", platform.ca_file]
        for client in clients:
            for sign_type in ("HMAC-SHA256", "RSA2"):
                key = keys[(client.name, sign_type)]
                prefix = f"{client.name} {sign_type} over https"
                order = f"H{os.urandom(4).hex()}"
                out = client.run(key, platform.tls_url, "qrpay", json.dumps(
                    {"out_order_no": order, "total_amount": 700, "auth_code": "134567890123456789"}),
                    trust)
                checks.check(out.exit_code == EXIT_OK and out.envelope is not None
                             and out.envelope["data"]["order_status"] == 1,
                             f"{prefix}: qrpay verified", out.describe())
                out = client.run(key, platform.tls_url, "queryorder",
                                 json.dumps({"out_order_no": order}), trust + ["--json"])
                checks.check(out.exit_code == EXIT_OK and out.envelope is not None
                             and out.envelope["data"]["total_amount"] == 700,
                             f"{prefix}: queryorder (JSON body) verified", out.describe())
            key = keys[(client.name, "HMAC-SHA256")]
            query = json.dumps({"out_order_no": "NOPE"})
            out = client.run(key, platform.tls_url, "queryorder", query)
            checks.check(out.exit_code == EXIT_TRANSPORT and out.stdout == b"",
                         f"{client.name}: a certificate of an unknown CA is refused (exit 4)",
                         out.describe())
            out = client.run(key, f"http://127.0.0.1:{platform.tls_port}", "queryorder", query)
            checks.check(out.exit_code == EXIT_UNVERIFIED and out.stdout == b"",
                         f"{client.name}: plain http to the TLS port is an unsigned answer (exit 3)",
                         out.describe())
            if isinstance(client, CommandClient):
                checks.check("http-on-tls-port" in out.stderr,
                             f"{client.name}: the gateway's 400 http-on-tls-port is shown",
                             out.describe())
                out = client.run(key, platform.tls_url, "queryorder", query,
                                 extra_env={"OPP_CA_FILE": platform.ca_file})
                checks.check(out.exit_code == EXIT_BUSINESS and out.envelope is not None
                             and out.envelope.get("sub_code") == "order-not-found",
                             f"{client.name}: $OPP_CA_FILE trusts the CA like --cacert",
                             out.describe())
    finally:
        platform.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("case", choices=["known-answers", "request-signatures", "tampered-responses",
                                         "secret-exposure",
                                         "payment-flow-sh", "payment-flow-py", "tampered-gateway",
                                         "https"])
    parser.add_argument("--source", required=True)
    parser.add_argument("--oracle")
    parser.add_argument("--gateway")
    parser.add_argument("--payment")
    parser.add_argument("--admin")
    args = parser.parse_args()
    for name in ("source", "oracle", "gateway", "payment", "admin"):  # the servers run elsewhere
        if getattr(args, name):
            setattr(args, name, os.path.abspath(getattr(args, name)))
    checks = Checks()
    if args.case == "known-answers":
        case_known_answers(args, checks)
    elif args.case == "request-signatures":
        case_request_signatures(args, checks)
    elif args.case == "tampered-responses":
        case_tampered_responses(args, checks)
    elif args.case == "secret-exposure":
        case_secret_exposure(args, checks)
    elif args.case == "payment-flow-sh":
        case_payment_flow(args, checks, [shell_client(args.source)])
    elif args.case == "payment-flow-py":
        module = load_module(args.source)
        case_payment_flow(args, checks, [ModuleClient(module), python_cli_client(args.source)])
    elif args.case == "tampered-gateway":
        case_tampered_gateway(args, checks)
    elif args.case == "https":
        case_https(args, checks)
    return checks.summary(args.case)


if __name__ == "__main__":
    sys.exit(main())
