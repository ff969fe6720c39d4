"""The one door for API HTTP: every GET passes through `Transport.get`.

It adds the bearer header (never a query-string token), waits for room in the daily-quota budget and
for a pacing slot of the endpoint's rate-limit category, applies the (connect, read) timeout,
retries what is worth retrying and turns every other error body into a typed exception.

Threading: a `requests.Session` is not guaranteed safe for concurrent use, so each thread gets its
own session (`threading.local`), each with its own connection pool; `close()` closes them all.
"""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import requests

from zoom_assets.zoom import retry
from zoom_assets.zoom.auth import AccessToken, TokenProvider
from zoom_assets.zoom.budget import DailyBudget
from zoom_assets.zoom.endpoints import Endpoint
from zoom_assets.zoom.errors import (
    ZoomDailyLimitError,
    ZoomQuotaBudgetError,
    ZoomRateLimitError,
    ZoomResponseError,
)
from zoom_assets.zoom.ratelimit import (
    RateLimiter,
    is_daily_limit,
    next_utc_midnight,
    parse_retry_after,
)
from zoom_assets.zoom.responses import error_for, strict_json
from zoom_assets.zoom.stats import ClientStats
from zoom_assets.zoom.urls import DEFAULT_API_BASE_URL, check_url, encode_path_id

log = logging.getLogger(__name__)

# A 429 means Zoom is up and said when to come back; give up only after many in a row.
MAX_RATE_LIMITED_RETRIES = 20
# A per-second 429 whose Retry-After lies further ahead than this ends the run with the time to
# come back, rather than holding a worker (and the run) asleep for it.
MAX_RETRY_AFTER = timedelta(minutes=2)
_JSON = "application/json"
_TRANSIENT = (
    requests.ConnectionError,
    requests.Timeout,
    requests.exceptions.ChunkedEncodingError,
    requests.exceptions.ContentDecodingError,
)


