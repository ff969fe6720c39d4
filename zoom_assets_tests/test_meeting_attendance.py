"""`meeting_attendance` against the emulator: one row per person per meeting, attended time as the
union of the person's sessions (a second device does not count twice, a rejoin's gap not at all),
and checks that fail when a person seems to attend longer than the meeting lasted."""

from collections import defaultdict
from datetime import UTC, date, datetime
from itertools import pairwise
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb
import pytest

from zoom_assets.assets import meeting_attendance, meeting_reports, past_participants, zoom_users
from zoom_assets.attendance import ATTENDANCE_SELECT
from zoom_assets.emulator import ZoomEmulator
from zoom_assets.rows import as_timestamp, participant_rows, report_rows
from zoom_assets.storage import create_tables, replace_days, replace_days_from_query
from zoom_assets.tables import MEETING_ATTENDANCE, MEETING_REPORTS, PAST_PARTICIPANTS

RANGE = ("dagster/asset_partition_range_start", "dagster/asset_partition_range_end")
Person = tuple[str, str, str]  # meeting_uuid, person_kind, person_key


def sync_days(resources: dict[str, Any], first: date, last: date) -> dg.ExecuteInProcessResult:
    return dg.materialize(
        [meeting_reports, past_participants, meeting_attendance],
        resources=resources,
        tags=dict(zip(RANGE, (first.isoformat(), last.isoformat()), strict=True)),
    )


def identity(row: dict) -> tuple[str, str]:
    if row["id"]:
        return "user_id", row["id"]
    if row["user_email"]:
        return "email", row["user_email"].lower()
    return "name", row["name"].strip()


def union_seconds(sessions: list[dict]) -> int:
    """Seconds covered by at least one session, merged the plain Python way."""
    spans = sorted((as_timestamp(s["join_time"]), as_timestamp(s["leave_time"])) for s in sessions)
    total, (start, end) = 0, spans[0]
    for join, leave in spans[1:]:
        if join > end:
            total += int((end - start).total_seconds())
            start, end = join, leave
        else:
            end = max(end, leave)
    return total + int((end - start).total_seconds())


def expected(emu: ZoomEmulator) -> dict[Person, tuple]:
    """Per person: (day, attended seconds, sessions, internal, host) from the emulator's truth."""
    found: dict[Person, tuple] = {}
    for day in emu.account.days:
        for host, meeting in emu.account.meetings_on(day):
            people: dict[tuple[str, str], list[dict]] = defaultdict(list)
            for row in emu.account.participants(meeting["uuid"]):
                people[identity(row)].append(row)
            for (kind, key), sessions in people.items():
                internal = any(s["internal_user"] for s in sessions)
                found[(meeting["uuid"], kind, key)] = (
                    day,
                    union_seconds(sessions),
                    len(sessions),
                    internal,
                    host,
                )
    return found


def overlapping(sessions: list[dict]) -> bool:
    spans = sorted((s["join_time"], s["leave_time"]) for s in sessions)
    return any(later[0] < earlier[1] for earlier, later in pairwise(spans))


@pytest.fixture
def attended(
    emulator: ZoomEmulator, pipeline_resources: dict[str, Any], duckdb_path: Path
) -> dg.ExecuteInProcessResult:
    dg.materialize([zoom_users], resources=pipeline_resources)
    return sync_days(pipeline_resources, emulator.account.days[0], emulator.account.days[-1])


def test_one_row_per_person_with_the_union_of_their_sessions(
    emulator: ZoomEmulator, attended: dg.ExecuteInProcessResult, duckdb_path: Path
) -> None:
    with duckdb.connect(str(duckdb_path), read_only=True) as conn:
        rows = conn.execute(
            "SELECT meeting_uuid, person_kind, person_key, report_date, attended_seconds, "
            "sessions, internal, host_id FROM meeting_attendance"
        ).fetchall()
    found = {(u, k, p): tuple(rest) for u, k, p, *rest in rows}
    assert len(found) == len(rows)
    assert found == expected(emu=emulator)


def test_the_account_has_two_devices_at_once_and_a_guest_who_rejoins(
    emulator: ZoomEmulator, attended: dg.ExecuteInProcessResult, duckdb_path: Path
) -> None:
    """The cases the union exists for, found in the data and checked one by one."""
    by_person: dict[Person, list[dict]] = defaultdict(list)
    for day in emulator.account.days:
        for _, meeting in emulator.account.meetings_on(day):
            for row in emulator.account.participants(meeting["uuid"]):
                by_person[(meeting["uuid"], *identity(row))].append(row)
    devices = [p for p, s in by_person.items() if p[1] == "user_id" and overlapping(s)]
    guests = [p for p, s in by_person.items() if p[1] == "name" and len(s) > 1]
    assert devices and guests
    with duckdb.connect(str(duckdb_path), read_only=True) as conn:
        for person in (devices[0], guests[0]):
            [(seconds, sessions)] = conn.execute(
                "SELECT attended_seconds, sessions FROM meeting_attendance "
                "WHERE meeting_uuid = ? AND person_kind = ? AND person_key = ?",
                list(person),
            ).fetchall()
            rows = by_person[person]
            assert sessions == len(rows) > 1
            assert seconds == union_seconds(rows)
        summed = sum(s["duration"] for s in by_person[devices[0]])
        assert union_seconds(by_person[devices[0]]) < summed  # counted once, not twice


