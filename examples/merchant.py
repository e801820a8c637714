#!/usr/bin/env python3
"""A merchant client for the gateway's merchant API (SPEC §3), Python 3 standard library.

As a command line (the same options and exit codes as merchant.sh; see --help):

    merchant.py --merchant demo-merchant --sign-type HMAC-SHA256 --secret-file demo.secret \\
        queryorder '{"out_order_no":"A1"}'

As a module:

    from merchant import Merchant
    m = Merchant("demo-merchant", "HMAC-SHA256", secret=b"...")
    envelope = m.call("queryorder", {"out_order_no": "A1"})   # raises SignatureError
    if envelope["err_code"] == 0: print(envelope["data"]["order_status"])

HMAC-SHA256 and HMAC-SM3 are computed in process (hmac + hashlib; SM3 comes from the
OpenSSL that hashlib is built on, and when that OpenSSL lacks it the HMAC is built here
over `openssl dgst -sm3`, the secret's pads going through a pipe, never an argument).
RSA2 needs RSASSA-PKCS1-v1_5, which the standard library does not have: signing and
verifying run `openssl dgst -sha256 -sign|-verify` as a subprocess (keys passed as file
names, data on standard input).
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import json
import os
import re
import secrets
import shutil
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any, Iterable, Mapping, Optional, Union

__all__ = [
    "Merchant", "MerchantError", "UsageError", "TransportError", "SignatureError",
    "canonical_string", "sign_canonical", "response_signing_bytes", "SIGN_TYPES",
]

SIGN_TYPES = ("HMAC-SHA256", "HMAC-SM3", "RSA2")
DEFAULT_GATEWAY = "http://127.0.0.1:8080"
_NONCE = re.compile(r"[A-Za-z0-9_-]{8,64}\Z")
_PARAM_KEY = re.compile(r"[A-Za-z0-9_.-]+\Z")
_ENVELOPE_KEYS = ("merchant_id", "method", "biz_params", "timestamp", "nonce_str", "sign_type")

# Exit codes of the command line (the same as merchant.sh).
EXIT_OK, EXIT_BUSINESS, EXIT_USAGE, EXIT_UNVERIFIED, EXIT_TRANSPORT = 0, 1, 2, 3, 4


class MerchantError(Exception):
    """Base of this module's errors."""


class UsageError(MerchantError):
    """A wrong argument: unknown sign type, missing key, bad extra param."""


class TransportError(MerchantError):
    """The request could not be made, or the answer is not a gateway envelope."""


class SignatureError(MerchantError):
    """The response is unsigned or its signature does not verify: do not trust its body.

    `status` is the HTTP status and `body` the unverified bytes, for diagnostics only.
    """

    def __init__(self, message: str, status: int = 0, body: bytes = b""):
        super().__init__(message)
        self.status = status
        self.body = body


# ---- signing primitives -------------------------------------------------------------------

def canonical_string(params: Mapping[str, str]) -> str:
    """SPEC §3.2: every param except `sign` and empty values, sorted by key in byte order
    (UTF-8 bytes, not code points or locale), `key=value` joined with '&', values raw."""
    kept = [(k, v) for k, v in params.items() if k != "sign" and v != ""]
    kept.sort(key=lambda kv: kv[0].encode("utf-8"))
    return "&".join(f"{k}={v}" for k, v in kept)


def _openssl() -> str:
    path = shutil.which("openssl")
    if path is None:
        raise UsageError("the openssl command is needed for this sign type but is not installed")
    return path


def _run_openssl(args: list[str], data: bytes) -> subprocess.CompletedProcess:
    # Without OPP_MERCHANT_SECRET: a child needs no secret it was not handed on a pipe.
    env = {k: v for k, v in os.environ.items() if k != "OPP_MERCHANT_SECRET"}
    return subprocess.run([_openssl(), *args], input=data, capture_output=True, check=False, env=env)


def _sm3_available() -> bool:
    try:
        hashlib.new("sm3")
        return True
    except ValueError:
        return False


