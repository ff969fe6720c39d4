"""`ZoomEmulator`: a Zoom API look-alike served over real HTTP on a loopback port."""

from __future__ import annotations

import contextlib
import socket
import sys
import threading
from collections.abc import Callable
from datetime import date, datetime, timedelta
from http.server import ThreadingHTTPServer
from types import TracebackType

from zoom_assets.emulator.account import Account
from zoom_assets.emulator.faults import Dice, Faults
from zoom_assets.emulator.handler import Handler
from zoom_assets.emulator.paging import PageTokens
from zoom_assets.emulator.ratelimit import RateLimiter
from zoom_assets.emulator.routes import Api
from zoom_assets.emulator.stats import Stats
from zoom_assets.emulator.timefmt import utc_now
from zoom_assets.emulator.tokens import DEFAULT_SCOPES, Credentials, TokenStore


class _Server(ThreadingHTTPServer):
    """Threaded server that remembers open connections so `stop()` can close idle keep-alives."""

    daemon_threads = True
    request_queue_size = 256

    def __init__(self, address: tuple[str, int], emulator: ZoomEmulator) -> None:
        self.emulator = emulator
        self.open_connections: set[socket.socket] = set()
        self.connections_lock = threading.Lock()
        super().__init__(address, Handler)

    def process_request(self, request, client_address) -> None:  # type: ignore[no-untyped-def]
        with self.connections_lock:
            self.open_connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request) -> None:  # type: ignore[no-untyped-def]
        with self.connections_lock:
            self.open_connections.discard(request)
        super().shutdown_request(request)

    def handle_error(self, request, client_address) -> None:  # type: ignore[no-untyped-def]
        """A client that hung up (timeout, reset) is normal here; anything else is reported."""
        if not isinstance(sys.exc_info()[1], OSError):
            super().handle_error(request, client_address)

    def close_connections(self) -> None:
        with self.connections_lock:
            connections = list(self.open_connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)


class ZoomEmulator:
    """A deterministic Zoom account behind Zoom's token endpoint and three read endpoints.

    Construction builds the account (so `account` is usable before `start()`); `start()` binds
    the port (0 = any free port) and serves from a background thread.

    Choices where Zoom's behaviour is undocumented [U] (REFERENCE marks): report `from`/`to` are
    read in the host's time zone (`report_timezone="UTC"` to change); window-rule and validation
    errors are 400/300 with our wording; `page_size` above the maximum is clamped (users 2000,
    others 300); a double-encoded UUID that did not need it is accepted; a single-participant
    meeting's participants are an empty 200; a bad `account_id` at the token endpoint is 400
    `invalid_request`; a missing bearer is 401/124; the per-second `X-RateLimit-Type` is "QPS".
    `plan="free"` also makes the report and participants endpoints answer 400/200 (paid only).
    """

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        account_id: str = "emu-account",
        client_id: str = "emu-client",
        client_secret: str = "emu-secret",  # noqa: S107 (the documented demo credential)
        seed: int = 7,
        users: int = 40,
        days: int = 14,
        end_date: date | None = None,
        plan: str = "business_plus",
        rate_limit_scale: float = 1.0,
        latency: float = 0.0,
        token_ttl: int = 3600,
        revoke_previous_tokens: bool = False,
        scopes: list[str] | None = None,
        report_timezone: str = "user",
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.host = host
        self.port = port
        self.clock = clock or utc_now
        self.latency = latency
        end = end_date or self.clock().date() - timedelta(days=1)
        self.account = Account(seed=seed, users=users, days=days, end_date=end)
        self.faults = Faults()
        self.dice = Dice(seed)
        self.limiter = RateLimiter(plan, rate_limit_scale)
        self.tokens = TokenStore(
            credentials=Credentials(account_id, client_id, client_secret),
            ttl=token_ttl,
            scopes=tuple(DEFAULT_SCOPES if scopes is None else scopes),
            revoke_previous=revoke_previous_tokens,
            clock=self.clock,
        )
        self.api = Api(
            self.account,
            PageTokens(self.clock),
            self.faults,
            self.clock,
            report_timezone,
            free_account_id=account_id if plan == "free" else None,
        )
        self.stats_counter = Stats()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def faults(self) -> Faults:
        """The live fault switches; assign fields to change behaviour at run time."""
        return self._faults

    @faults.setter
    def faults(self, value: Faults) -> None:
        self._faults = value
        if hasattr(self, "api"):
            self.api.faults = value

    @property
    def api_url(self) -> str:
        """What the token response names as `api_url` (host only, as Zoom sends it)."""
        return f"http://{self.host}:{self.port}"

    @property
    def base_url(self) -> str:
        return f"{self.api_url}/v2"

    @property
    def token_url(self) -> str:
        return f"{self.api_url}/oauth/token"

    def start(self) -> ZoomEmulator:
        """Bind and serve in a background thread; returns self."""
        if self._server is not None:
            raise RuntimeError("the emulator is already running")
        self._server = _Server((self.host, self.port), self)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"zoom-emulator-{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close every open connection; safe to call twice."""
        server, self._server = self._server, None
        if server is None:
            return
        server.shutdown()
        server.close_connections()
        server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> ZoomEmulator:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def stats(self) -> dict:
        """Counters since start or the last `reset_stats()` (see the contract for the keys)."""
        snapshot = self.stats_counter.snapshot()
        snapshot["max_in_any_second"] = self.limiter.max_in_any_second()
        snapshot["limits_per_second"] = dict(self.limiter.per_second)
        return snapshot

    def reset_stats(self) -> None:
        self.stats_counter.reset()
        self.limiter.reset_peaks()

    def revoke_all_tokens(self) -> None:
        """Every token issued so far answers 401/124 from now on."""
        self.tokens.revoke_all()