def test_checks_pass_and_the_preview_shows_no_names(
    attended: dg.ExecuteInProcessResult,
) -> None:
    checks = {
        c.check_name: c.passed
        for c in attended.get_asset_check_evaluations()
        if c.asset_key == meeting_attendance.key
    }
    assert checks == {
        "key_is_unique_and_not_null": True,
        "attended_seconds_within_meeting_length": True,
    }
    [event, *_] = attended.asset_materializations_for_node("meeting_attendance")
    preview = event.metadata["preview"].value
    header = [cell.strip() for cell in preview.splitlines()[0].strip("|").split("|")]
    assert header == list(MEETING_ATTENDANCE.preview)
    assert "person_key" not in header and "@" not in preview


def test_attendance_longer_than_the_meeting_fails_its_check(
    emulator: ZoomEmulator,
    pipeline_resources: dict[str, Any],
    attended: dg.ExecuteInProcessResult,
    duckdb_path: Path,
) -> None:
    day = emulator.account.days[0]
    with duckdb.connect(str(duckdb_path)) as conn:
        conn.execute(
            "UPDATE meeting_reports SET end_time = start_time + INTERVAL 2 MINUTE "
            "WHERE report_date = ?",
            [day],
        )
    result = dg.materialize(
        [meeting_attendance], resources=pipeline_resources, partition_key=day.isoformat()
    )
    [check] = [
        c
        for c in result.get_asset_check_evaluations()
        if c.check_name == "attended_seconds_within_meeting_length"
    ]
    assert not check.passed
    assert check.metadata["failing_rows"].value > 0
    assert all(
        "/ user_id" in e or "/ email" in e or "/ name" in e
        for e in check.metadata["examples"].value
    )


def test_a_rerun_replaces_the_days_without_duplicates(
    emulator: ZoomEmulator,
    pipeline_resources: dict[str, Any],
    attended: dg.ExecuteInProcessResult,
    duckdb_path: Path,
) -> None:
    query = "SELECT * FROM meeting_attendance ORDER BY ALL"
    with duckdb.connect(str(duckdb_path), read_only=True) as conn:
        before = conn.execute(query).fetchall()
    day = emulator.account.days[2].isoformat()
    dg.materialize([meeting_attendance], resources=pipeline_resources, partition_key=day)
    with duckdb.connect(str(duckdb_path), read_only=True) as conn:
        assert conn.execute(query).fetchall() == before


def session(who: dict[str, str], join: str, leave: str, number: int, **extra: str) -> dict:
    """A participant row as Zoom sends it; times are HH:MM on 2026-11-02 UTC."""
    return {
        "id": "",
        "user_email": "",
        "name": "",
        **who,
        "user_id": str(number),
        "join_time": f"2026-11-02T{join}:00Z",
        "leave_time": f"2026-11-02T{leave}:00Z" if leave else "",
        "status": "in_meeting",
        "internal_user": bool(who.get("id")),
        **extra,
    }


def test_identity_overlaps_touching_sessions_and_the_waiting_room(tmp_path: Path) -> None:
    day = date(2026, 11, 2)
    meeting = {
        "uuid": "m1==",
        "start_time": "2026-11-02T10:00:00Z",
        "end_time": "2026-11-02T11:00:00Z",
    }
    signed_in = {"id": "U1", "name": "Una", "user_email": "una@example.com"}
    by_email = {"name": "Ann", "user_email": "Ann@Example.com"}
    rows = [
        session(signed_in, "10:00", "10:30", 1),
        session({**signed_in, "name": "Una (phone)"}, "10:20", "10:40", 2),  # second device
        session(signed_in, "10:40", "10:50", 3),  # touches the one before
        session(by_email, "10:05", "10:10", 4),
        session({**by_email, "user_email": "ann@example.com"}, "10:15", "10:20", 5),
        session({"name": "Guest 1"}, "09:58", "10:00", 6, status="in_waiting_room"),
        session({"name": " Guest 1"}, "10:00", "10:30", 7),
        session({"name": "Guest 2"}, "10:01", "", 8),  # Zoom sent no leave time
    ]
    synced = datetime(2026, 11, 3, tzinfo=UTC)
    with duckdb.connect(str(tmp_path / "zoom.duckdb")) as conn:
        create_tables(conn)
        replace_days(
            conn, MEETING_REPORTS, report_rows([("H1", [meeting])], [day], synced), day, day
        )
        participants = participant_rows([("m1==", rows)], day, synced)
        replace_days(conn, PAST_PARTICIPANTS, participants, day, day)
        replace_days_from_query(conn, MEETING_ATTENDANCE, ATTENDANCE_SELECT, day, day)
        found = conn.execute(
            "SELECT person_kind, person_key, name, email, attended_seconds, sessions, internal, "
            "host_id FROM meeting_attendance ORDER BY person_key"
        ).fetchall()
    assert found == [
        ("name", "Guest 1", " Guest 1", None, 1800, 1, False, "H1"),  # key trimmed, name as sent
        ("name", "Guest 2", "Guest 2", None, 0, 1, False, "H1"),
        ("user_id", "U1", "Una", "una@example.com", 3000, 3, True, "H1"),
        ("email", "ann@example.com", "Ann", "ann@example.com", 600, 2, False, "H1"),
    ]
