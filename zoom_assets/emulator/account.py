"""The synthetic Zoom account: the truth that the emulator serves and that tests compare with.

Users and the meeting schedule are built eagerly (cheap: a few compact objects per meeting);
participant rows and report items are built on demand from (seed, meeting UUID), so an account of
10,000 users and 100k meetings starts in seconds and per-request work stays proportional to the
page served.
"""

from __future__ import annotations

import bisect
import functools
import random
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta

from zoom_assets.emulator.participants import Meeting, Person, participant_rows
from zoom_assets.emulator.schedule import Scheduler
from zoom_assets.emulator.timefmt import iso
from zoom_assets.emulator.users import make_user

USER_STATUSES = ("active", "inactive", "pending")


class Account:
    """A deterministic account: the same arguments always give the same users and meetings."""

    def __init__(self, *, seed: int, users: int, days: int, end_date: date) -> None:
        if users < 1 or days < 1:
            raise ValueError("an account needs at least one user and one day")
        self.seed = seed
        self.end_date = end_date
        self.days = [end_date - timedelta(days=n) for n in range(days - 1, -1, -1)]
        rng = random.Random(seed)
        self._users = [make_user(rng, i, users, self.days[0]) for i in range(users)]
        self._by_status = {s: [u for u in self._users if u["status"] == s] for s in USER_STATUSES}
        self.hosts = [u for u in self._users if "id" in u]
        self._host_by_key = {u["id"]: i for i, u in enumerate(self.hosts)}
        self._host_by_key.update({u["email"].lower(): i for i, u in enumerate(self.hosts)})
        self._people = [_person(u) for u in self.hosts]
        self._pool = [
            p for p, u in zip(self._people, self.hosts, strict=True) if u["status"] == "active"
        ]
        self._build_meetings(Scheduler(rng))
        self._rows = functools.lru_cache(maxsize=4096)(self._build_rows)

    def _build_meetings(self, scheduler: Scheduler) -> None:
        by_host: list[list[Meeting]] = [[] for _ in self.hosts]
        self.by_uuid: dict[str, Meeting] = {}
        self._by_number: dict[int, Meeting] = {}
        self._by_day: dict[date, list[Meeting]] = defaultdict(list)
        for index, user in enumerate(self.hosts):
            active_days = len(self.days) if user["status"] == "active" else len(self.days) // 2
            for meeting in scheduler.host_meetings(index, user, self.days, max(1, active_days)):
                self.by_uuid[meeting.uuid] = meeting
                latest = self._by_number.get(meeting.id)
                if latest is None or meeting.start > latest.start:
                    self._by_number[meeting.id] = meeting
                if meeting.unique_participants >= 2:
                    by_host[index].append(meeting)
                    self._by_day[_utc_day(meeting.start)].append(meeting)
        for meetings in by_host:
            meetings.sort(key=lambda m: (m.start, m.uuid))
        self._reportable = by_host
        self._starts = [[m.start for m in meetings] for meetings in by_host]

    # ---- lookups used by the routes -------------------------------------------------------

    def host_index(self, key: str) -> int | None:
        """The host with this user id or e-mail (case-insensitive), if it can have reports."""
        found = self._host_by_key.get(key)
        return found if found is not None else self._host_by_key.get(key.lower())

    def reportable_between(self, host: int, start: int, end: int) -> list[Meeting]:
        """Report-eligible meetings of `host` whose start lies in [start, end) epoch seconds."""
        starts = self._starts[host]
        return self._reportable[host][
            bisect.bisect_left(starts, start) : bisect.bisect_left(starts, end)
        ]

    def latest_instance(self, number: int) -> Meeting | None:
        """The most recent instance of meeting number `number` (what Zoom resolves an id to)."""
        return self._by_number.get(number)

    def participant_rows(self, meeting: Meeting) -> list[dict]:
        """The participant rows the API serves for `meeting` (fresh dicts, safe to mutate).

        Zoom returns nothing for a meeting with a single participant (REFERENCE §4.3), read here
        as an empty list rather than an error.
        """
        if meeting.unique_participants < 2:
            return []
        return [dict(row) for row in self._rows(meeting)]

    def report_item(self, meeting: Meeting) -> dict:
        """The `meetings[]` item of the per-user meeting report for `meeting`.

        `participants_count` counts rows (a rejoin counts again) and `total_minutes` sums the rows'
        durations; Zoom does not document either precisely [U].
        """
        host = self.hosts[meeting.host]
        rows = self._rows(meeting)
        return {
            "uuid": meeting.uuid,
            "id": meeting.id,
            "type": meeting.type,
            "topic": meeting.topic,
            "user_name": host["display_name"],
            "user_email": host["email"],
            "start_time": iso(meeting.start),
            "end_time": iso(meeting.end),
            "duration": -(-(meeting.end - meeting.start) // 60),
            "total_minutes": sum(row["duration"] for row in rows) // 60,
            "participants_count": len(rows),
            "participants_count_my_account": sum(row["internal_user"] for row in rows),
            "source": "Zoom",
            "custom_keys": [],
        }

    def _build_rows(self, meeting: Meeting) -> tuple[dict, ...]:
        host = self._people[meeting.host]
        return tuple(participant_rows(self.seed, meeting, host, self._pool))

    # ---- the truth API ----------------------------------------------------------------------

    def users(self, status: str | None = None) -> list[dict]:
        """Users as `GET /users` returns them, in listing order; None means every status."""
        return [dict(u) for u in self.users_view(status)]

    def users_view(self, status: str | None) -> list[dict]:
        """The stored user dicts (not copies) for one status or all; for read-only callers."""
        return self._users if status is None else self._by_status.get(status, [])

    def report_meetings(self, user_id: str) -> list[dict]:
        """Every report item of that host over all days (meetings with >= 2 participants)."""
        index = self.host_index(user_id)
        return [] if index is None else [self.report_item(m) for m in self._reportable[index]]

    def meetings_on(self, day: date) -> list[tuple[str, dict]]:
        """(host id, report item) for the report items whose start_time UTC date is `day`."""
        return [(self.hosts[m.host]["id"], self.report_item(m)) for m in self._by_day.get(day, [])]

    def participants(self, meeting_uuid: str) -> list[dict]:
        """The participant rows of that meeting instance (empty for single-participant ones)."""
        meeting = self.by_uuid.get(meeting_uuid)
        return [] if meeting is None else self.participant_rows(meeting)

    def user_ids_with_reports(self) -> list[str]:
        """Ids of the active and inactive users: everyone the report endpoint answers for."""
        return [u["id"] for u in self.hosts]

    def meeting_count(self) -> int:
        """All meeting instances, including single-participant ones that reports leave out."""
        return len(self.by_uuid)


def _person(user: dict) -> Person:
    return Person(user["id"], user["display_name"], user["email"], True)


def _utc_day(epoch: int) -> date:
    return datetime.fromtimestamp(epoch, UTC).date()
