"""Identifier shapes: user ids and meeting instance UUIDs as Zoom writes them."""

from __future__ import annotations

import base64
import random


def user_id(rng: random.Random) -> str:
    """A 22-character Zoom-style user id (base64url of 16 random bytes, unpadded)."""
    return base64.urlsafe_b64encode(rng.randbytes(16)).decode()[:22]


def meeting_uuid(rng: random.Random, shape: str = "plain") -> str:
    """A meeting instance UUID: standard base64 of 16 bytes, `==` padded.

    `shape` "leading_slash" forces a UUID that starts with "/", "double_slash" one that contains
    "//": both must be double-encoded in a request path (REFERENCE §5).
    """
    raw = bytearray(rng.randbytes(16))
    if shape == "leading_slash":
        raw[0] |= 0xFC
    elif shape == "double_slash":
        raw[3] = 0xFF
        raw[4] |= 0xF0
        raw[0] &= 0x7F  # keep this shape distinct from a leading slash
    return base64.b64encode(bytes(raw)).decode()
