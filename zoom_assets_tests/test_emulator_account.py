"""The synthetic account is deterministic and holds every awkward case the pipeline must survive."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest

from zoom_assets.emulator import Account
from zoom_assets.emulator.encoding import needs_double_encoding

END = date(2026, 11, 30)


@pytest.fixture(scope="module")
def account() -> Account:
    return Account(seed=7, users=40, days=14, end_date=END)


def _items(account: Account) -> list[dict]:
    return [item for day in account.days for _, item in account.meetings_on(day)]


def _snapshot(account: Account) -> tuple:
    items = _items(account)
    return (account.users(), items, [account.participants(m["uuid"]) for m in items])


def test_same_seed_same_account_other_seed_other_account(account):
    assert _snapshot(account) == _snapshot(Account(seed=7, users=40, days=14, end_date=END))
    other = Account(seed=8, users=40, days=14, end_date=END)
    assert other.users() != account.users()


def test_users_of_every_status_pending_without_id(account):
    statuses = Counter(u["status"] for u in account.users())
    assert set(statuses) == {"active", "inactive", "pending"}
    assert all(("id" in u) == (u["status"] != "pending") for u in account.users())
    assert sorted(account.user_ids_with_reports()) == sorted(
        u["id"] for u in account.users() if u["status"] != "pending"
    )
    assert any(not u["display_name"].isascii() for u in account.users())
    assert len({u["timezone"] for u in account.users()}) > 3
    assert len({u["dept"] for u in account.users()}) > 3


def test_meetings_fall_on_the_requested_days_only(account):
    assert account.days == [END - timedelta(days=n) for n in range(13, -1, -1)]
    for day in account.days:
        items = account.meetings_on(day)
        assert items, day
        assert all(item["start_time"].startswith(day.isoformat()) for _, item in items)
    assert account.meetings_on(END + timedelta(days=1)) == []


def test_recurring_meetings_share_an_id_across_instances(account):
    by_id = Counter(item["id"] for item in _items(account))
    recurring = [i for i in _items(account) if i["type"] == 8 and by_id[i["id"]] > 1]
    assert recurring
    assert len({i["uuid"] for i in _items(account)}) == len(_items(account))


def test_awkward_meetings_exist(account):
    items = _items(account)
    assert any(i["start_time"][:10] != i["end_time"][:10] for i in items), "spans midnight"
    assert any(i["uuid"].startswith("/") for i in items)
    assert any("//" in i["uuid"] and not i["uuid"].startswith("/") for i in items)
    assert any(not needs_double_encoding(i["uuid"]) and "/" in i["uuid"] for i in items)
    assert any(not i["topic"].isascii() for i in items)


def test_single_participant_meetings_stay_out_of_reports(account):
    reported = {i["uuid"] for i in _items(account)}
    singles = [m for m in account.by_uuid.values() if m.unique_participants == 1]
    assert singles
    assert not reported & {m.uuid for m in singles}
    assert all(account.participants(m.uuid) == [] for m in singles)
    for user_id in account.user_ids_with_reports():
        assert all(i["uuid"] in reported for i in account.report_meetings(user_id))


def test_participants_rejoin_guests_and_internal_flags(account):
    rows = [r for i in _items(account) for r in account.participants(i["uuid"])]
    internal_ids = set(account.user_ids_with_reports())
    assert any(r["id"] == "" and r["user_email"] == "" for r in rows), "guests"
    assert any(r["id"] and r["id"] not in internal_ids for r in rows), "signed-in outsiders"
    assert all(r["internal_user"] == (r["id"] in internal_ids) for r in rows)
    assert all(r["duration"] > 0 for r in rows)
    rejoined = False
    for item in _items(account):
        meeting_rows = account.participants(item["uuid"])
        assert len({r["user_id"] for r in meeting_rows}) == len(meeting_rows)
        people = Counter(r["id"] for r in meeting_rows if r["id"])
        rejoined = rejoined or any(n > 1 for n in people.values())
    assert rejoined


def test_report_items_agree_with_their_participants(account):
    for item in _items(account):
        rows = account.participants(item["uuid"])
        assert item["participants_count"] == len(rows)
        assert item["total_minutes"] == sum(r["duration"] for r in rows) // 60
        start = datetime.fromisoformat(item["start_time"])
        end = datetime.fromisoformat(item["end_time"])
        assert start.tzinfo == UTC and end > start
        assert min(r["join_time"] for r in rows) == item["start_time"]


def test_large_account_builds_quickly():
    started = datetime.now(UTC)
    big = Account(seed=1, users=10_000, days=30, end_date=END)
    assert datetime.now(UTC) - started < timedelta(seconds=10)
    assert 60_000 < big.meeting_count() < 150_000
