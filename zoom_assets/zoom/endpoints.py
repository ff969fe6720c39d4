"""The Zoom endpoints this client reads, as data: path, rate-limit category, scopes, record key.

One place knows each endpoint's path, its category (REFERENCE §7.3), the scopes that grant it
(REFERENCE §4: the first granular scope is the one to add to a new app; any listed scope suffices)
and how to recognise a record again when a listing restarts after an expired page token.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Record = dict[str, Any]


@dataclass(frozen=True)
class Endpoint:
    """A list endpoint: how to call it and what its records look like."""

    name: str
    path: str
    category: str
    granular_scopes: tuple[str, ...]
    classic_scopes: tuple[str, ...]
    items_key: str
    identity: Callable[[Record], object]

    @property
    def scope(self) -> str:
        """The scope to ask for when it is missing (the first granular one)."""
        return self.granular_scopes[0]

    def scope_hint(self) -> str:
        """Human wording of the scopes that grant this endpoint, for error messages."""
        classic = " or ".join(self.classic_scopes)
        return f"{self.scope} (classic apps: {classic})"

    def accepts(self, granted: set[str]) -> bool:
        """Whether any of the granted scopes is enough for this endpoint."""
        return bool(granted & {*self.granular_scopes, *self.classic_scopes})


USERS = Endpoint(
    name="users",
    path="/users",
    category="Medium",
    granular_scopes=("user:read:list_users:admin",),
    classic_scopes=("user:read:admin", "user:write:admin", "user:read", "user:write"),
    items_key="users",
    # Pending users have no id; an e-mail address is unique within an account.
    identity=lambda user: user.get("id") or user.get("email"),
)

REPORT_MEETINGS = Endpoint(
    name="report_meetings",
    path="/report/users/{id}/meetings",
    category="Heavy",
    granular_scopes=("report:read:user:admin",),
    classic_scopes=("report:read:admin",),
    items_key="meetings",
    identity=lambda meeting: meeting.get("uuid"),
)

PAST_PARTICIPANTS = Endpoint(
    name="past_participants",
    path="/past_meetings/{id}/participants",
    category="Medium",
    granular_scopes=(
        "meeting:read:list_past_participants:admin",
        "meeting:read:list_past_participants",
    ),
    classic_scopes=("meeting:read:admin", "meeting:read"),
    items_key="participants",
    # A rejoin is a new row with a new per-meeting `user_id`; the times tell repeated rows apart.
    identity=lambda row: (row.get("user_id"), row.get("join_time"), row.get("leave_time")),
)

ENDPOINTS = (USERS, REPORT_MEETINGS, PAST_PARTICIPANTS)
