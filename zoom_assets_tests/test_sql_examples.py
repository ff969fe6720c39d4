"""Every query in sql/ runs as written on demo-like data, and its answer agrees with the account.

The warehouse is synced once per module from an emulator (users, then seven days in one range
run); each query's result is compared with the same figure computed here, in Python, from the
emulator's own account (people and their overlapping sessions included).
"""

from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb
import pytest

from zoom_assets.assets import ASSETS, zoom_users
from zoom_assets.automation import RANGE_END, RANGE_START
from zoom_assets.cli import sql as sql_cli
from zoom_assets.cli.sql import SQL_DIR
from zoom_assets.emulator import Account, ZoomEmulator
from zoom_assets_tests.test_assets import resources_for

QUERIES = sorted(SQL_DIR.glob("*.sql"))
ATTENDING = "in_meeting"


@pytest.fixture(scope="module")
def synced(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Account, Path]]:
    """A 60-user account with seven days of meetings, every asset synced into a fresh file."""
    path = tmp_path_factory.mktemp("sql") / "zoom.duckdb"
    with ZoomEmulator(seed=11, users=60, days=7) as emu:
        resources = resources_for(emu, path)
        assert dg.materialize([zoom_users], resources=resources).success
        days = emu.account.days
        daily = dg.materialize(
            [a for a in ASSETS if a is not zoom_users],
            resources=resources,
            tags={RANGE_START: days[0].isoformat(), RANGE_END: days[-1].isoformat()},
        )
        assert daily.success
        yield emu.account, path


