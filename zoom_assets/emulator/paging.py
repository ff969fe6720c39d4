"""Pagination: `page_size` rules and `next_page_token`s that expire after 15 minutes (REFERENCE §3).

Tokens are self-contained (offset, issue time and a MAC over the listing they belong to), so
the server keeps no per-token state however many listings run; only tokens marked to fail once
are remembered. A token used with a different listing, tampered with or older than 15 minutes on
the injectable clock is answered with 400/300, as Zoom documents for the meeting report [V] and
as we assume for the other endpoints [U].
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import struct
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

TOKEN_TTL_SECONDS = 15 * 60
DEFAULT_PAGE_SIZE = 30
_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_MAC_BYTES = 10


def _base62(data: bytes) -> str:
    number, digits = int.from_bytes(data, "big"), []
    while number:
        number, rest = divmod(number, 62)
        digits.append(_ALPHABET[rest])
    return "".join(reversed(digits)) or "0"


def _unbase62(text: str) -> bytes | None:
    number = 0
    for char in text:
        value = _ALPHABET.find(char)
        if value < 0:
            return None
        number = number * 62 + value
    try:
        return number.to_bytes(12 + _MAC_BYTES, "big")
    except OverflowError:
        return None


@dataclass(frozen=True, slots=True)
class Page:
    """One page of a listing: where it starts, how long it is and what to put in the envelope."""

    offset: int
    size: int
    total: int

    @property
    def page_count(self) -> int:
        return -(-self.total // self.size) if self.total else 0

    @property
    def has_more(self) -> bool:
        return self.offset + self.size < self.total


def page_size(raw: str | None, maximum: int) -> int:
    """`page_size` as Zoom reads it: default 30; above the maximum it is clamped [U]."""
    try:
        size = int(raw) if raw not in (None, "") else DEFAULT_PAGE_SIZE
    except ValueError:
        size = DEFAULT_PAGE_SIZE
    return min(max(size, 1), maximum)


class PageTokens:
    """Issues and resolves `next_page_token`s."""

    def __init__(self, clock: Callable[[], datetime]) -> None:
        self.clock = clock
        self._key = secrets.token_bytes(16)
        self._fail_once: set[str] = set()
        self._lock = threading.Lock()

    def _mac(self, listing: str, body: bytes) -> bytes:
        digest = hmac.new(self._key, listing.encode() + body, hashlib.sha256).digest()
        return digest[:_MAC_BYTES]

    def issue(self, listing: str, offset: int, *, fail_once: bool = False) -> str:
        """A token for the page starting at `offset` of `listing` (the query minus paging)."""
        body = struct.pack(">IQ", offset, int(self.clock().timestamp() * 1000))
        token = _base62(body + self._mac(listing, body))
        if fail_once:
            with self._lock:
                self._fail_once.add(token)
        return token

    def resolve(self, listing: str, token: str, *, expire_all: bool = False) -> int | None:
        """The offset `token` points at in `listing`, or None if it is invalid or expired."""
        with self._lock:
            if token in self._fail_once:
                self._fail_once.discard(token)
                return None
        blob = _unbase62(token)
        if blob is None or expire_all:
            return None
        body, mac = blob[:12], blob[12:]
        if not hmac.compare_digest(mac, self._mac(listing, body)):
            return None
        offset, issued_ms = struct.unpack(">IQ", body)
        age = self.clock().timestamp() - issued_ms / 1000
        return offset if age < TOKEN_TTL_SECONDS else None
