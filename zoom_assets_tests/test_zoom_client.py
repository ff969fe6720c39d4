"""ZoomClient against the emulator over real HTTP: every endpoint returns exactly the account's
records, UUIDs that need double encoding resolve, gone users and meetings are skipped and counted,
and the configuration refuses insecure URLs and keeps the secret out of reprs.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest

from zoom_assets.emulator import ZoomEmulator
from zoom_assets.zoom import (
    PLANS,
    Credentials,
    ZoomAuthError,
    ZoomClient,
    ZoomConfigError,
    ZoomScopeError,
)
from zoom_assets.zoom.auth import AccessToken
from zoom_assets.zoom.urls import DEFAULT_API_BASE_URL, encode_path_id
from zoom_assets_tests.client_helpers import account_days, client_for, user_key

EmulatorFactory = Callable[..., ZoomEmulator]


def test_all_users_of_every_status_arrive_once(emulator: ZoomEmulator) -> None:
    with client_for(emulator) as client:
        users = list(client.iter_all_users(page_size=5))
    truth = emulator.account.users()
    assert Counter(map(user_key, users)) == Counter(map(user_key, truth))
    assert {u["status"] for u in users} == {"active", "inactive", "pending"}
    assert all("id" not in u for u in users if u["status"] == "pending")


def test_meeting_reports_cover_the_asked_days(emulator: ZoomEmulator) -> None:
    first, last = account_days(5)
    with client_for(emulator) as client:
        for user_id in emulator.account.user_ids_with_reports():
            got = [m["uuid"] for m in client.iter_meeting_reports(
                user_id, from_date=first, to_date=last, page_size=2)]  # fmt: skip
            truth = [m["uuid"] for m in emulator.account.report_meetings(user_id)]
            assert Counter(got) == Counter(truth), user_id


def test_participants_of_uuids_that_need_double_encoding(emulator: ZoomEmulator) -> None:
    uuids = [uuid for _, items in _all_report_items(emulator) for uuid in items]
    tricky = [u for u in uuids if u.startswith("/") or "//" in u]
    assert tricky, "the account should hold UUIDs that need double encoding"
    with client_for(emulator) as client:
        for uuid in tricky[:5]:
            rows = list(client.iter_past_participants(uuid, page_size=3))
            assert rows == emulator.account.participants(uuid)


@pytest.mark.parametrize(
    ("raw", "sent"),
    [
        ("/ajXp112QmuoKj4854875==", "%252FajXp112QmuoKj4854875%253D%253D"),
        ("ab//cd+e==", "ab%252F%252Fcd%252Be%253D%253D"),
        ("aDYlohsHRtCd4ii1uC2+hA==", "aDYlohsHRtCd4ii1uC2%2BhA%3D%3D"),
        ("a/b", "a%2Fb"),
        ("97763643886", "97763643886"),
    ],
)
def test_only_uuids_starting_with_slash_or_holding_double_slash_are_encoded_twice(
    raw: str, sent: str
) -> None:
    assert encode_path_id(raw) == sent


def test_concurrent_reports_skip_and_record_a_deleted_user(emulator: ZoomEmulator) -> None:
    user_ids = emulator.account.user_ids_with_reports()
    gone = user_ids[0]
    emulator.faults.deleted_users = [gone]
    first, last = account_days(5)
    with client_for(emulator) as client:
        results = {r.user_id: r.meetings for r in client.reports_for_users(user_ids, first, last)}
        skipped = client.stats.snapshot()["skipped"]
    assert set(results) == set(user_ids) - {gone}
    for user_id, meetings in results.items():
        assert meetings == emulator.account.report_meetings(user_id)
    assert [(s["kind"], s["id"], s["code"]) for s in skipped] == [("user", gone, 1001)]


def test_concurrent_participants_skip_and_record_a_deleted_meeting(
    emulator: ZoomEmulator,
) -> None:
    uuids = [uuid for _, items in _all_report_items(emulator) for uuid in items][:12]
    gone = uuids[3]
    emulator.faults.deleted_meetings = [gone]
    with client_for(emulator) as client:
        results = list(client.participants_for_meetings(uuids))
        snapshot = client.stats.snapshot()
    assert sorted(r.meeting_uuid for r in results) == sorted(set(uuids) - {gone})
    for result in results:
        assert result.participants == emulator.account.participants(result.meeting_uuid)
    assert [(s["kind"], s["id"], s["code"]) for s in snapshot["skipped"]] == [
        ("meeting", gone, 3001)
    ]
    assert snapshot["records"] == sum(len(r.participants) for r in results)


def test_a_meeting_older_than_a_year_is_skipped_with_zooms_12702(
    emulator_factory: EmulatorFactory,
) -> None:
    ahead = [timedelta(0)]
    emu = emulator_factory(users=6, days=2, clock=lambda: datetime.now(UTC) + ahead[0])
    uuids = [item["uuid"] for day in emu.account.days for _, item in emu.account.meetings_on(day)]
    ahead[0] = timedelta(days=367)
    with client_for(emu) as client:
        assert list(client.participants_for_meetings(uuids)) == []
        skipped = client.stats.snapshot()["skipped"]
    assert sorted((s["id"], s["code"]) for s in skipped) == sorted((u, 12702) for u in uuids)


def test_participants_by_group_keep_each_group_whole_and_in_order(
    emulator: ZoomEmulator,
) -> None:
    uuids = [uuid for _, items in _all_report_items(emulator) for uuid in items][:15]
    gone = uuids[4]
    emulator.faults.deleted_meetings = [gone]
    groups = [("a", uuids[:6]), ("empty", []), ("b", uuids[6:7]), ("c", uuids[7:]), ("end", [])]
    with client_for(emulator, max_workers=4) as client:
        got = list(client.participants_by_group(iter(groups)))
        skipped = client.stats.snapshot()["skipped"]
    assert [key for key, _ in got] == ["a", "empty", "b", "c", "end"]
    for (_, asked), (_, results) in zip(groups, got, strict=True):
        assert sorted(r.meeting_uuid for r in results) == sorted(set(asked) - {gone})
        for result in results:
            assert result.participants == emulator.account.participants(result.meeting_uuid)
    assert [s["id"] for s in skipped] == [gone]


def test_participants_by_group_share_one_stream_of_work(
    emulator_factory: EmulatorFactory,
) -> None:
    """Groups of one meeting each still keep every worker busy: a group's end is no barrier."""
    emu = emulator_factory(users=12, days=3, latency=0.1)
    uuids = [item["uuid"] for day in emu.account.days for _, item in emu.account.meetings_on(day)]
    with client_for(emu, max_workers=4) as client:
        got = list(client.participants_by_group((uuid, [uuid]) for uuid in uuids[:12]))
    assert [key for key, _ in got] == uuids[:12]
    assert emu.stats()["peak_concurrency"] > 1  # one group at a time would mean exactly 1


