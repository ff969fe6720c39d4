"""The DuckDB tables: typed columns with Zoom's field names, keys and their UI schema.

One declaration per table serves the DDL, the Arrow schema the rows are shaped into, and the
`dagster/column_schema` metadata, so the three cannot drift apart. Columns marked `api=True` are
read from the Zoom record's field of the same name; the pipeline fills the others. The three tables
synced from Zoom also keep the whole record in `raw` (JSON), so a field Zoom adds later is never
lost; `meeting_attendance` is derived from two of them, and `sync_skips` logs what runs skipped.
"""

from dataclasses import dataclass
from datetime import date
from typing import Literal

import dagster as dg
import pyarrow as pa

Kind = Literal["varchar", "bigint", "boolean", "timestamptz", "date", "json", "varchar[]"]

SQL_TYPES: dict[Kind, str] = {
    "varchar": "VARCHAR",
    "bigint": "BIGINT",
    "boolean": "BOOLEAN",
    "timestamptz": "TIMESTAMPTZ",
    "date": "DATE",
    "json": "JSON",
    "varchar[]": "VARCHAR[]",
}
ARROW_TYPES: dict[Kind, pa.DataType] = {
    "varchar": pa.string(),
    "bigint": pa.int64(),
    "boolean": pa.bool_(),
    "timestamptz": pa.timestamp("us", tz="UTC"),
    "date": pa.date32(),
    "json": pa.string(),
    "varchar[]": pa.list_(pa.string()),
}
SCHEMA = "main"


@dataclass(frozen=True)
class Column:
    """One column; `api` says whether it is copied from the Zoom record's field of that name."""

    name: str
    kind: Kind
    description: str = ""
    api: bool = True

    @property
    def sql_type(self) -> str:
        return SQL_TYPES[self.kind]


@dataclass(frozen=True)
class Table:
    """A table's columns, its key, the DATE column that partitions it (if any), and the columns
    safe to preview in run metadata (no names, emails or topics: run metadata is kept forever)."""

    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    preview: tuple[str, ...]
    day_column: str | None = None

    @property
    def qualified_name(self) -> str:
        return f"{SCHEMA}.{self.name}"

    @property
    def example_key(self) -> tuple[str, ...]:
        """The key columns that check metadata may quote: those safe to preview, else all."""
        return tuple(c for c in self.key if c in self.preview) or self.key

    def ddl(self) -> str:
        """CREATE TABLE IF NOT EXISTS.

        Keys carry no NOT NULL or UNIQUE constraint on purpose: a record Zoom sends without its key
        is written and then reported by the key check (count and examples), not dropped in silence
        or allowed to fail the whole write.
        """
        lines = [f"    {c.name} {c.sql_type}" for c in self.columns]
        return f"CREATE TABLE IF NOT EXISTS {self.qualified_name} (\n" + ",\n".join(lines) + "\n)"

    def arrow_schema(self) -> pa.Schema:
        return pa.schema([pa.field(c.name, ARROW_TYPES[c.kind]) for c in self.columns])

    def shape(self, rows: pa.Table) -> pa.Table:
        """`rows` with exactly this table's columns, in order and of its Arrow types."""
        return rows.select(self.arrow_schema().names).cast(self.arrow_schema())

    def refuse_outside(self, rows: pa.Table, first: date, last: date) -> None:
        """Raise if a row's day is missing or outside first..last: a bug upstream must not
        overwrite, or leak into, days a write does not own."""
        if self.day_column is None:
            raise ValueError(f"{self.name} has no day column")
        days = rows.column(self.day_column).to_pylist()
        outside = sorted({str(day) for day in days if day is None or not first <= day <= last})
        if outside:
            raise ValueError(
                f"{len(outside)} {self.day_column} values outside {first}..{last} for "
                f"{self.name}: {outside[:5]}"
            )

    def table_schema(self) -> dg.TableSchema:
        """The `dagster/column_schema` metadata value."""
        return dg.TableSchema(
            columns=[
                dg.TableColumn(
                    name=c.name,
                    type=c.sql_type,
                    description=c.description or None,
                    constraints=dg.TableColumnConstraints(
                        nullable=c.name not in self.key, unique=self.key == (c.name,)
                    ),
                )
                for c in self.columns
            ]
        )


REPORT_DATE = Column("report_date", "date", "UTC date of the meeting's start_time", api=False)
TRAILER = (
    Column("raw", "json", "the record exactly as Zoom returned it", api=False),
    Column("synced_at", "timestamptz", "when this pipeline wrote the row", api=False),
)

ZOOM_USERS = Table(
    name="zoom_users",
    key=("user_key",),
    preview=("id", "status", "type", "timezone", "user_created_at", "last_login_time"),
    columns=(
        Column(
            "user_key", "varchar", "id, or the email of a pending user (who has no id)", api=False
        ),
        Column("id", "varchar", "Zoom user id; NULL for pending users"),
        Column("email", "varchar"),
        Column("first_name", "varchar"),
        Column("last_name", "varchar"),
        Column("display_name", "varchar"),
        Column("type", "bigint", "1 Basic, 2 Licensed, 4 Unassigned, 99 None"),
        Column("status", "varchar", "active, inactive or pending"),
        Column("pmi", "bigint", "personal meeting id"),
        Column("timezone", "varchar"),
        Column("verified", "bigint"),
        Column("dept", "varchar"),
        Column("role_id", "varchar"),
        Column("user_created_at", "timestamptz"),
        Column("created_at", "timestamptz"),
        Column("last_login_time", "timestamptz"),
        Column("last_client_version", "varchar"),
        Column("language", "varchar"),
        Column("phone_number", "varchar"),
        Column("group_ids", "varchar[]"),
        Column("im_group_ids", "varchar[]"),
        Column("plan_united_type", "varchar"),
        Column("employee_unique_id", "varchar"),
        *TRAILER,
    ),
)

