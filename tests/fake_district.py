"""A fake district city-operations platform on loopback, for the hand-off tests.

It takes `POST /cases` with JSON, keeps one case per Idempotency-Key (the same key again gets
the same answer, as a real idempotent API does), and can be switched:

- `up()`: answers 201 {"reference": "CY…"} (200 with the same reference for a repeat);
- `down()`: nothing listens on the port (connection refused), `up()` listens again;
- `fail(status)`: answers `status` (500, 503, 429, 400, …) to every call;
- `slow(seconds)`: waits before answering (longer than the client's timeout → a timeout).

    with FakeDistrict(token="t") as platform:
        settings.JIEQU_DISTRICT_PLATFORM_URL = platform.url
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class FakeDistrict:
    def __init__(self, token: str = "platform-secret") -> None:
        self.token = token
        self.cases: dict[str, dict[str, Any]] = {}  # idempotency key → {"reference", "payload"}
        self.requests: list[dict[str, Any]] = []  # every call that reached the platform
        self.status: int | None = None  # a forced answer (fail)
        self.delay = 0.0
        self.port = 0
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    # ---- switching -------------------------------------------------------------------------
    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/cases"

    def up(self) -> FakeDistrict:
        self.status, self.delay = None, 0.0
        if self._server is None:
            self._listen()
        return self

    def down(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
            self._thread = None

    def fail(self, status: int = 500) -> None:
        self.status = status

    def slow(self, seconds: float) -> None:
        self.delay = seconds

    def __enter__(self) -> FakeDistrict:
        return self.up()

    def __exit__(self, *exc: Any) -> None:
        self.down()

    # ---- what it received ------------------------------------------------------------------
    def case_numbers(self) -> list[str]:
        """The Jiequ case numbers the platform holds, once per hand-off."""
        return [c["payload"].get("number") for c in self.cases.values()]

    # ---- server ----------------------------------------------------------------------------
    def _listen(self) -> None:
        platform = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # keep test output quiet
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                key = self.headers.get("Idempotency-Key", "")
                auth = self.headers.get("Authorization", "")
                platform.requests.append({"key": key, "auth": auth, "body": raw})
                if platform.delay:
                    time.sleep(platform.delay)
                if platform.status is not None:
                    return self._answer(platform.status, {"error": "forced failure"})
                if auth != f"Bearer {platform.token}":
                    return self._answer(401, {"error": "bad token"})
                try:
                    payload = json.loads(raw.decode("utf-8"))
                except ValueError:
                    return self._answer(400, {"error": "not JSON"})
                if not key:
                    return self._answer(400, {"error": "Idempotency-Key required"})
                with platform._lock:
                    if key in platform.cases:
                        return self._answer(200, {"reference": platform.cases[key]["reference"]})
                    reference = f"CY2026{len(platform.cases) + 1:05d}"
                    platform.cases[key] = {"reference": reference, "payload": payload}
                return self._answer(201, {"reference": reference})

            def _answer(self, status: int, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout)

        server = _Server(("127.0.0.1", self.port), Handler)
        self.port = server.server_address[1]
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, daemon=True)
        self._thread.start()


class _Server(ThreadingHTTPServer):
    # Listen again on the same port after `down()` (the socket may linger in TIME_WAIT).
    allow_reuse_address = True
    daemon_threads = True