def _openssl_digest(name: str, data: bytes) -> bytes:
    done = _run_openssl(["dgst", f"-{name}", "-binary"], data)
    if done.returncode != 0:
        raise UsageError(f"openssl cannot compute {name}: {done.stderr.decode(errors='replace').strip()}")
    return done.stdout


def _hmac_over_openssl(name: str, key: bytes, message: bytes) -> bytes:
    """RFC 2104 over `openssl dgst` (block size 64 for SHA-256 and SM3); the key only
    ever travels on a pipe, XORed into the pads."""
    if len(key) > 64:
        key = _openssl_digest(name, key)
    key = key.ljust(64, b"\0")
    inner = _openssl_digest(name, bytes(b ^ 0x36 for b in key) + message)
    return _openssl_digest(name, bytes(b ^ 0x5C for b in key) + inner)


def hmac_hex(sign_type: str, secret: bytes, message: bytes) -> str:
    """Lowercase hex HMAC-SHA256 or HMAC-SM3 of `message` under `secret`."""
    if sign_type == "HMAC-SHA256":
        return hmac.new(secret, message, hashlib.sha256).hexdigest()
    if sign_type == "HMAC-SM3":
        if _sm3_available():
            return hmac.new(secret, message, "sm3").hexdigest()
        return _hmac_over_openssl("sm3", secret, message).hex()
    raise UsageError(f"{sign_type} is not an HMAC sign type")


def rsa2_sign(private_key_file: str, message: bytes) -> str:
    """Base64 RSASSA-PKCS1-v1_5 / SHA-256 signature (via `openssl dgst -sign`)."""
    done = _run_openssl(["dgst", "-sha256", "-sign", private_key_file], message)
    if done.returncode != 0 or not done.stdout:
        reason = (done.stderr.decode(errors="replace").strip().splitlines() or ["no signature"])[0]
        raise UsageError(f"cannot sign with {private_key_file}: {reason}")
    return base64.b64encode(done.stdout).decode("ascii")


def rsa2_verify(public_key_pem: bytes, message: bytes, signature_b64: str) -> bool:
    """True when `signature_b64` is a valid RSA2 signature of `message` under the PEM key."""
    try:
        signature = base64.b64decode(signature_b64 + "=" * (-len(signature_b64) % 4), validate=True)
    except (ValueError, TypeError):
        return False
    with tempfile.TemporaryDirectory(prefix="opp-merchant.") as tmp:
        key_path = os.path.join(tmp, "platform.pem")
        sig_path = os.path.join(tmp, "response.sig")
        with open(key_path, "wb") as f:
            f.write(public_key_pem)
        with open(sig_path, "wb") as f:
            f.write(signature)
        done = _run_openssl(["dgst", "-sha256", "-verify", key_path, "-signature", sig_path], message)
    return done.returncode == 0


def sign_canonical(sign_type: str, canonical: bytes, *, secret: Optional[bytes] = None,
                   private_key: Optional[str] = None) -> str:
    """The `sign` param for a canonical string (SPEC §3.2)."""
    if sign_type == "RSA2":
        if private_key is None:
            raise UsageError("RSA2 needs the merchant's private key file")
        return rsa2_sign(private_key, canonical)
    if secret is None:
        raise UsageError(f"{sign_type} needs the merchant secret")
    return hmac_hex(sign_type, secret, canonical)


def response_signing_bytes(timestamp: str, nonce: str, body: bytes) -> bytes:
    """timestamp + "\\n" + nonce + "\\n" + body + "\\n" (SPEC §3.3), the body's exact bytes."""
    return timestamp.encode() + b"\n" + nonce.encode() + b"\n" + body + b"\n"


# ---- the client ---------------------------------------------------------------------------

