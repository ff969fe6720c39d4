"""Every query in sql/ runs as written on demo-like data, and its answer agrees with the account.

The warehouse is synced once per module from an emulator (users, then seven days in one range
run); each query's result is compared with the same figure computed from the emulator's truth.
"""

from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb
import pytest

from zoom_assets.assets import zoom_users
from zoom_assets.cli import sql as sql_cli
from zoom_assets.cli.sql import SQL_DIR
from zoom_assets.emulator import Account, ZoomEmulator
from zoom_assets_tests.test_assets import materialize_days, resources_for

QUERIES = sorted(SQL_DIR.glob("*.sql"))
ATTENDING = "in_meeting"


@pytest.fixture(scope="module")
def synced(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Account, Path]]:
    """A 60-user account with seven days of meetings, synced into a fresh DuckDB file."""
    path = tmp_path_factory.mktemp("sql") / "zoom.duckdb"
    with ZoomEmulator(seed=11, users=60, days=7) as emu:
        resources = resources_for(emu, path)
        assert dg.materialize([zoom_users], resources=resources).success
        days = emu.account.days
        assert materialize_days(resources, days[0], days[-1]).success
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


def attendance(account: Account) -> Iterator[tuple[date, str, dict[str, Any]]]:
    """(meeting day, meeting uuid, participant row) of account members present in a meeting."""
    members = users_by_id(account)
    for uuid, (_, item) in meetings(account).items():
        day = date.fromisoformat(item["start_time"][:10])
        for row in account.participants(uuid):
            if row.get("id") in members and row.get("status", ATTENDING) == ATTENDING:
                yield day, uuid, row


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
    for day, uuid, row in attendance(account):
        key = (day - timedelta(days=day.weekday()), members[row["id"]]["email"])
        seen[key].add(uuid)
        seconds[key] += row["duration"]
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
    for _, _, row in attendance(account):
        attended[members[row["id"]].get("dept") or "(none)"] += row["duration"]
    rows = {r["department"]: r for r in run(path, "meeting_hours_per_department")}
    assert {d: r["meetings_hosted"] for d, r in rows.items() if r["meetings_hosted"]} == hosted
    for dept, row in rows.items():
        assert row["hosted_hours"] == pytest.approx(hosted_minutes[dept] / 60, abs=0.051)
        assert row["attended_hours"] == pytest.approx(attended[dept] / 3600, abs=0.051)


def test_external_guests_per_meeting(synced: tuple[Account, Path]) -> None:
    account, path = synced
    expected = {}
    for uuid in meetings(account):
        guests = {
            p.get("user_email") or p["name"]
            for p in account.participants(uuid)
            if p.get("internal_user") is False
        }
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
    for _, _, row in attendance(account):
        seconds[row["id"]] += row["duration"]
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
