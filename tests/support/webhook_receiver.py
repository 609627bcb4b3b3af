"""A CRM's webhook receiver on 127.0.0.1: records each request and answers as scripted, checking signatures.

Each answer in ``script`` is used once, in order, then ``then`` for every later request:
an HTTP status (500, 200…), ``"slow"`` (answers only after ``slow_seconds``, past the client's
timeout), or ``"redirect"`` (302 to another path on this server, which must never be followed).
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from webhooks.signing import SIGNATURE_HEADER, verify


@dataclass(frozen=True)
class Received:
    """One request as the receiver saw it, and what it answered."""

    path: str
    headers: dict[str, str]
    body: bytes
    answered: int | str
    signature_ok: bool

    @property
    def event(self) -> dict[str, Any]:
        """The JSON body."""
        return json.loads(self.body)


class WebhookReceiver:
    """A threaded HTTP server that verifies each request's signature with ``secret`` (when known)."""

    def __init__(self, script: Sequence[int | str] = (), then: int | str = 200, slow_seconds: float = 1.5):
        self.script = list(script)
        self.then = then
        self.slow_seconds = slow_seconds
        self.secret: str | None = None
        self.received: list[Received] = []
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with receiver._lock:
                    answer = receiver.script.pop(0) if receiver.script else receiver.then
                    secret = receiver.secret
                ok = secret is not None and verify(
                    secret, self.headers.get(SIGNATURE_HEADER, ""), body, int(time.time())
                )
                with receiver._lock:
                    receiver.received.append(Received(self.path, dict(self.headers), body, answer, ok))
                if answer == "slow":
                    time.sleep(receiver.slow_seconds)
                    answer = 200
                with contextlib.suppress(OSError):  # a client that gave up waiting has hung up
                    if answer == "redirect":
                        self.send_response(302)
                        self.send_header("Location", "/elsewhere")
                    else:
                        self.send_response(int(answer))
                    self.send_header("Content-Length", "2")
                    self.end_headers()
                    self.wfile.write(b"ok")

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        """The receiver's endpoint URL."""
        return f"http://127.0.0.1:{self.server.server_address[1]}/hooks/patchthrough"

    def __enter__(self) -> WebhookReceiver:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def accepted(self) -> list[Received]:
        """Requests answered 2xx in time (a slow answer came after the client had hung up)."""
        return [r for r in self.received if isinstance(r.answered, int) and r.answered < 300]