class Merchant:
    """One merchant's view of the gateway: signs requests, checks signed responses.

    secret: the HMAC secret (bytes or str, UTF-8) for HMAC-SHA256 / HMAC-SM3.
    private_key: path of the merchant's RSA private key (PEM) for RSA2.
    platform_key: the platform public key (PEM bytes/str, or a path) that RSA2 responses
      are checked with; fetched once from GET {gateway}/gateway/platform-key when None.
    response_window_s: a response whose X-Opp-Timestamp is further from now is refused
      (0: no check).
    cafile: PEM CA certificates an https:// gateway is verified with (certificate and host
      name) instead of the system's.
    """

    def __init__(self, merchant_id: str, sign_type: str, *,
                 secret: Union[bytes, str, None] = None, private_key: Optional[str] = None,
                 platform_key: Union[bytes, str, None] = None, gateway: str = DEFAULT_GATEWAY,
                 svc: str = "payment", content_type: str = "form", timeout: float = 30,
                 response_window_s: int = 300, cafile: Optional[str] = None):
        if sign_type not in SIGN_TYPES:
            raise UsageError(f"sign type must be HMAC-SHA256, HMAC-SM3 or RSA2, got {sign_type!r}")
        if not merchant_id:
            raise UsageError("merchant id is empty")
        if content_type not in ("form", "json"):
            raise UsageError("content_type must be 'form' or 'json'")
        if not re.fullmatch(r"[A-Za-z0-9_.-]+", svc):
            raise UsageError(f"{svc!r} is not a service name")
        if not re.match(r"https?://", gateway):
            raise UsageError(f"the gateway needs an http:// or https:// URL, got {gateway!r}")
        if cafile is not None and not os.access(cafile, os.R_OK):
            raise UsageError(f"cannot read the CA file {cafile}")
        if sign_type == "RSA2":
            if private_key is None:
                raise UsageError("RSA2 needs private_key (the merchant's private key file, PEM)")
            if secret is not None:
                raise UsageError("RSA2 signs with a private key, not a secret")
            if not os.access(private_key, os.R_OK):
                raise UsageError(f"cannot read the private key file {private_key}")
        else:
            if secret is None:
                raise UsageError(f"{sign_type} needs the merchant secret")
            if private_key is not None:
                raise UsageError(f"{sign_type} signs with a secret, not a private key")
            secret = secret.encode("utf-8") if isinstance(secret, str) else bytes(secret)
            if not secret:
                raise UsageError("the secret is empty")
        self.merchant_id = merchant_id
        self.sign_type = sign_type
        self._secret = secret
        self._private_key = private_key
        self._platform_key = _load_pem(platform_key) if platform_key is not None else None
        self.gateway = gateway.rstrip("/")
        self.svc = svc
        self.content_type = content_type
        self.timeout = timeout
        self.response_window_s = response_window_s
        # https://: certificate and host name checked, against cafile or the system's CAs.
        self._tls: Optional[ssl.SSLContext] = None
        if gateway.startswith("https://"):
            try:
                self._tls = ssl.create_default_context(cafile=cafile)
            except (ssl.SSLError, OSError) as e:
                raise UsageError(f"cannot load the CA file {cafile}: {e}") from None

    def __repr__(self) -> str:  # never shows the secret
        return f"Merchant({self.merchant_id!r}, {self.sign_type!r}, gateway={self.gateway!r})"

    def build_params(self, method: str, biz: Any = None, extra: Optional[Mapping[str, str]] = None,
                     *, timestamp: Optional[int] = None, nonce: Optional[str] = None) -> dict:
        """The signed params, in sending order. `biz`: a dict/list (serialised compactly as
        UTF-8 JSON), a str sent exactly as given ('' sends no biz_params), or None for {}."""
        if not method:
            raise UsageError("method is empty")
        if biz is None:
            biz_text = "{}"
        elif isinstance(biz, str):
            biz_text = biz
        else:
            biz_text = json.dumps(biz, ensure_ascii=False, separators=(",", ":"))
        nonce = nonce if nonce is not None else secrets.token_hex(16)
        if not _NONCE.match(nonce):
            raise UsageError("nonce must be 8-64 of [A-Za-z0-9_-]")
        params = {
            "merchant_id": self.merchant_id,
            "method": method,
            "biz_params": biz_text,
            "timestamp": str(int(time.time()) if timestamp is None else int(timestamp)),
            "nonce_str": nonce,
            "sign_type": self.sign_type,
        }
        for key, value in (extra or {}).items():
            if not _PARAM_KEY.match(key):
                raise UsageError(f"extra param key {key!r} must be [A-Za-z0-9_.-]")
            if key in params or key == "sign":
                raise UsageError(f"param {key} is given twice")
            params[key] = str(value)
        canonical = canonical_string(params).encode("utf-8")
        params["sign"] = sign_canonical(self.sign_type, canonical, secret=self._secret,
                                        private_key=self._private_key)
        # Empty values are neither signed nor sent.
        return {k: v for k, v in params.items() if v != ""}

    def encode(self, params: Mapping[str, str]) -> tuple[str, bytes]:
        """(Content-Type, body) for the params."""
        if self.content_type == "json":
            return "application/json", json.dumps(dict(params), ensure_ascii=False,
                                                  separators=(",", ":")).encode("utf-8")
        # quote_via=quote: spaces as %20; every reserved byte of the JSON percent-encoded.
        body = urllib.parse.urlencode(list(params.items()), quote_via=urllib.parse.quote, safe="")
        return "application/x-www-form-urlencoded", body.encode("ascii")

    def call(self, method: str, biz: Any = None, extra: Optional[Mapping[str, str]] = None) -> dict:
        """POSTs one call and returns the parsed envelope ({"err_code": ..., "data": ...}),
        whatever its err_code, once its signature verified. Raises SignatureError when the
        response is unsigned or does not verify, TransportError when no envelope came back."""
        content_type, body = self.encode(self.build_params(method, biz, extra))
        status, headers, raw = self.post(content_type, body)
        self.verify_response(headers, raw, status)
        try:
            envelope = json.loads(raw)
        except ValueError as e:
            raise TransportError(f"the signed response is not JSON: {e}") from None
        if not isinstance(envelope, dict) or not isinstance(envelope.get("err_code"), int):
            raise TransportError("the signed response has no err_code: not a gateway envelope")
        return envelope

    def post(self, content_type: str, body: bytes) -> tuple[int, Mapping[str, str], bytes]:
        """POST {gateway}/gateway/{svc}: (HTTP status, headers, exact body bytes)."""
        request = urllib.request.Request(f"{self.gateway}/gateway/{self.svc}", data=body,
                                         method="POST", headers={"Content-Type": content_type})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout, context=self._tls) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as e:  # 4xx/5xx still carry an envelope, maybe signed
            with e:
                return e.code, e.headers, e.read()
        except (urllib.error.URLError, OSError) as e:
            raise TransportError(f"POST {self.gateway}/gateway/{self.svc} failed: "
                                 f"{getattr(e, 'reason', e)}") from None

    def platform_key(self) -> bytes:
        """The platform public key (PEM): as given, or fetched once from the gateway."""
        if self._platform_key is None:
            url = f"{self.gateway}/gateway/platform-key"
            try:
                with urllib.request.urlopen(url, timeout=self.timeout, context=self._tls) as response:
                    self._platform_key = response.read()
            except (urllib.error.URLError, OSError) as e:
                raise SignatureError(f"cannot fetch the platform key from {url}: "
                                     f"{getattr(e, 'reason', e)}") from None
        return self._platform_key

    def verify_response(self, headers: Mapping[str, str], body: bytes, status: int = 0) -> None:
        """Checks X-Opp-Timestamp/Nonce/Sign-Type/Signature over `body` (SPEC §3.3);
        raises SignatureError when anything is missing or wrong."""
        def refuse(reason: str):
            raise SignatureError(f"response NOT verified: {reason} (HTTP {status})", status, body)

        timestamp = headers.get("X-Opp-Timestamp") or ""
        nonce = headers.get("X-Opp-Nonce") or ""
        sign_type = headers.get("X-Opp-Sign-Type") or ""
        signature = headers.get("X-Opp-Signature") or ""
        if not signature:
            refuse("it is not signed (no X-Opp-Signature; the gateway signs only authenticated answers)")
        if sign_type != self.sign_type:
            refuse(f"X-Opp-Sign-Type is {sign_type!r}, expected {self.sign_type}")
        if not re.fullmatch(r"[0-9]{1,19}", timestamp):
            refuse(f"X-Opp-Timestamp {timestamp!r} is not Unix seconds")
        if not nonce:
            refuse("X-Opp-Nonce is missing")
        if self.response_window_s > 0:
            skew = abs(int(time.time()) - int(timestamp))
            if skew > self.response_window_s:
                refuse(f"X-Opp-Timestamp is {skew}s from now (window {self.response_window_s}s)")
        signed = response_signing_bytes(timestamp, nonce, body)
        if self.sign_type == "RSA2":
            if not rsa2_verify(self.platform_key(), signed, signature):
                refuse("RSA2 signature does not verify with the platform key")
        else:
            expected = hmac_hex(self.sign_type, self._secret, signed)
            if not hmac.compare_digest(expected, signature.lower()):
                refuse(f"{self.sign_type} signature does not match")


