"""The emulator's three read endpoints answer as Zoom documents (REFERENCE §3-§5)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest

from zoom_assets.emulator import ZoomEmulator
from zoom_assets.emulator.encoding import needs_double_encoding


def _all_pages(session, url: str, key: str, **params: object) -> list[dict]:
    records, token = [], None
    while True:
        response = session.get(url, params={**params, "next_page_token": token or ""}, timeout=10)
        assert response.status_code == 200, response.text
        body = response.json()
        records += body[key]
        token = body["next_page_token"]
        if not token:
            return records


@pytest.fixture
def emu(emulator_factory) -> ZoomEmulator:
    """The small account, with limits raised so that these unpaced loops never meet a 429."""
    return emulator_factory(seed=7, users=12, days=5, rate_limit_scale=100)


def _encode(uuid: str) -> str:
    once = quote(uuid, safe="")
    return quote(once, safe="") if needs_double_encoding(uuid) else once


@pytest.mark.parametrize("status", ["active", "inactive", "pending"])
def test_users_listing_pages_through_every_user_of_a_status(emu, api_session, status):
    session = api_session(emu)
    users = _all_pages(session, f"{emu.base_url}/users", "users", status=status, page_size=2)
    assert users == emu.account.users(status)
    assert users and all(("id" in u) == (status != "pending") for u in users)


def test_users_default_to_active_30_per_page_with_counts(emulator_factory, api_session):
    emu = emulator_factory(users=80, days=1)
    body = api_session(emu).get(f"{emu.base_url}/users", timeout=10).json()
    active = emu.account.users("active")
    assert body["page_size"] == 30
    assert body["users"] == active[:30]
    assert body["total_records"] == len(active)
    assert body["page_count"] == -(-len(active) // 30)
    assert body["next_page_token"]


def test_users_page_size_above_the_maximum_is_clamped(emu, api_session):
    body = (
        api_session(emu).get(f"{emu.base_url}/users", params={"page_size": 5000}, timeout=10).json()
    )
    assert body["page_size"] == 2000
    assert body["next_page_token"] == ""


def test_report_returns_every_meeting_of_the_host_in_the_window(emu, api_session):
    session = api_session(emu)
    first, last = emu.account.days[0], emu.account.days[-1]
    for user_id in emu.account.user_ids_with_reports():
        meetings = _all_pages(
            session,
            f"{emu.base_url}/report/users/{user_id}/meetings",
            "meetings",
            **{"from": first - timedelta(days=1), "to": last + timedelta(days=1)},
            page_size=2,
        )
        assert meetings == emu.account.report_meetings(user_id)


def test_report_envelope_echoes_the_window(emu, api_session):
    user_id = emu.account.user_ids_with_reports()[0]
    first, last = emu.account.days[0].isoformat(), emu.account.days[-1].isoformat()
    body = (
        api_session(emu)
        .get(
            f"{emu.base_url}/report/users/{user_id}/meetings",
            params={"from": first, "to": last},
            timeout=10,
        )
        .json()
    )
    assert (body["from"], body["to"]) == (first, last)
    assert {"page_count", "page_size", "total_records", "next_page_token"} <= body.keys()


def test_report_for_an_unknown_user_is_404_1001(emu, api_session):
    day = emu.account.days[-1].isoformat()
    response = api_session(emu).get(
        f"{emu.base_url}/report/users/nobody/meetings",
        params={"from": day, "to": day},
        timeout=10,
    )
    assert response.status_code == 404
    assert response.json()["code"] == 1001


def test_participants_by_uuid_match_the_truth(emu, api_session):
    session = api_session(emu)
    for day in emu.account.days:
        for _, meeting in emu.account.meetings_on(day):
            rows = _all_pages(
                session,
                f"{emu.base_url}/past_meetings/{_encode(meeting['uuid'])}/participants",
                "participants",
                page_size=3,
            )
            assert rows == emu.account.participants(meeting["uuid"])
            assert len({r["user_id"] for r in rows}) == len(rows)


def test_single_encoded_slash_uuid_fails_like_zoom(emu, api_session):
    session = api_session(emu)
    slashed = [
        m["uuid"]
        for d in emu.account.days
        for _, m in emu.account.meetings_on(d)
        if needs_double_encoding(m["uuid"])
    ]
    assert slashed
    for uuid in slashed:
        once = session.get(
            f"{emu.base_url}/past_meetings/{quote(uuid, safe='')}/participants", timeout=10
        )
        assert (once.status_code, once.json()["code"]) == (404, 3001)


def test_numeric_meeting_id_resolves_to_the_latest_instance(emu, api_session):
    session = api_session(emu)
    items = [m for d in emu.account.days for _, m in emu.account.meetings_on(d)]
    series = [m for m in items if sum(o["id"] == m["id"] for o in items) > 1]
    assert series, "the account should hold a recurring meeting with several instances"
    latest = emu.account.latest_instance(series[0]["id"])
    instances = [m for m in emu.account.by_uuid.values() if m.id == latest.id]
    assert len(instances) > 1 and latest.start == max(m.start for m in instances)
    rows = session.get(
        f"{emu.base_url}/past_meetings/{latest.id}/participants",
        params={"page_size": 300},
        timeout=10,
    ).json()["participants"]
    assert rows == emu.account.participants(latest.uuid)


def test_unknown_meeting_is_404_3001(emu, api_session):
    response = api_session(emu).get(
        f"{emu.base_url}/past_meetings/{quote('AAAAAAAAAAAAAAAAAAAAAA==', safe='')}/participants",
        timeout=10,
    )
    assert (response.status_code, response.json()["code"]) == (404, 3001)


def test_yesterday_is_the_default_last_day(emu):
    assert emu.account.days[-1] == emu.clock().date() - timedelta(days=1)
    assert len(emu.account.days) == 5


def test_emulator_stops_and_frees_its_port():
    emu = ZoomEmulator(users=3, days=1).start()
    port = emu.port
    emu.stop()
    emu.stop()
    assert port > 0


NOW = datetime(2026, 6, 15, 9, tzinfo=UTC)


@pytest.mark.parametrize(("first", "last", "status"), [
    ("2026-01-31", "2026-02-28", 200),   # one calendar month, clamped to February's end
    ("2026-01-31", "2026-03-01", 400),   # more than a month
    ("2026-05-10", "2026-06-10", 200),
    ("2026-05-10", "2026-06-11", 400),
    ("2026-06-10", "2026-06-09", 400),   # to before from
    ("2025-12-15", "2025-12-20", 200),   # exactly six months back
    ("2025-12-14", "2025-12-20", 400),   # older than six months
    ("2026-06-01", "", 400),             # to missing
    ("2026-6-1", "2026-06-02", 400),     # not yyyy-mm-dd
])  # fmt: skip
def test_report_window_rules(emulator_factory, api_session, first, last, status):
    emu = emulator_factory(users=3, days=2, clock=lambda: NOW)
    response = api_session(emu).get(
        f"{emu.base_url}/report/users/{emu.account.user_ids_with_reports()[0]}/meetings",
        params={"from": first, "to": last},
        timeout=10,
    )
    assert response.status_code == status, response.text
    if status == 400:
        assert response.json()["code"] == 300


def _late_meeting(emu):
    """A report item whose date in its host's time zone differs from its UTC date."""
    for user in emu.account.hosts:
        zone = ZoneInfo(user["timezone"])
        for item in emu.account.report_meetings(user["id"]):
            start = datetime.fromisoformat(item["start_time"])
            if start.astimezone(zone).date() != start.date():
                return user, item, start.astimezone(zone).date(), start.date()
    raise AssertionError("no meeting crosses a day boundary between local time and UTC")


