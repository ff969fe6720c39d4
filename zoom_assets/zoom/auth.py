"""Server-to-Server OAuth: credentials and a token provider shared by every worker thread.

The token is fetched lazily (never in a constructor), cached until shortly before `expires_in`
runs out, and refreshed by one thread at a time: the others wait on the same lock and reuse the
fresh token. A 401/124 answer invalidates exactly the token that failed, so many workers hitting
124 together cause one refresh, not one each (which matters for accounts where a new token
revokes the older ones). The token lives only in memory and in the Authorization header.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import requests

from zoom_assets.zoom import retry
from zoom_assets.zoom.errors import ZoomAuthError, ZoomConfigError
from zoom_assets.zoom.responses import strict_json
from zoom_assets.zoom.stats import ClientStats
from zoom_assets.zoom.urls import check_url

log = logging.getLogger(__name__)

_APP_PAGE = "the Server-to-Server OAuth app's App Credentials page in the Zoom App Marketplace"
_WHAT_TO_CHECK = {
    "invalid_client": f"check client_id and client_secret (copy both again from {_APP_PAGE})",
    "unsupported_grant_type": (
        "check the token URL: it must be Zoom's OAuth token endpoint "
        "(https://zoom.us/oauth/token) and the app must be a Server-to-Server OAuth app"
    ),
    "invalid_request": f"check account_id (the Account ID shown on {_APP_PAGE})",
}
_DEFAULT_CHECK = f"check account_id, client_id and client_secret against {_APP_PAGE}"


@dataclass(frozen=True)
class Credentials:
    """The three values of a Server-to-Server OAuth app. The secret never shows in `repr`."""

    account_id: str
    client_id: str
    client_secret: str = field(repr=False)

    def __post_init__(self) -> None:
        for name in ("account_id", "client_id", "client_secret"):
            if not str(getattr(self, name) or "").strip():
                raise ZoomConfigError(f"The Zoom {name} is empty; copy it from {_APP_PAGE}.")


@dataclass(frozen=True)
class AccessToken:
    """One bearer token and what the token endpoint said about it."""

    value: str = field(repr=False)
    refresh_at: float
    scopes: frozenset[str]
    api_url: str | None


def refresh_margin(expires_in: float) -> float:
    """How long before expiry a token is replaced: a minute, or a tenth of a short lifetime."""
    return min(60.0, expires_in / 10)


class TokenProvider:
    """Fetches, caches and refreshes the account's access token (single flight, thread-safe)."""

    def __init__(
        self,
        credentials: Credentials,
        token_url: str,
        *,
        timeout: tuple[float, float],
        max_retries: int,
        stats: ClientStats,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._credentials = credentials
        self.token_url = check_url(token_url, "token URL")
        self._timeout = timeout
        self._max_retries = max_retries
        self._stats = stats
        self._clock = clock
        self._lock = threading.Lock()
        self._token: AccessToken | None = None
        # Zoom's refusal of the credentials: it holds for the client's life (see token()).
        self._refused: str | None = None
        # Used only while holding the lock, so one session is safe here.
        self._session = requests.Session()

    def __repr__(self) -> str:
        return f"TokenProvider(account_id={self._credentials.account_id!r}, url={self.token_url!r})"

    def token(self) -> AccessToken:
        """The cached token, or a new one when it is missing or about to expire.

        Once the token endpoint refused the credentials, every later call raises that refusal
        without a request: revoked credentials do not recover within a run, and many workers
        meeting 401 at once must not each ask again.
        """
        with self._lock:
            if self._refused is not None:
                raise ZoomAuthError(self._refused)
            if self._token is None or self._clock() >= self._token.refresh_at:
                self._token = self._fetch()
            return self._token

    def invalidate(self, token: AccessToken) -> None:
        """Forget `token` after Zoom refused it, unless another thread already replaced it."""
        with self._lock:
            if self._token is token:
                self._token = None

    def close(self) -> None:
        """Release the token endpoint's connections."""
        self._session.close()

    def _fetch(self) -> AccessToken:
        for attempt in range(1, self._max_retries + 2):
            outcome = self._try_fetch()
            if isinstance(outcome, AccessToken):
                return outcome
            if attempt > self._max_retries:
                break
            self._stats.add("retries")
            log.warning("Zoom token request failed (%s); retrying", outcome)
            retry.pause(retry.backoff_delay(attempt))
        raise ZoomAuthError(
            f"Could not get a Zoom access token from {self.token_url} after "
            f"{self._max_retries + 1} attempts ({outcome}); check the token URL and the network."
        )

    def _try_fetch(self) -> AccessToken | str:
        """One token request: the token, or a short reason worth retrying for."""
        creds = self._credentials
        self._stats.add("token_requests")
        try:
            response = self._session.post(
                self.token_url,
                data={"grant_type": "account_credentials", "account_id": creds.account_id},
                auth=(creds.client_id, creds.client_secret),
                headers={"Accept": "application/json"},
                timeout=self._timeout,
            )
        except requests.RequestException as exc:
            return type(exc).__name__
        if response.status_code == 429 or response.status_code >= 500:
            return f"HTTP {response.status_code}"
        try:
            body = strict_json(response.content)
        except ValueError:
            body = None
        if response.status_code != 200:
            refusal = self._refusal(response.status_code, body)
            self._refused = str(refusal)
            raise refusal
        if not isinstance(body, dict) or not _text(body.get("access_token")):
            return "HTTP 200 without an access_token"
        expires_in = _lifetime(body.get("expires_in"))
        return AccessToken(
            value=body["access_token"],
            refresh_at=self._clock() + expires_in - refresh_margin(expires_in),
            scopes=frozenset(_text(body.get("scope")).split()),
            api_url=_text(body.get("api_url")) or None,
        )

    def _refusal(self, status: int, body: object) -> ZoomAuthError:
        """Turn the token endpoint's `{"reason", "error"}` answer into a message that helps."""
        fields = body if isinstance(body, dict) else {}
        error = str(fields.get("error") or "")
        reason = str(fields.get("reason") or fields.get("message") or "")
        reason = reason.replace(self._credentials.client_secret, "[redacted]")
        advice = _WHAT_TO_CHECK.get(error, _DEFAULT_CHECK)
        return ZoomAuthError(
            f"Zoom refused the access token request for account {self._credentials.account_id!r} "
            f"and client id {self._credentials.client_id!r} (HTTP {status}, {error or 'no error'}: "
            f"{reason or 'no reason given'}); {advice}."
        )


def _text(value: object) -> str:
    """A string field of the token answer; anything else (number, list, null) counts as absent."""
    return value if isinstance(value, str) else ""


def _lifetime(value: object) -> float:
    """`expires_in` in seconds; Zoom's documented hour when it is missing or not a usable number."""
    try:
        seconds = float(value) if isinstance(value, int | float | str) and value != "" else 0.0
    except ValueError:
        seconds = 0.0
    return seconds if math.isfinite(seconds) and seconds > 0 else 3600.0
