"""Zoom records (JSON dicts) shaped into Arrow tables that match `tables.py`, for bulk inserts.

A field missing from a record, or one whose value does not fit the column's type, becomes NULL; the
record itself is kept whole in `raw`, so nothing Zoom sent is lost. Records are never dropped for a
missing key: the key checks report them.
"""

import json
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, date, datetime
from typing import Any

import pyarrow as pa

from zoom_assets.tables import MEETING_REPORTS, PAST_PARTICIPANTS, ZOOM_USERS, Kind, Table

Record = Mapping[str, Any]
BIGINT_MIN, BIGINT_MAX = -(2**63), 2**63 - 1


def as_text(value: Any) -> str | None:
    """Strings as they are; numbers as their text; anything else (objects, lists) NULL."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return str(value)
    return None


def as_int(value: Any) -> int | None:
    """Integers, integral floats and digit strings that fit a BIGINT; booleans and the rest NULL."""
    number = None
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str):
        try:
            number = int(value.strip())
        except ValueError:
            return None
    return number if number is not None and BIGINT_MIN <= number <= BIGINT_MAX else None


def as_bool(value: Any) -> bool | None:
    """JSON booleans, plus the strings "true"/"false"; anything else NULL."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    return None


def as_timestamp(value: Any) -> datetime | None:
    """An ISO-8601 timestamp in UTC (Zoom's `...Z`); a timestamp without offset is taken as UTC."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
        return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
    except (ValueError, OverflowError):  # not a timestamp, or its UTC time is past year 1..9999
        return None


# One encoder for every row: `json.dumps` with options builds a new encoder on each call.
_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True)


def as_json(value: Any) -> str | None:
    return None if value is None else _JSON.encode(value)


def as_text_list(value: Any) -> list[str] | None:
    if not isinstance(value, list):
        return None
    return [text for text in map(as_text, value) if text is not None]


CONVERTERS: dict[Kind, Callable[[Any], Any]] = {
    "varchar": as_text,
    "bigint": as_int,
    "boolean": as_bool,
    "timestamptz": as_timestamp,
    "json": as_json,
    "varchar[]": as_text_list,
}


def utc_day(record: Record, field: str = "start_time") -> date | None:
    """The UTC calendar date of a record's timestamp field, or None if it has none."""
    moment = as_timestamp(record.get(field))
    return None if moment is None else moment.date()


def to_arrow(
    table: Table,
    records: Iterable[Record],
    derived: Iterable[Mapping[str, Any]],
    synced_at: datetime,
) -> pa.Table:
    """One row per record: API columns converted, pipeline columns from `derived`, plus raw JSON.

    Built column by column (one comprehension per column), which does the same conversions as a
    loop over rows at a fraction of the interpreter overhead; a day can hold 100k rows and more.
    """
    records = list(records)
    extras = list(derived)
    if len(extras) != len(records):
        raise ValueError(f"{len(records)} records but {len(extras)} derived rows")
    schema = table.arrow_schema()
    columns: dict[str, Any] = {}
    for column in table.columns:
        name = column.name
        if column.api:
            convert = CONVERTERS[column.kind]
            columns[name] = [convert(record.get(name)) for record in records]
        elif name == "raw":
            columns[name] = [_JSON.encode(dict(record)) for record in records]
        elif name == "synced_at":
            columns[name] = pa.repeat(pa.scalar(synced_at, schema.field(name).type), len(records))
        else:
            columns[name] = [extra[name] for extra in extras]
    return pa.Table.from_pydict(columns, schema=schema)


def user_rows(users: Iterable[Record], synced_at: datetime) -> pa.Table:
    """Every user once, keyed by id or, for pending users (who have no id), by email.

    A user listed twice (their status changed between the listings) keeps the later record.
    """
    by_key: dict[str | None, Record] = {}
    for user in users:
        key = as_text(user.get("id")) or as_text(user.get("email"))
        by_key.pop(key, None)
        by_key[key] = user
    return to_arrow(ZOOM_USERS, by_key.values(), ({"user_key": k} for k in by_key), synced_at)


def report_rows(
    reports: Iterable[tuple[str, Iterable[Record]]], days: Iterable[date], synced_at: datetime
) -> pa.Table:
    """Meetings of the given UTC days from (host_id, meetings) pairs, each meeting UUID once.

    Reports are asked for with a padded window, so meetings outside `days` are expected and are
    dropped as they arrive (memory holds only the days written). When two hosts list the same
    UUID, the smallest host id wins, so reruns agree whatever order the reports finish in.
    """
    wanted = set(days)
    kept: dict[str | None, tuple[str, date, Record]] = {}
    for host_id, meetings in reports:
        for meeting in meetings:
            day = utc_day(meeting)
            uuid = as_text(meeting.get("uuid"))
            if day in wanted and (uuid not in kept or host_id < kept[uuid][0]):
                kept[uuid] = (host_id, day, meeting)
    ordered = sorted(kept.values(), key=lambda row: (row[1], row[0]))
    derived = ({"host_id": host, "report_date": day} for host, day, _ in ordered)
    return to_arrow(MEETING_REPORTS, (meeting for _, _, meeting in ordered), derived, synced_at)


def participant_rows(
    meetings: Iterable[tuple[str, Iterable[Record]]], report_date: date, synced_at: datetime
) -> pa.Table:
    """Participant rows of one day's meetings, each (meeting_uuid, user_id) once."""
    kept: dict[tuple[str, str | None], Record] = {}
    for meeting_uuid, participants in meetings:
        for participant in participants:
            kept.setdefault((meeting_uuid, as_text(participant.get("user_id"))), participant)
    derived = ({"meeting_uuid": uuid, "report_date": report_date} for uuid, _ in kept)
    return to_arrow(PAST_PARTICIPANTS, kept.values(), derived, synced_at)