def run(path: Path, name: str) -> list[dict[str, Any]]:
    with duckdb.connect(str(path), read_only=True) as conn:
        cursor = conn.execute((SQL_DIR / f"{name}.sql").read_text(encoding="utf-8"))
        columns = [d[0] for d in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def meetings(account: Account) -> dict[str, tuple[str, dict[str, Any]]]:
    """uuid -> (host id, report item); a UUID listed by two hosts goes to the smaller host id."""
    found: dict[str, tuple[str, dict[str, Any]]] = {}
    for day in account.days:
        for host, item in sorted(account.meetings_on(day), key=lambda hm: hm[0]):
            found.setdefault(item["uuid"], (host, item))
    return found


def users_by_id(account: Account) -> dict[str, dict[str, Any]]:
    return {u["id"]: u for u in account.users() if u.get("id")}


def person(row: dict[str, Any]) -> tuple[str, str]:
    """Who a session belongs to: Zoom user id, else lower-case e-mail, else display name."""
    if row.get("id"):
        return "user_id", row["id"]
    if row.get("user_email"):
        return "email", row["user_email"].lower()
    return "name", (row.get("name") or "").strip()


def union_seconds(rows: list[dict[str, Any]]) -> int:
    """Seconds covered by the sessions, overlapping time counted once."""
    spans = sorted(
        (datetime.fromisoformat(r["join_time"]), datetime.fromisoformat(r["leave_time"]))
        for r in rows
    )
    total, start, end = 0.0, *spans[0]
    for join, leave in spans[1:]:
        if join > end:
            total += (end - start).total_seconds()
            start, end = join, leave
        else:
            end = max(end, leave)
    return round(total + (end - start).total_seconds())


def people(account: Account, uuid: str) -> dict[tuple[str, str], list[dict[str, Any]]]:
    """The sessions of each person in one meeting, waiting-room rows left out."""
    found: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for row in account.participants(uuid):
        if row.get("status", ATTENDING) == ATTENDING:
            found[person(row)].append(row)
    return found


def attendance(account: Account) -> Iterator[tuple[date, str, str, int]]:
    """(meeting day, meeting uuid, member's user id, seconds present) for account members."""
    members = users_by_id(account)
    for uuid, (_, item) in meetings(account).items():
        day = date.fromisoformat(item["start_time"][:10])
        for (kind, key), rows in people(account, uuid).items():
            if kind == "user_id" and key in members:
                yield day, uuid, key, union_seconds(rows)


@pytest.mark.parametrize("path", QUERIES, ids=[p.stem for p in QUERIES])
def test_every_query_runs_and_has_an_answer(synced: tuple[Account, Path], path: Path) -> None:
    rows = run(synced[1], path.stem)
    assert rows, f"{path.name} returned nothing on a week of meetings"
    assert path.read_text(encoding="utf-8").startswith("-- "), "first line says what it answers"


def test_users_by_status(synced: tuple[Account, Path]) -> None:
    account, path = synced
    expected = Counter(u["status"] for u in account.users())
    licensed = Counter(u["status"] for u in account.users() if u["type"] == 2)
    rows = run(path, "users_by_status")
    assert {r["status"]: r["users"] for r in rows} == expected
    assert {r["status"]: r["licensed"] for r in rows} == {s: licensed[s] for s in expected}


def test_meetings_per_day(synced: tuple[Account, Path]) -> None:
    account, path = synced
    per_day: dict[date, list[dict[str, Any]]] = defaultdict(list)
    for _, item in meetings(account).values():
        per_day[date.fromisoformat(item["start_time"][:10])].append(item)
    rows = run(path, "meetings_per_day")
    assert [r["report_date"] for r in rows] == sorted(per_day)
    for row in rows:
        items = per_day[row["report_date"]]
        assert row["meetings"] == len(items)
        assert row["participants"] == sum(i["participants_count"] for i in items)
        total = sum(i["total_minutes"] for i in items) / 60
        assert row["person_hours"] == pytest.approx(total, abs=0.051)


def test_top_hosts_by_minutes(synced: tuple[Account, Path]) -> None:
    account, path = synced
    members = users_by_id(account)
    minutes: Counter[str] = Counter()
    for host, item in meetings(account).values():
        minutes[members[host]["email"]] += item["duration"]
    expected = sorted(minutes.items(), key=lambda hm: (-hm[1], hm[0]))[:10]
    rows = run(path, "top_hosts_by_minutes")
    assert [(r["host"], r["meeting_minutes"]) for r in rows] == expected


def test_attendance_per_user_per_week(synced: tuple[Account, Path]) -> None:
    account, path = synced
    members = users_by_id(account)
    seen: dict[tuple[date, str], set[str]] = defaultdict(set)
    seconds: Counter[tuple[date, str]] = Counter()
    for day, uuid, user_id, present in attendance(account):
        key = (day - timedelta(days=day.weekday()), members[user_id]["email"])
        seen[key].add(uuid)
        seconds[key] += present
    rows = run(path, "attendance_per_user_per_week")
    assert {(r["week_start"], r["email"]): r["meetings_attended"] for r in rows} == {
        key: len(uuids) for key, uuids in seen.items()
    }
    for r in rows:
        expected = seconds[(r["week_start"], r["email"])] / 60
        assert r["minutes_present"] == pytest.approx(expected, abs=0.051)
    assert all(r["week_start"].weekday() == 0 for r in rows)


def test_meeting_hours_per_department(synced: tuple[Account, Path]) -> None:
    account, path = synced
    members = users_by_id(account)
    hosted: Counter[str] = Counter()
    hosted_minutes: Counter[str] = Counter()
    for host, item in meetings(account).values():
        dept = members[host].get("dept") or "(none)"
        hosted[dept] += 1
        hosted_minutes[dept] += item["duration"]
    attended: Counter[str] = Counter()
    for _, _, user_id, present in attendance(account):
        attended[members[user_id].get("dept") or "(none)"] += present
    rows = {r["department"]: r for r in run(path, "meeting_hours_per_department")}
    assert {d: r["meetings_hosted"] for d, r in rows.items() if r["meetings_hosted"]} == hosted
    for dept, row in rows.items():
        assert row["hosted_hours"] == pytest.approx(hosted_minutes[dept] / 60, abs=0.051)
        assert row["attended_hours"] == pytest.approx(attended[dept] / 3600, abs=0.051)


def test_external_guests_per_meeting(synced: tuple[Account, Path]) -> None:
    account, path = synced
    expected = {}
    for uuid in meetings(account):
        guests = [
            key
            for key, rows in people(account, uuid).items()
            if not any(r.get("internal_user") for r in rows)
        ]
        if guests:
            expected[uuid] = len(guests)
    rows = run(path, "external_guests_per_meeting")
    assert {r["meeting_uuid"]: r["external_guests"] for r in rows} == expected
    assert all(r["people"] >= r["external_guests"] for r in rows)
    assert [r["external_guests"] for r in rows] == sorted(expected.values(), reverse=True)


def test_busiest_hours(synced: tuple[Account, Path]) -> None:
    account, path = synced
    started = Counter(
        (date.fromisoformat(i["start_time"][:10]).strftime("%A"), int(i["start_time"][11:13]))
        for _, i in meetings(account).values()
    )
    rows = run(path, "busiest_hours")
    assert len(rows) == min(15, len(started))
    for row in rows:
        assert row["meetings_started"] == started[(row["weekday"], row["hour"])]
    counts = [r["meetings_started"] for r in rows]
    assert counts == sorted(started.values(), reverse=True)[: len(rows)]


def test_least_active_licensed_users(synced: tuple[Account, Path]) -> None:
    account, path = synced
    hosted = Counter(host for host, _ in meetings(account).values())
    seconds: Counter[str] = Counter()
    for _, _, user_id, present in attendance(account):
        seconds[user_id] += present
    licensed = [u for u in account.users("active") if u["type"] == 2]
    rows = run(path, "least_active_licensed_users")
    assert len(rows) == min(20, len(licensed))
    members = {u["email"]: u["id"] for u in licensed}
    for row in rows:
        user_id = members[row["email"]]
        assert row["meetings_hosted"] == hosted[user_id]
        assert row["minutes_present"] == pytest.approx(seconds[user_id] / 60, abs=0.051)
    ranked = sorted(licensed, key=lambda u: seconds[u["id"]])
    cutoff = seconds[ranked[len(rows) - 1]["id"]] / 60
    assert max(r["minutes_present"] for r in rows) == pytest.approx(cutoff, abs=0.051)
    keys = [(r["minutes_present"], r["meetings_hosted"], r["email"]) for r in rows]
    assert keys == sorted(keys)


def test_zoom_sql_prints_each_query_with_its_title(synced: tuple[Account, Path], capsys) -> None:
    assert sql_cli.main(["users_by_status", "busiest_hours.sql", "--db", str(synced[1])]) == 0
    out = capsys.readouterr().out
    assert "Users by status" in out and "busiest hours of the week" in out
    assert sql_cli.main(["no_such_query", "--db", str(synced[1])]) == 2
