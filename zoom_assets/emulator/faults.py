"""Switchable faults, and the deterministic dice that decide which request gets one.

The dice are a hash of (seed, endpoint, request number at that endpoint, fault name): the same
sequence of requests meets the same faults on every run.
"""

from __future__ import annotations

import dataclasses
import hashlib
import threading
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

RETRY_AFTER_FORMS = ("seconds", "date", "none")
API_ENDPOINTS = ("users", "report_meetings", "past_participants")


@dataclass
class Faults:
    """Faults to inject; all off by default. Mutable while the emulator runs.

    Random faults (`*_rate`, each a probability per request) apply to the API endpoints, or
    only to those named in `endpoints` ("token" can be named too; it is never faulted unless
    named). At most one of reset / 5xx / storm 429 / malformed hits a request; `slow` combines.
    A reset is counted in stats under status "0". A 5xx or malformed answer has already been
    admitted by the rate limiter (it costs quota, as a real server error would).

    `daily_quota_remaining` maps a category to its remaining daily quota and is decremented in
    place by each admitted request; at 0 the category answers the daily-limit 429. The quotas
    reset at 00:00 UTC on the emulator's clock: the dict is then emptied, as Zoom's would refill.
    `revoke_credentials` refuses new tokens and every bearer while it is on; turned off again,
    unexpired tokens work again. `expire_next_page_token_once` turns itself off once a token
    has been handed out; that token fails on its first use only.
    """

    error_5xx_rate: float = 0.0
    connection_reset_rate: float = 0.0
    malformed_json_rate: float = 0.0
    rate_limit_storm_rate: float = 0.0
    retry_after_form: str = "seconds"
    slow_rate: float = 0.0
    slow_seconds: float = 0.0
    endpoints: list[str] | None = None
    deleted_users: list[str] = field(default_factory=list)
    deleted_meetings: list[str] = field(default_factory=list)
    expire_page_tokens: bool = False
    expire_next_page_token_once: bool = False
    daily_quota_remaining: dict[str, int] | None = None
    schema_drift: bool = False
    revoke_credentials: bool = False

    def merge(self, changes: dict[str, Any]) -> None:
        """Apply a partial update (the admin endpoint's JSON); unknown fields are an error."""
        known = {f.name for f in dataclasses.fields(self)}
        unknown = sorted(set(changes) - known)
        if unknown:
            raise ValueError(f"unknown fault fields: {', '.join(unknown)}")
        if changes.get("retry_after_form", self.retry_after_form) not in RETRY_AFTER_FORMS:
            raise ValueError(f"retry_after_form must be one of {', '.join(RETRY_AFTER_FORMS)}")
        for name, value in changes.items():
            setattr(self, name, value)

    def as_dict(self) -> dict[str, Any]:
        """The current switches, JSON-ready."""
        return dataclasses.asdict(self)


@dataclass(frozen=True, slots=True)
class Injected:
    """The random faults chosen for one request (at most one of the first four)."""

    reset: bool = False
    error_5xx: int = 0
    storm: bool = False
    malformed: bool = False
    slow: float = 0.0


NONE = Injected()


class Dice:
    """Deterministic per-request rolls."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self._counts: Counter[str] = Counter()
        self._lock = threading.Lock()

    def _roll(self, endpoint: str, number: int, name: str) -> float:
        digest = hashlib.blake2b(f"{self.seed}:{endpoint}:{number}:{name}".encode(), digest_size=8)
        return int.from_bytes(digest.digest(), "big") / 2**64

    def choose(self, faults: Faults, endpoint: str) -> Injected:
        """Which random faults hit this request to `endpoint`."""
        targets = API_ENDPOINTS if faults.endpoints is None else faults.endpoints
        if endpoint not in targets:
            return NONE
        with self._lock:
            self._counts[endpoint] += 1
            number = self._counts[endpoint]

        def roll(name: str) -> float:
            return self._roll(endpoint, number, name)

        slow = faults.slow_seconds if roll("slow") < faults.slow_rate else 0.0
        if roll("reset") < faults.connection_reset_rate:
            return Injected(reset=True, slow=slow)
        if roll("5xx") < faults.error_5xx_rate:
            return Injected(error_5xx=(500, 502, 503, 504)[int(roll("code") * 4)], slow=slow)
        if roll("storm") < faults.rate_limit_storm_rate:
            return Injected(storm=True, slow=slow)
        if roll("malformed") < faults.malformed_json_rate:
            return Injected(malformed=True, slow=slow)
        return Injected(slow=slow) if slow else NONE