def _load_pem(key: Union[bytes, str]) -> bytes:
    """PEM text given directly, or the content of the file it names."""
    if isinstance(key, bytes):
        return key
    if "-----BEGIN" in key:
        return key.encode("ascii")
    with open(key, "rb") as f:
        return f.read()


# ---- command line -------------------------------------------------------------------------

def _read_secret(path: str) -> bytes:
    """The whole file (or stdin for '-'), one trailing line end dropped (as opp-admin)."""
    data = sys.stdin.buffer.read() if path == "-" else open(path, "rb").read()
    if data.endswith(b"\n"):
        data = data[:-1]
    if data.endswith(b"\r"):
        data = data[:-1]
    return data


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="merchant.py",
        description="Calls METHOD with BIZ_PARAMS_JSON (default {}; '' sends no biz_params) and "
                    "prints the response body once its signature has been verified.",
        epilog="exit status: 0 verified and err_code 0; 1 verified but err_code is not 0; 2 usage "
               "error; 3 the response is unsigned or its signature does not verify (its body then "
               "goes to stderr, never stdout); 4 the request could not be made or the answer is "
               "not an envelope.")
    p.add_argument("method", metavar="METHOD")
    p.add_argument("biz", metavar="BIZ_PARAMS_JSON", nargs="?", default="{}")
    p.add_argument("--gateway", default=os.environ.get("OPP_GATEWAY", DEFAULT_GATEWAY),
                   help="gateway base URL, http:// or https:// (default $OPP_GATEWAY or %(default)s)")
    p.add_argument("--cacert", default=os.environ.get("OPP_CA_FILE") or None, metavar="FILE",
                   help="PEM CA certificates to verify an https:// gateway with, instead of the "
                        "system's (default $OPP_CA_FILE)")
    p.add_argument("--svc", default="payment", help="service, the IDL file stem (default payment)")
    p.add_argument("--merchant", required=True, help="merchant id")
    p.add_argument("--sign-type", required=True, choices=SIGN_TYPES)
    p.add_argument("--secret", help="HMAC secret (visible in `ps`; prefer '-' for stdin or --secret-file)")
    p.add_argument("--secret-file", help="read the HMAC secret from FILE (one trailing newline dropped)")
    p.add_argument("--key", help="the merchant's RSA private key, PEM (RSA2)")
    p.add_argument("--platform-key", help="platform public key, PEM, for RSA2 responses "
                                          "(default: fetched from GET URL/gateway/platform-key)")
    p.add_argument("--param", action="append", default=[], metavar="KEY=VALUE",
                   help="an extra param, covered by the signature (repeatable)")
    p.add_argument("--json", action="store_true", help="send application/json instead of a form")
    p.add_argument("--response-window", type=int, default=300, metavar="S",
                   help="max seconds between X-Opp-Timestamp and now (default 300; 0: no check)")
    p.add_argument("--timeout", type=float, default=30, metavar="S", help="request timeout (default 30)")
    p.add_argument("--timestamp", type=int, help="use T instead of the current time")
    p.add_argument("--nonce", help="use N instead of a fresh nonce")
    p.add_argument("--dry-run", action="store_true", help="print the request body, send nothing")
    p.add_argument("-v", "--verbose", action="store_true",
                   help="canonical string, HTTP status and checks on stderr")
    return p