class Transport:
    """Authenticated, paced, retrying GETs against the Zoom API."""

    def __init__(
        self,
        auth: TokenProvider,
        limiter: RateLimiter,
        budget: DailyBudget,
        stats: ClientStats,
        *,
        api_base_url: str | None,
        timeout: tuple[float, float],
        max_retries: int,
    ) -> None:
        self._auth = auth
        self._limiter = limiter
        self._budget = budget
        self._stats = stats
        self._explicit_base = check_url(api_base_url, "API base URL") if api_base_url else None
        self._timeout = timeout
        self._max_retries = max_retries
        self._local = threading.local()
        self._lock = threading.Lock()
        self._sessions: list[requests.Session] = []
        self._headers: dict[str, dict[str, str]] = {}
        # Categories whose daily quota Zoom said is spent: no worker asks again before the reset.
        self._spent: dict[str, ZoomDailyLimitError] = {}

    @property
    def rate_limit_headers(self) -> dict[str, dict[str, str]]:
        """The last X-RateLimit-* values seen, per category."""
        with self._lock:
            return {category: dict(values) for category, values in self._headers.items()}

    def base_url(self, token: AccessToken) -> str:
        """Explicit base URL, else the token's regional `api_url` + "/v2", else Zoom's default."""
        if self._explicit_base:
            return self._explicit_base
        if token.api_url:
            return check_url(token.api_url.rstrip("/") + "/v2", "api_url from the token endpoint")
        return DEFAULT_API_BASE_URL

    def get(
        self, endpoint: Endpoint, params: dict[str, Any], *, path_id: str | None = None
    ) -> dict[str, Any]:
        """GET one page of `endpoint` and return its JSON object, retrying transient faults."""
        path = endpoint.path.format(id=encode_path_id(path_id)) if path_id else endpoint.path
        failures = rate_limited = 0
        replayed = False
        while True:
            self._raise_if_spent(endpoint.category)
            token = self._auth.token()
            try:
                response = self._attempt(endpoint, token, path, params)
            except ZoomQuotaBudgetError:
                self._raise_if_spent(endpoint.category)  # Zoom said so itself: report that
                raise
            except _TRANSIENT as exc:
                failure = type(exc).__name__
            else:
                body = _json_object(response)
                status = response.status_code
                if status == 200 and _is_page(body, endpoint.items_key):
                    return body
                if status == 401 and not replayed:
                    replayed = True
                    self._auth.invalidate(token)
                    continue
                if status == 429:
                    rate_limited += 1
                    retry.pause(self._rate_limit_wait(endpoint, response, body, rate_limited))
                    continue
                if 400 <= status < 500:
                    code = body.get("code") if isinstance(body.get("code"), int) else None
                    message = str(body.get("message") or "").replace(token.value, "[redacted]")
                    raise error_for(endpoint, status, code, message, path_id=path_id, params=params)
                failure = f"HTTP {status}" if status != 200 else "a malformed JSON body"
            failures += 1
            self._pause_before_retry(endpoint, failures, failure)

    def _attempt(
        self, endpoint: Endpoint, token: AccessToken, path: str, params: dict[str, Any]
    ) -> requests.Response:
        """One request within the daily budget and the pacing; its answer updates the budget."""
        self._budget.acquire(endpoint.category)
        headers = None
        try:
            self._limiter.acquire(endpoint.category)
            self._stats.request(endpoint.name, endpoint.category)
            response = self._send(token, path, params)
            headers = response.headers
            if response.status_code == 429:
                self._remember_daily_limit(endpoint, response)
            return response
        finally:
            self._budget.release(endpoint.category, headers)

    def _send(self, token: AccessToken, path: str, params: dict[str, Any]) -> requests.Response:
        response = self._session().get(
            self.base_url(token) + path,
            params=params,
            headers={"Authorization": f"Bearer {token.value}", "Accept": _JSON},
            timeout=self._timeout,
        )
        self._stats.add("bytes", len(response.content))
        self._remember_headers(response.headers)
        return response

    def _pause_before_retry(self, endpoint: Endpoint, failures: int, failure: str) -> None:
        if failures > self._max_retries:
            raise ZoomResponseError(
                f"{endpoint.name}: gave up after {failures} attempts, the last one failed with "
                f"{failure}; Zoom or the network is having trouble, run again later.",
                endpoint=endpoint.name,
            )
        delay = retry.backoff_delay(failures)
        log.warning("%s failed with %s; retrying in %.1fs", endpoint.name, failure, delay)
        self._stats.add("retries")
        retry.pause(delay)

    def _rate_limit_wait(
        self, endpoint: Endpoint, response: requests.Response, body: dict[str, Any], count: int
    ) -> float:
        """Seconds to wait after a per-second 429; raises at once for a daily limit."""
        self._stats.add("rate_limited_429")
        now = datetime.now(UTC)
        resume = parse_retry_after(response.headers.get("Retry-After"), now)
        category = response.headers.get("X-RateLimit-Category") or endpoint.category
        if is_daily_limit(response.headers, str(body.get("message") or "")):
            with self._lock:
                spent = self._spent[endpoint.category]  # noted by _attempt
            raise _repeat(spent)
        if count > MAX_RATE_LIMITED_RETRIES:
            raise ZoomRateLimitError(
                f"{endpoint.name}: Zoom answered 429 {count} times in a row; other apps may be "
                f"using the account's {category} quota. Run again later or lower the plan limits."
            )
        if resume is not None and resume - now > MAX_RETRY_AFTER:
            raise ZoomRateLimitError(
                f"{endpoint.name}: Zoom answered 429 and asks for no {category} call before "
                f"{resume.isoformat()}, longer than a run should sit idle. Run again after that; "
                "other apps may be using the account's rate limit."
            )
        self._stats.add("retries")
        if resume is not None:
            return max(0.0, (resume - now).total_seconds())
        return retry.backoff_delay(count, base=1.0)

    def _remember_daily_limit(self, endpoint: Endpoint, response: requests.Response) -> None:
        """Note a daily-limit 429 before the budget hears of it, so that the workers the budget
        then stops report Zoom's answer, and no worker asks again before the reset."""
        if not is_daily_limit(response.headers, str(_json_object(response).get("message") or "")):
            return
        now = datetime.now(UTC)
        resets_at = parse_retry_after(response.headers.get("Retry-After"), now)
        resets_at = resets_at or next_utc_midnight(now)
        category = response.headers.get("X-RateLimit-Category") or endpoint.category
        spent = ZoomDailyLimitError(
            f"The account's daily {category} rate limit is used up ({endpoint.name}); Zoom "
            f"accepts these calls again at {resets_at.isoformat()}. Run again after that.",
            category=category,
            resets_at=resets_at,
        )
        with self._lock:
            self._spent[endpoint.category] = spent

    def _raise_if_spent(self, category: str) -> None:
        """Zoom's daily-limit answer for `category` again, without a request, until the reset."""
        with self._lock:
            spent = self._spent.get(category)
        if spent is not None and datetime.now(UTC) < spent.resets_at:
            raise _repeat(spent)

    def _remember_headers(self, headers: requests.structures.CaseInsensitiveDict) -> None:
        category = headers.get("X-RateLimit-Category")
        if not category:
            return
        values = {
            name: headers[f"X-RateLimit-{name.title()}"]
            for name in ("limit", "remaining", "type")
            if f"X-RateLimit-{name.title()}" in headers
        }
        with self._lock:
            self._headers[category] = values

    def _session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            self._local.session = session
            with self._lock:
                self._sessions.append(session)
        return session

    def close(self) -> None:
        """Close every thread's session."""
        with self._lock:
            sessions, self._sessions = self._sessions, []
        for session in sessions:
            session.close()


def _repeat(spent: ZoomDailyLimitError) -> ZoomDailyLimitError:
    """A fresh copy of Zoom's daily-limit answer, so each worker raises its own exception rather
    than sharing one whose traceback every raise would extend."""
    return ZoomDailyLimitError(str(spent), category=spent.category, resets_at=spent.resets_at)


def _is_page(body: dict[str, Any], items_key: str) -> bool:
    """A usable page: its items are a list of JSON objects (anything else is a malformed body)."""
    items = body.get(items_key)
    return isinstance(items, list) and all(isinstance(item, dict) for item in items)


def _json_object(response: requests.Response) -> dict[str, Any]:
    """The body as a JSON object, or {} when it is not one (truncated, invalid, not an object)."""
    try:
        body = strict_json(response.content)
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}
