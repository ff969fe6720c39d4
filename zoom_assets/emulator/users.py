"""Synthetic users with Zoom's `GET /users` field names and types."""

from __future__ import annotations

import random
import unicodedata
from datetime import date

from zoom_assets.emulator.ids import user_id
from zoom_assets.emulator.timefmt import DAY, epoch_of, iso
from zoom_assets.emulator.vocabulary import (
    CLIENT_VERSIONS,
    DEPARTMENTS,
    FIRST_NAMES,
    LAST_NAMES,
    TIMEZONES,
)


def _ascii_slug(text: str) -> str:
    """The ASCII letters of `text` (accents stripped), for building e-mail local parts."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in folded.lower() if ch.isalnum())


def status_for(index: int, count: int) -> str:
    """Roughly 80% active, 10% inactive, 10% pending; small accounts still get one of each."""
    if count >= 3 and index == count - 1:
        return "pending"
    if count >= 3 and index == count - 2:
        return "inactive"
    return {9: "pending", 8: "inactive"}.get(index % 10, "active")


def make_user(rng: random.Random, index: int, count: int, first_day: date) -> dict:
    """One user; pending users (invited, never signed in) have no `id`, `pmi` or login data."""
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    local = f"{_ascii_slug(first) or 'user'}.{_ascii_slug(last) or 'x'}{index}"
    status = status_for(index, count)
    window_start = epoch_of(first_day)
    created = window_start - rng.randrange(30, 2_000) * DAY - rng.randrange(DAY)
    user = {
        "id": user_id(rng),
        "first_name": first,
        "last_name": last,
        "display_name": f"{first} {last}",
        "email": f"{local}@example.com",
        "type": rng.choice((1, 2, 2, 2)),
        "pmi": rng.randrange(1_000_000_000, 9_999_999_999),
        "timezone": rng.choice(TIMEZONES),
        "verified": 1,
        "dept": rng.choice(DEPARTMENTS),
        "user_created_at": iso(created),
        "created_at": iso(created),
        "last_login_time": iso(window_start - rng.randrange(0, 20 * DAY)),
        "last_client_version": rng.choice(CLIENT_VERSIONS),
        "group_ids": [],
        "im_group_ids": [],
        "role_id": "2",
        "status": status,
    }
    if status == "pending":
        for key in ("id", "pmi", "last_login_time", "last_client_version"):
            del user[key]
        user["verified"] = 0
    return user