@pytest.mark.parametrize("report_timezone", ["user", "UTC"])
def test_report_dates_are_read_in_the_configured_time_zone(
    emulator_factory, api_session, report_timezone
):
    emu = emulator_factory(users=40, days=7, report_timezone=report_timezone)
    user, item, local_day, utc_day = _late_meeting(emu)
    session = api_session(emu)

    def uuids_on(day):
        return [m["uuid"] for m in session.get(
            f"{emu.base_url}/report/users/{user['id']}/meetings",
            params={"from": day.isoformat(), "to": day.isoformat(), "page_size": 300}, timeout=10,
        ).json()["meetings"]]  # fmt: skip

    expected_day = local_day if report_timezone == "user" else utc_day
    other_day = utc_day if report_timezone == "user" else local_day
    assert item["uuid"] in uuids_on(expected_day)
    assert item["uuid"] not in uuids_on(other_day)


@pytest.mark.parametrize("encode", [False, True])
def test_user_can_be_named_by_email(emu, api_session, encode):
    user = emu.account.hosts[0]
    email = quote(user["email"].upper(), safe="") if encode else user["email"].upper()
    first, last = emu.account.days[0].isoformat(), emu.account.days[-1].isoformat()
    body = api_session(emu).get(
        f"{emu.base_url}/report/users/{email}/meetings",
        params={"from": first, "to": last}, timeout=10,
    ).json()  # fmt: skip
    assert body["meetings"] == emu.account.report_meetings(user["id"])


def test_invalid_user_status_is_a_validation_error(emu, api_session):
    response = api_session(emu).get(f"{emu.base_url}/users", params={"status": "x"}, timeout=10)
    assert (response.status_code, response.json()["code"]) == (400, 300)