def main(argv: Optional[Iterable[str]] = None) -> int:
    args = _parser().parse_args(argv)

    def say(message: str) -> None:
        print(f"merchant.py: {message}", file=sys.stderr)

    try:
        secret: Optional[bytes] = None
        if args.secret is not None and args.secret_file is not None:
            raise UsageError("give --secret or --secret-file, not both")
        if args.secret == "-":
            secret = _read_secret("-")
        elif args.secret is not None:
            secret = args.secret.encode("utf-8")
        elif args.secret_file is not None:
            try:
                secret = _read_secret(args.secret_file)
            except OSError as e:
                raise UsageError(f"--secret-file: {e.strerror}: {args.secret_file}") from None
        elif args.sign_type != "RSA2" and "OPP_MERCHANT_SECRET" in os.environ:
            secret = os.environ["OPP_MERCHANT_SECRET"].encode("utf-8")
        platform_key = None
        if args.platform_key is not None:
            try:
                platform_key = _load_pem(args.platform_key)
            except OSError as e:
                raise UsageError(f"--platform-key: {e.strerror}: {args.platform_key}") from None
        extra = {}
        for item in args.param:
            if "=" not in item:
                raise UsageError(f"--param needs KEY=VALUE, got {item!r}")
            key, value = item.split("=", 1)
            if key in extra:
                raise UsageError(f"--param: {key} is given twice")
            extra[key] = value
        merchant = Merchant(args.merchant, args.sign_type, secret=secret, private_key=args.key,
                            platform_key=platform_key, gateway=args.gateway, svc=args.svc,
                            content_type="json" if args.json else "form", timeout=args.timeout,
                            response_window_s=args.response_window, cafile=args.cacert)
        params = merchant.build_params(args.method, args.biz, extra,
                                       timestamp=args.timestamp, nonce=args.nonce)
        if args.verbose:
            say(f"canonical string: {canonical_string(params)}")
        content_type, body = merchant.encode(params)
        if args.dry_run:
            sys.stdout.buffer.write(body + b"\n")
            return EXIT_OK
        if args.verbose:
            say(f"POST {merchant.gateway}/gateway/{merchant.svc} ({content_type})")
        status, headers, raw = merchant.post(content_type, body)
        if args.verbose:
            say(f"HTTP {status}, X-Request-Id {headers.get('X-Request-Id', '')}")
        merchant.verify_response(headers, raw, status)
        if args.verbose:
            say(f"response signature verified ({merchant.sign_type})")
        sys.stdout.buffer.write(raw + b"\n")
        sys.stdout.flush()
        try:
            envelope = json.loads(raw)
            err_code = envelope.get("err_code") if isinstance(envelope, dict) else None
        except ValueError:
            err_code = None
        if not isinstance(err_code, int):
            say("the response has no err_code: not a gateway envelope")
            return EXIT_TRANSPORT
        return EXIT_OK if err_code == 0 else EXIT_BUSINESS
    except UsageError as e:
        say(str(e))
        return EXIT_USAGE
    except SignatureError as e:
        say(str(e))
        sys.stderr.write("merchant.py: unverified body: ")
        sys.stderr.flush()
        sys.stderr.buffer.write(e.body + b"\n")
        return EXIT_UNVERIFIED
    except TransportError as e:
        say(str(e))
        return EXIT_TRANSPORT


if __name__ == "__main__":
    sys.exit(main())