def test_concurrent_helpers_read_their_input_lazily(emulator: ZoomEmulator) -> None:
    """Work in flight stays bounded: the input is pulled only as results are taken."""
    uuids = [uuid for _, items in _all_report_items(emulator) for uuid in items]
    pulled = []

    def endless() -> Iterator[str]:
        for uuid in itertools.cycle(uuids):
            pulled.append(uuid)
            yield uuid

    with client_for(emulator, max_workers=3) as client:
        results = client.participants_for_meetings(endless())
        first = [next(results) for _ in range(5)]
        assert len(pulled) <= 5 + 2 * 3
        results.close()
    assert all(r.participants == emulator.account.participants(r.meeting_uuid) for r in first)


def test_missing_scope_names_the_scope_to_add(emulator_factory: EmulatorFactory) -> None:
    emu = emulator_factory(users=4, days=2, scopes=["user:read:list_users:admin"])
    first, last = account_days(2)
    with client_for(emu) as client:
        assert list(client.iter_users())
        with pytest.raises(ZoomScopeError, match="report:read:user:admin") as caught:
            list(client.iter_meeting_reports("any-user", from_date=first, to_date=last))
        checks = {c.endpoint: c.granted for c in client.check_scopes()}
    assert caught.value.scope == "report:read:user:admin"
    assert isinstance(caught.value, PermissionError)
    assert checks == {"users": True, "report_meetings": False, "past_participants": False}