MEETING_REPORTS = Table(
    name="meeting_reports",
    key=("uuid",),
    preview=("uuid", "id", "host_id", "start_time", "duration", "participants_count"),
    day_column="report_date",
    columns=(
        Column("uuid", "varchar", "meeting instance UUID"),
        Column("id", "bigint", "meeting number"),
        Column("host_id", "varchar", "the user whose report listed the meeting", api=False),
        Column("type", "bigint"),
        Column("topic", "varchar"),
        Column("user_name", "varchar"),
        Column("user_email", "varchar"),
        Column("start_time", "timestamptz"),
        Column("end_time", "timestamptz"),
        Column("duration", "bigint", "minutes"),
        Column("total_minutes", "bigint", "sum of all participants' minutes"),
        Column("participants_count", "bigint"),
        Column("participants_count_my_account", "bigint"),
        Column("source", "varchar"),
        Column("session_key", "varchar"),
        Column("custom_keys", "json"),
        Column("schedule_time", "varchar", "Zoom's text, format undocumented"),
        Column("join_time", "varchar", "Zoom's text, format undocumented"),
        Column("leave_time", "varchar", "Zoom's text, format undocumented"),
        Column("join_waiting_room_time", "varchar", "Zoom's text, format undocumented"),
        Column("host_name", "varchar"),
        Column("host_organization", "varchar"),
        Column("has_screen_share", "boolean"),
        Column("has_recording", "boolean"),
        Column("has_chat", "boolean"),
        Column("meeting_encryption_status", "bigint", "1 end-to-end, 2 enhanced"),
        REPORT_DATE,
        *TRAILER,
    ),
)

PAST_PARTICIPANTS = Table(
    name="past_participants",
    key=("meeting_uuid", "user_id"),
    preview=("meeting_uuid", "user_id", "join_time", "leave_time", "duration", "status"),
    day_column="report_date",
    columns=(
        Column("meeting_uuid", "varchar", "the meeting instance (meeting_reports.uuid)", api=False),
        Column("user_id", "varchar", "per-meeting participant id; a rejoin gets a new one"),
        Column("id", "varchar", "Zoom user id if signed in, else empty"),
        Column("name", "varchar"),
        Column("user_email", "varchar"),
        Column("registrant_id", "varchar"),
        Column("join_time", "timestamptz"),
        Column("leave_time", "timestamptz"),
        Column("duration", "bigint", "seconds"),
        Column("failover", "boolean"),
        Column("status", "varchar", "in_meeting or in_waiting_room"),
        Column("internal_user", "boolean"),
        REPORT_DATE,
        *TRAILER,
    ),
)

MEETING_ATTENDANCE = Table(
    name="meeting_attendance",
    key=("meeting_uuid", "person_kind", "person_key"),
    preview=("meeting_uuid", "person_kind", "first_join", "last_leave", "attended_seconds"),
    day_column="report_date",
    columns=(
        Column("meeting_uuid", "varchar", "the meeting instance (meeting_reports.uuid)", api=False),
        REPORT_DATE,
        Column("person_kind", "varchar", "what person_key is: user_id, email or name", api=False),
        Column(
            "person_key", "varchar", "Zoom user id, else lower-case email, else name", api=False
        ),
        Column("name", "varchar", "display name of the person's first session", api=False),
        Column("email", "varchar", "user_email of any session, if Zoom gave one", api=False),
        Column(
            "first_join", "timestamptz", "earliest join_time of the person's sessions", api=False
        ),
        Column(
            "last_leave", "timestamptz", "latest leave_time of the person's sessions", api=False
        ),
        Column("attended_seconds", "bigint", "union of the sessions, overlaps once", api=False),
        Column("sessions", "bigint", "participant rows (joins, rejoins, devices)", api=False),
        Column("internal", "boolean", "any session was internal_user", api=False),
        Column("host_id", "varchar", "meeting_reports.host_id of the meeting", api=False),
    ),
)

SYNC_SKIPS = Table(
    name="sync_skips",
    key=("entity_kind", "entity_id", "endpoint"),
    preview=("entity_kind", "entity_id", "endpoint", "code", "partition_key", "resolved_at"),
    columns=(
        Column("entity_kind", "varchar", "user or meeting", api=False),
        Column("entity_id", "varchar", "Zoom user id or meeting UUID", api=False),
        Column("endpoint", "varchar", "the endpoint that answered for it", api=False),
        Column("code", "bigint", "Zoom's error code (1001, 3001, 12702, ...)", api=False),
        Column("message", "varchar", "Zoom's message, as the client quoted it", api=False),
        Column("partition_key", "varchar", "day (or first...last range) last skipped", api=False),
        Column("run_id", "varchar", "the Dagster run that last skipped it", api=False),
        Column("first_seen", "timestamptz", "first time a run skipped it", api=False),
        Column("last_seen", "timestamptz", "last time a run skipped it", api=False),
        Column(
            "resolved_at",
            "timestamptz",
            "when a later run fetched it; NULL while missing",
            api=False,
        ),
    ),
)

TABLES = (ZOOM_USERS, MEETING_REPORTS, PAST_PARTICIPANTS, MEETING_ATTENDANCE, SYNC_SKIPS)
