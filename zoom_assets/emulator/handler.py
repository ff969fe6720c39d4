"""HTTP request handling: routing, then auth, scopes, faults and rate limits around each endpoint.

The order follows what a client sees from Zoom: a bad or missing token is refused before any
quota is spent; a request that passes authentication is counted against its category (so a 5xx
or a malformed body still costs quota), and added latency is a plain sleep outside every lock.
"""

from __future__ import annotations

import json
import math
import re
import socket
import struct
import time
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

from zoom_assets.emulator.faults import Injected
from zoom_assets.emulator.ratelimit import PER_SECOND_TYPE, Verdict
from zoom_assets.emulator.timefmt import iso, next_utc_midnight

if TYPE_CHECKING:
    from zoom_assets.emulator.server import ZoomEmulator

PER_SECOND_429 = {
    "code": 429,
    "message": "You have reached the maximum per-second rate limit for this API. Try again later.",
}
DAILY_429 = {
    "code": 429,
    "message": "You have reached the maximum daily rate limit for this API. "
    "Refer to the response header for details on when you can make another request.",
}
ERROR_5XX = {"code": 500, "message": "Internal Error."}

# (pattern on the undecoded path, endpoint name, rate-limit category)
ROUTES = (
    (re.compile(r"^/v2/users$"), "users", "Medium"),
    (re.compile(r"^/v2/report/users/([^/]+)/meetings$"), "report_meetings", "Heavy"),
    (re.compile(r"^/v2/past_meetings/(.+)/participants$"), "past_participants", "Medium"),
)


def _first_values(raw_query: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(raw_query, keep_blank_values=True).items()}


class Handler(BaseHTTPRequestHandler):
    """One connection; HTTP/1.1 keep-alive, every response carries a Content-Length."""

    protocol_version = "HTTP/1.1"
    wbufsize = 1 << 16  # headers and body leave in one segment (no Nagle/delayed-ACK stall)

    def setup(self) -> None:
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def version_string(self) -> str:
        return "ZoomEmulator"

    @property
    def emulator(self) -> ZoomEmulator:
        return self.server.emulator  # type: ignore[attr-defined]

    def log_message(self, format: str, *args: object) -> None:
        """Silent: request lines would carry page tokens into logs."""

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        if url.path == "/_emulator/stats":
            self._send(200, self.emulator.stats())
            return
        for pattern, endpoint, category in ROUTES:
            match = pattern.match(url.path)
            if match:
                self._api(endpoint, category, match.group(1) if match.groups() else "", url.query)
                return
        self._send(404, {"code": 404, "message": "Not Found"})

    def do_POST(self) -> None:
        url = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if url.path == "/oauth/token":
            self._token(url.query, body)
        elif url.path == "/_emulator/faults":
            self._admin_faults(body)
        elif url.path == "/_emulator/reset":
            self.emulator.reset_stats()
            self._send(200, {"reset": True})
        else:
            self._send(404, {"code": 404, "message": "Not Found"})

    def _token(self, raw_query: str, raw_body: bytes) -> None:
        emulator = self.emulator
        form = {**_first_values(raw_query), **_first_values(raw_body.decode("utf-8", "replace"))}
        injected = emulator.dice.choose(emulator.faults, "token")
        if self._inject_transport(injected, "token", None):
            return
        if injected.slow:
            time.sleep(injected.slow)
        if injected.error_5xx:
            status, body = injected.error_5xx, ERROR_5XX
        else:
            status, body = emulator.tokens.grant(
                form,
                self.headers.get("Authorization"),
                emulator.api_url,
                emulator.faults.revoke_credentials,
            )
        emulator.stats_counter.record("token", status, None)
        self._send(status, body, truncate=injected.malformed and status == 200)

    def _admin_faults(self, raw_body: bytes) -> None:
        try:
            changes = json.loads(raw_body or b"{}")
            if not isinstance(changes, dict):
                raise ValueError("send a JSON object of Faults fields")
            self.emulator.faults.merge(changes)
        except ValueError as error:
            self._send(400, {"error": str(error)})
            return
        self._send(200, self.emulator.faults.as_dict())

    def _api(self, endpoint: str, category: str, path_arg: str, raw_query: str) -> None:
        emulator = self.emulator
        with emulator.stats_counter.in_flight():
            query = _first_values(raw_query)
            status, body, verdict, injected = self._evaluate(endpoint, category, path_arg, query)
            if self._inject_transport(injected, endpoint, category):
                return
            delay = emulator.latency + injected.slow
            if delay > 0:
                time.sleep(delay)
            headers = {
                "X-RateLimit-Category": category,
                "X-RateLimit-Type": verdict.limit_type,
                "X-RateLimit-Limit": str(verdict.limit),
                "X-RateLimit-Remaining": str(verdict.remaining),
            }
            if verdict.limited == "daily":
                headers["Retry-After"] = next_utc_midnight(emulator.clock())
            elif status == 429:
                retry_after = self._per_second_retry_after(verdict)
                if retry_after:
                    headers["Retry-After"] = retry_after
            emulator.stats_counter.record(endpoint, status, category, verdict.limited)
            self._send(status, body, headers, truncate=injected.malformed and status == 200)

    def _evaluate(
        self, endpoint: str, category: str, path_arg: str, query: dict[str, str]
    ) -> tuple[int, dict, Verdict, Injected]:
        """Decide the answer (status, body) and the rate-limit window it reports."""
        emulator = self.emulator
        bearer_error = emulator.tokens.bearer_error(
            self.headers.get("Authorization"), query, emulator.faults.revoke_credentials
        )
        if bearer_error:
            return 401, {"code": 124, "message": bearer_error}, emulator.limiter.peek(category), _NO
        scope_error = emulator.tokens.missing_scope(endpoint)
        if scope_error:
            return 400, {"code": 4711, "message": scope_error}, emulator.limiter.peek(category), _NO
        injected = emulator.dice.choose(emulator.faults, endpoint)
        if injected.storm:
            verdict = Verdict(
                "second", PER_SECOND_TYPE, emulator.limiter.peek(category).limit, 0, 1
            )
            return 429, PER_SECOND_429, verdict, injected
        verdict = emulator.limiter.admit(
            category, emulator.clock().date(), emulator.faults.daily_quota_remaining
        )
        if verdict.limited:
            return (
                429,
                DAILY_429 if verdict.limited == "daily" else PER_SECOND_429,
                verdict,
                injected,
            )
        if injected.error_5xx:
            return injected.error_5xx, ERROR_5XX, verdict, injected
        route = getattr(emulator.api, endpoint)
        status, body = route(path_arg, query) if path_arg else route(query)
        return status, body, verdict, injected

    def _per_second_retry_after(self, verdict: Verdict) -> str | None:
        form = self.emulator.faults.retry_after_form
        if form == "none":
            return None
        if form == "date":
            return iso(math.ceil(time.time()) + verdict.retry_after_seconds)
        return str(max(1, verdict.retry_after_seconds))

    def _inject_transport(self, injected: Injected, endpoint: str, category: str | None) -> bool:
        """Drop the connection with a TCP reset if this request drew that fault."""
        if not injected.reset:
            return False
        self.emulator.stats_counter.record(endpoint, 0, category)
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True
        self.connection.close()
        return True

    def _send(
        self, status: int, body: dict, headers: dict[str, str] | None = None, truncate: bool = False
    ) -> None:
        payload = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
        if truncate:
            payload = payload[: max(1, len(payload) // 2)]
        self.send_response(status)
        self.send_header("Content-Type", "application/json;charset=UTF-8")
        self.send_header("Content-Length", str(len(payload)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)


_NO = Injected()