def test_free_plan_refusal_says_a_paid_plan_is_needed(emulator_factory: EmulatorFactory) -> None:
    emu = emulator_factory(users=4, days=2, plan="free")
    first, last = account_days(2)
    user_id = emu.account.user_ids_with_reports()[0]
    with (
        client_for(emu, rate_limits=PLANS["free"]) as client,
        pytest.raises(ZoomScopeError, match=r"paid plan \(Pro or higher\)") as caught,
    ):
        list(client.iter_meeting_reports(user_id, from_date=first, to_date=last))
    assert "code 200" in str(caught.value)
    assert caught.value.scope == "report:read:user:admin"


@pytest.mark.parametrize(
    "url", ["http://api.zoom.us/v2", "http://10.0.0.8/v2", "ftp://127.0.0.1/v2", "api.zoom.us"]
)
def test_insecure_or_bad_urls_are_refused(url: str) -> None:
    creds = Credentials("acct", "cid", "secret")
    with pytest.raises(ZoomConfigError, match="https://"):
        ZoomClient(creds, api_base_url=url)
    with pytest.raises(ZoomConfigError, match="https://"):
        ZoomClient(creds, token_url=url.replace("/v2", "/oauth/token"))


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8080/v2", "http://127.9.9.9/v2", "http://localhost/v2",
            "http://[::1]:9/v2", "https://api-eu.zoom.us/v2"],
)  # fmt: skip
def test_loopback_http_and_any_https_are_accepted(url: str) -> None:
    ZoomClient(Credentials("acct", "cid", "secret"), api_base_url=url).close()


def test_base_url_precedence(emulator_factory: EmulatorFactory) -> None:
    """Explicit base URL first, then the token's api_url + /v2, then Zoom's default."""
    token_host = emulator_factory(users=3, days=1)
    other = emulator_factory(users=3, days=1)
    with client_for(token_host, api_base_url=None) as client:
        assert len(list(client.iter_users())) == len(token_host.account.users("active"))
    with (
        client_for(token_host, api_base_url=other.base_url) as client,
        pytest.raises(ZoomAuthError),
    ):
        list(client.iter_users())  # `other` never issued this token: 401 there proves the route
    assert other.stats()["requests"]["users"] == {"401": 2}
    assert token_host.stats()["requests"]["users"] == {"200": 1}
    with client_for(token_host) as client:
        bare = AccessToken("t", refresh_at=0.0, scopes=frozenset(), api_url=None)
        assert client._transport.base_url(bare) == token_host.base_url
    with client_for(token_host, api_base_url=None) as client:
        assert client._transport.base_url(bare) == DEFAULT_API_BASE_URL


def test_reprs_never_show_the_secret() -> None:
    creds = Credentials("acct", "cid", "s3cret-value")
    client = ZoomClient(creds, api_base_url="https://api.zoom.us/v2")
    assert "s3cret-value" not in repr(creds)
    assert "s3cret-value" not in repr(client)
    assert "s3cret-value" not in repr(client._auth)
    with pytest.raises(ZoomConfigError, match="client_secret"):
        Credentials("acct", "cid", " ")


@pytest.mark.parametrize(
    "options", [{"max_workers": 0}, {"max_retries": -1}, {"timeout": (5.0, 0.0)}]
)
def test_unusable_options_are_refused(options: dict[str, object]) -> None:
    with pytest.raises(ZoomConfigError, match="timeouts"):
        ZoomClient(Credentials("acct", "cid", "secret"), **options)  # type: ignore[arg-type]


def _all_report_items(emu: ZoomEmulator) -> list[tuple[str, list[str]]]:
    account = emu.account
    return [
        (user_id, [m["uuid"] for m in account.report_meetings(user_id)])
        for user_id in account.user_ids_with_reports()
    ]
