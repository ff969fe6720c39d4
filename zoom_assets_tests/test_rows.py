"""Shaping Zoom records into typed rows: conversions, derived columns, dedup, raw JSON kept."""

import json
from datetime import UTC, date, datetime
from typing import Any

import pytest

from zoom_assets.rows import (
    as_bool,
    as_int,
    as_text,
    as_timestamp,
    participant_rows,
    report_rows,
    user_rows,
)
from zoom_assets.tables import MEETING_REPORTS, PAST_PARTICIPANTS, ZOOM_USERS

SYNCED = datetime(2026, 12, 4, 3, 15, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-05-14T15:00:04Z", datetime(2024, 5, 14, 15, 0, 4, tzinfo=UTC)),
        ("2024-05-14T17:00:04+02:00", datetime(2024, 5, 14, 15, 0, 4, tzinfo=UTC)),
        ("2024-05-14T15:00:04", datetime(2024, 5, 14, 15, 0, 4, tzinfo=UTC)),
        ("", None),
        ("12/22/2021 16:20", None),
        (None, None),
        (1715698804, None),
    ],
)
def test_as_timestamp(value: Any, expected: datetime | None) -> None:
    assert as_timestamp(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(42, 42), (42.0, 42), ("42", 42), (42.5, None), (True, None), ("x", None), (None, None)],
)
def test_as_int(value: Any, expected: int | None) -> None:
    assert as_int(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(True, True), (False, False), ("true", True), ("FALSE", False), (1, None), (None, None)],
)
def test_as_bool(value: Any, expected: bool | None) -> None:
    assert as_bool(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("Zoë", "Zoë"), (27423744, "27423744"), (False, "false"), ({"a": 1}, None), (None, None)],
)
def test_as_text(value: Any, expected: str | None) -> None:
    assert as_text(value) == expected


def test_user_rows_key_pending_users_by_email_and_keep_the_later_duplicate() -> None:
    users = [
        {"id": "u1", "email": "a@x.test", "type": 2, "status": "active", "pmi": 6589310093},
        {"email": "p@x.test", "type": 1, "status": "pending"},
        {"id": "u1", "email": "a@x.test", "type": 2, "status": "inactive"},
    ]
    rows = user_rows(users, SYNCED).to_pylist()
    assert [(r["user_key"], r["id"], r["status"]) for r in rows] == [
        ("p@x.test", None, "pending"),
        ("u1", "u1", "inactive"),
    ]
    assert rows[1]["pmi"] is None  # missing from the later record: NULL, not carried over
    assert rows[0]["synced_at"] == SYNCED


def test_unknown_fields_survive_in_raw_and_bad_values_become_null() -> None:
    user = {"id": "u1", "email": "a@x.test", "type": "two", "language": "fr", "new_field": [1]}
    [row] = user_rows([user], SYNCED).to_pylist()
    assert row["type"] is None
    assert row["language"] == "fr"
    assert json.loads(row["raw"]) == user


def test_every_table_has_its_columns_in_order() -> None:
    assert user_rows([], SYNCED).schema == ZOOM_USERS.arrow_schema()
    assert report_rows([], [], SYNCED).schema == MEETING_REPORTS.arrow_schema()
    assert participant_rows([], date(2026, 1, 1), SYNCED).schema == PAST_PARTICIPANTS.arrow_schema()


def test_report_rows_keep_the_wanted_utc_days_once_each() -> None:
    def meeting(uuid: str, start: str) -> dict[str, Any]:
        return {"uuid": uuid, "id": 1, "start_time": start, "duration": 30, "has_chat": True}

    reports = [
        ("host-b", [meeting("m1", "2026-12-01T23:59:59Z"), meeting("m2", "2026-12-02T00:00:00Z")]),
        ("host-a", [meeting("m1", "2026-12-01T23:59:59Z"), meeting("m0", "2026-11-30T23:00:00Z")]),
    ]
    rows = report_rows(reports, [date(2026, 12, 1)], SYNCED).to_pylist()
    assert [(r["uuid"], r["host_id"], r["report_date"]) for r in rows] == [
        ("m1", "host-a", date(2026, 12, 1))
    ]
    assert rows[0]["has_chat"] is True
    assert rows[0]["start_time"] == datetime(2026, 12, 1, 23, 59, 59, tzinfo=UTC)


def test_participant_rows_keep_rejoins_and_drop_exact_key_repeats() -> None:
    first = {"user_id": "1", "name": "Zoë", "duration": 60, "join_time": "2026-12-01T10:00:00Z"}
    rejoin = {**first, "user_id": "2"}
    rows = participant_rows([("m1", [first, rejoin, first])], date(2026, 12, 1), SYNCED)
    assert [(r["meeting_uuid"], r["user_id"]) for r in rows.to_pylist()] == [
        ("m1", "1"),
        ("m1", "2"),
    ]
    assert rows.column("report_date").to_pylist() == [date(2026, 12, 1)] * 2
