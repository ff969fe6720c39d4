"""Server-to-Server OAuth: the token endpoint, bearer checks and scope checks (REFERENCE §2, §6).

Tokens are JWT-shaped opaque strings held in memory with their expiry on the injectable clock.
By default several tokens are valid at once (Zoom's current documentation); with
`revoke_previous=True` each new token invalidates the older ones, as S2S apps did in 2022-2023.
"""

from __future__ import annotations

import base64
import json
import secrets
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

GRANT_TYPE = "account_credentials"

# Any one scope of an endpoint's granular or classic list admits the call (REFERENCE §4); the
# 4711 message names the account-level granular scope, which is what an S2S app is granted.
ENDPOINT_SCOPES: dict[str, tuple[str, tuple[str, ...]]] = {
    "users": (
        "user:read:list_users:admin",
        (
            "user:read:list_users:admin",
            "user:read",
            "user:write",
            "user:read:admin",
            "user:write:admin",
        ),
    ),
    "report_meetings": ("report:read:user:admin", ("report:read:user:admin", "report:read:admin")),
    "past_participants": (
        "meeting:read:list_past_participants:admin",
        (
            "meeting:read:list_past_participants",
            "meeting:read:list_past_participants:admin",
            "meeting:read:admin",
            "meeting:read",
        ),
    ),
}
DEFAULT_SCOPES = tuple(named for named, _ in ENDPOINT_SCOPES.values())

BEARER_INVALID = "Invalid access token."
BEARER_EXPIRED = "Access token is expired."
BEARER_IN_QUERY = (
    "Invalid access token, this access token is not supported as query parameter string."
)
INVALID_CLIENT = {"reason": "Invalid client_id or client_secret", "error": "invalid_client"}
UNSUPPORTED_GRANT = {"reason": "unsupported grant type", "error": "unsupported_grant_type"}
# Zoom's answer to an unknown account id is undocumented [U]; this body is our choice.
UNKNOWN_ACCOUNT = {"reason": "Invalid request : Account does not exist", "error": "invalid_request"}


@dataclass(frozen=True, slots=True)
class Credentials:
    """What the emulated S2S app was configured with."""

    account_id: str
    client_id: str
    client_secret: str


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _basic_auth(header: str | None) -> tuple[str, str] | None:
    if not header or not header.startswith("Basic "):
        return None
    try:
        user, _, password = base64.b64decode(header[6:].strip()).decode().partition(":")
    except (ValueError, UnicodeDecodeError):
        return None
    return user, password


class TokenStore:
    """Issues tokens and answers whether a bearer token is currently good."""

    def __init__(
        self,
        *,
        credentials: Credentials,
        ttl: int,
        scopes: tuple[str, ...],
        revoke_previous: bool,
        clock: Callable[[], datetime],
    ) -> None:
        self.credentials = credentials
        self.ttl = ttl
        self.scopes = scopes
        self.revoke_previous = revoke_previous
        self.clock = clock
        self._expiry: dict[str, datetime] = {}
        self._issued: list[str] = []
        self._lock = threading.Lock()

    def grant(
        self, form: Mapping[str, str], authorization: str | None, api_url: str, disabled: bool
    ) -> tuple[int, dict]:
        """Answer `POST /oauth/token` (form or query parameters already merged into `form`)."""
        if form.get("grant_type") != GRANT_TYPE:
            return 400, UNSUPPORTED_GRANT
        expected = (self.credentials.client_id, self.credentials.client_secret)
        if disabled or _basic_auth(authorization) != expected:
            return 400, INVALID_CLIENT
        if form.get("account_id") != self.credentials.account_id:
            return 400, UNKNOWN_ACCOUNT
        token = self._new_token()
        return 200, {
            "access_token": token,
            "token_type": "bearer",
            "expires_in": self.ttl,
            "scope": " ".join(self.scopes),
            "api_url": api_url,
        }

    def _new_token(self) -> str:
        now = self.clock()
        claims = {
            "aud": "https://oauth.zoom.us",
            "iss": f"zm:cid:{self.credentials.client_id}",
            "iat": int(now.timestamp()),
            "exp": int(now.timestamp()) + self.ttl,
            "jti": secrets.token_hex(8),
            "type": 3,
            "ver": 10,
        }
        header = {"alg": "HS512", "v": "2.0", "kid": secrets.token_hex(4)}
        token = ".".join(
            (
                _b64(json.dumps(header).encode()),
                _b64(json.dumps(claims).encode()),
                _b64(secrets.token_bytes(32)),
            )
        )
        with self._lock:
            if self.revoke_previous:
                self._expiry.clear()
            self._expire_old(now)
            self._expiry[token] = now + timedelta(seconds=self.ttl)
            self._issued.append(token)
        return token

    def _expire_old(self, now: datetime) -> None:
        """Forget tokens expired for a day, so that memory stays bounded over long runs."""
        horizon = now - timedelta(days=1)
        for token in [t for t, exp in self._expiry.items() if exp < horizon]:
            del self._expiry[token]

    def issued(self) -> list[str]:
        """Every token handed out since start, revoked and expired ones included: what a leak
        test searches logs and files for."""
        with self._lock:
            return list(self._issued)

    def revoke_all(self) -> None:
        """Every token issued so far now answers 401/124."""
        with self._lock:
            self._expiry.clear()

    def bearer_error(
        self, authorization: str | None, query: Mapping[str, str], disabled: bool
    ) -> str | None:
        """The 401/124 message for this request's credentials, or None if they are good."""
        if "access_token" in query:
            return BEARER_IN_QUERY
        if not authorization or authorization[:7].lower() != "bearer " or disabled:
            return BEARER_INVALID
        with self._lock:
            expiry = self._expiry.get(authorization[7:].strip())
        if expiry is None:
            return BEARER_INVALID
        return BEARER_EXPIRED if self.clock() >= expiry else None

    def missing_scope(self, endpoint: str) -> str | None:
        """The 400/4711 message if the app lacks every scope that admits `endpoint`."""
        named, accepted = ENDPOINT_SCOPES[endpoint]
        if any(scope in self.scopes for scope in accepted):
            return None
        return f"Invalid access token, does not contain scopes:[{named}]."
