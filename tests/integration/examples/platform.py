"""The platform as a user runs it, for the example clients' tests: the real opp-payment on
SQLite and the real opp-gateway in a temporary directory, on ephemeral loopback ports,
merchants added with the real opp-admin; with tls=True the gateway's TLS listener too, its
throwaway CA and certificate made by scripts/make-test-certs.sh. Only processes started
here are stopped here."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass
from typing import Optional

_LISTENING = re.compile(rb"listening on [^\s:]+:(\d+)")
_LISTENING_TLS = re.compile(rb"listening for TLS on [^\s:]+:(\d+)")
_MAKE_CERTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "scripts",
                           "make-test-certs.sh")


class Process:
    """A child process whose output goes to files in the platform directory."""

    def __init__(self, name: str, argv: list[str], cwd: str):
        self.name = name
        self.out_path = os.path.join(cwd, f"{name}.out")
        self.err_path = os.path.join(cwd, f"{name}.err")
        with open(self.out_path, "wb") as out, open(self.err_path, "wb") as err:
            self.popen = subprocess.Popen(argv, cwd=cwd, stdout=out, stderr=err,
                                          stdin=subprocess.DEVNULL)

    def output(self) -> bytes:
        with open(self.out_path, "rb") as f:
            return f.read()

    def errors(self) -> str:
        with open(self.err_path, "rb") as f:
            return f.read().decode(errors="replace")

    def wait_listening(self, seconds: float = 30, line: re.Pattern = _LISTENING) -> int:
        """The port from its "listening on HOST:PORT" line (or another `line`); raises if it
        exits or stalls."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            match = line.search(self.output())
            if match:
                return int(match.group(1))
            if self.popen.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.popen.returncode}: {self.errors()}")
            time.sleep(0.02)
        raise RuntimeError(f"{self.name} did not start listening: {self.errors()}")

    def stop(self) -> None:
        """SIGTERM, then SIGKILL if it has not exited within 10 s."""
        if self.popen.poll() is not None:
            return
        self.popen.send_signal(signal.SIGTERM)
        try:
            self.popen.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            self.popen.wait()


@dataclass
class Binaries:
    gateway: str
    payment: str
    admin: str


@dataclass
class MerchantKey:
    id: str
    sign_type: str
    secret: Optional[bytes] = None    # HMAC types
    secret_file: Optional[str] = None
    private_key: Optional[str] = None  # RSA2: the merchant's private key file


class Platform:
    """opp-payment + opp-gateway in a fresh temporary directory (removed by close())."""

    def __init__(self, binaries: Binaries, idl_dir: str, keep_dir: bool = False, tls: bool = False):
        self.binaries = binaries
        self.idl_dir = idl_dir
        self.keep_dir = keep_dir
        self.dir = tempfile.mkdtemp(prefix="opp-examples-")
        self.payment: Optional[Process] = None
        self.gateway: Optional[Process] = None
        self.gateway_port = 0
        self.tls = tls
        self.tls_port = 0
        try:
            self._write("payment.yaml",
                        'listen: "127.0.0.1:0"\n'
                        'database: "sqlite3://db=data/payment.db"\n'
                        "workers: 4\n"
                        'platform_private_key: "conf/platform_key.pem"\n')
            self.payment = Process("payment", [binaries.payment, "--config", self.path("payment.yaml")],
                                   self.dir)
            payment_port = self.payment.wait_listening()
            tls_yaml = ""
            if tls:
                subprocess.run(["bash", _MAKE_CERTS, self.path("tls")], check=True, capture_output=True)
                tls_yaml = ('tls: {listen: "127.0.0.1:0", cert: "tls/server.crt", '
                            'key: "tls/server.key"}\n')
            self._write("gateway.yaml", tls_yaml +
                        'listen: "127.0.0.1:0"\n'
                        "threads: 2\n"
                        f'idl_dir: "{idl_dir}"\n'
                        'database: "sqlite3://db=data/gateway.db"\n'
                        'auth: {platform_private_key: "conf/platform_key.pem", '
                        'secret_key: "conf/secret_kek.bin"}\n'
                        "upstreams:\n"
                        "  payment:\n"
                        f'    endpoints: ["127.0.0.1:{payment_port}"]\n'
                        "    connect_timeout_ms: 1000\n"
                        "    timeout_ms: 5000\n")
        except BaseException:
            self.close()
            raise

    def path(self, name: str) -> str:
        return os.path.join(self.dir, name)

    def _write(self, name: str, text: str) -> None:
        with open(self.path(name), "w") as f:
            f.write(text)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.gateway_port}"

    @property
    def tls_url(self) -> str:
        return f"https://127.0.0.1:{self.tls_port}"

    @property
    def ca_file(self) -> str:
        """The throwaway CA that signed the TLS listener's certificate."""
        return self.path("tls/ca.crt")

    def start_gateway(self) -> None:
        self.gateway = Process("gateway", [self.binaries.gateway, "--config", self.path("gateway.yaml")],
                               self.dir)
        if self.tls:
            self.tls_port = self.gateway.wait_listening(line=_LISTENING_TLS)
        self.gateway_port = self.gateway.wait_listening()

    def admin(self, *args: str, stdin: bytes = b"") -> subprocess.CompletedProcess:
        return subprocess.run([self.binaries.admin, "--config", self.path("gateway.yaml"), *args],
                              input=stdin, capture_output=True, cwd=self.dir, timeout=60)

    def add_hmac_merchant(self, merchant_id: str, sign_type: str) -> MerchantKey:
        """A merchant with a fresh secret, given to opp-admin on stdin (not in `ps`)."""
        secret = ("s3cret " + os.urandom(12).hex() + " $'\"&=").encode()
        done = self.admin("merchant", "add", "--id", merchant_id, "--sign-type", sign_type,
                          "--secret", "-", stdin=secret)
        if done.returncode != 0:
            raise RuntimeError(f"opp-admin merchant add failed: {done.stderr.decode(errors='replace')}")
        secret_file = self.path(f"{merchant_id}.secret")
        fd = os.open(secret_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(secret)
        return MerchantKey(merchant_id, sign_type, secret=secret, secret_file=secret_file)

    def add_rsa_merchant(self, merchant_id: str) -> MerchantKey:
        """A merchant with a fresh 2048-bit RSA key made by the openssl command line."""
        private_key = self.path(f"{merchant_id}_private.pem")
        public_key = self.path(f"{merchant_id}_public.pem")
        make_rsa_key(private_key, public_key)
        done = self.admin("merchant", "add", "--id", merchant_id, "--sign-type", "RSA2",
                          "--public-key", public_key)
        if done.returncode != 0:
            raise RuntimeError(f"opp-admin merchant add failed: {done.stderr.decode(errors='replace')}")
        return MerchantKey(merchant_id, "RSA2", private_key=private_key)

    def close(self) -> None:
        for process in (self.gateway, self.payment):
            if process is not None:
                process.stop()
        if not self.keep_dir:
            shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self) -> "Platform":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def make_rsa_key(private_path: str, public_path: str) -> None:
    """openssl genrsa 2048 (PKCS#8 PEM) and its SPKI public key."""
    subprocess.run(["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048",
                    "-out", private_path], check=True, capture_output=True)
    os.chmod(private_path, 0o600)
    subprocess.run(["openssl", "pkey", "-in", private_path, "-pubout", "-out", public_path],
                   check=True, capture_output=True)
