"""A tiny local HTTP server that stands in for the gateway (or sits in front of it), so
the clients' response checks can be fed exactly the answer a test wants: correctly
signed, or tampered with in one way. Loopback only, ephemeral port."""

from __future__ import annotations

import http.client
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable, Mapping, Optional

# respond(path, request_body, request_content_type) -> (status, headers, body)
Responder = Callable[[str, bytes, str], "tuple[int, Mapping[str, str], bytes]"]


class StubGateway:
    """Answers POST /gateway/* with `respond(path, body, content_type)` and GET /gateway/platform-key
    with `platform_key` (or `respond` when that is None). Records every POSTed body."""

    def __init__(self, respond: Responder, platform_key: Optional[bytes] = None):
        self.respond = respond
        self.platform_key = platform_key
        self.requests: list[bytes] = []
        self.platform_key_fetches = 0
        stub = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:  # quiet: the test reports what matters
                pass

            def _answer(self, status: int, headers: Mapping[str, str], body: bytes) -> None:
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:
                if self.path == "/gateway/platform-key" and stub.platform_key is not None:
                    stub.platform_key_fetches += 1
                    self._answer(200, {"Content-Type": "application/x-pem-file"}, stub.platform_key)
                else:
                    self._answer(*stub.respond(self.path, b"", ""))

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                stub.requests.append(body)
                self._answer(*stub.respond(self.path, body, self.headers.get("Content-Type", "")))

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)

    def __enter__(self) -> "StubGateway":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def forward(upstream_port: int, path: str, body: bytes, content_type: str) -> "tuple[int, dict, bytes]":
    """One request to the real gateway on 127.0.0.1:upstream_port: (status, headers, body).
    A body means POST (with `content_type`), none means GET."""
    connection = http.client.HTTPConnection("127.0.0.1", upstream_port, timeout=30)
    try:
        headers = {"Content-Type": content_type} if body else {}
        connection.request("POST" if body else "GET", path, body=body or None, headers=headers)
        response = connection.getresponse()
        data = response.read()
        kept = {name: value for name, value in response.getheaders()
                if name.lower() not in ("content-length", "connection", "transfer-encoding")}
        return response.status, kept, data
    finally:
        connection.close()
