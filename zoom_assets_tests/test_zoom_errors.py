"""Faults on the wire: 5xx answers, connection resets, truncated or invalid JSON and slow
responses are retried with bounded backoff, and every record still arrives exactly once; answers
that cannot succeed become typed errors that say what to do and carry no token.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import timedelta

import pytest

from zoom_assets.emulator import ZoomEmulator
from zoom_assets.zoom import (
    ZoomClient,
    ZoomError,
    ZoomNotFoundError,
    ZoomReportWindowError,
    ZoomResponseError,
)
from zoom_assets.zoom.retry import MAX_DELAY
from zoom_assets_tests.client_helpers import account_days, client_for, record_pauses, user_key

EmulatorFactory = Callable[..., ZoomEmulator]


def sync_everything(client: ZoomClient, emu: ZoomEmulator, days: int) -> None:
    """List users, reports and participants, and compare each with the account's truth."""
    users = list(client.iter_all_users(page_size=3))
    assert Counter(map(user_key, users)) == Counter(map(user_key, emu.account.users()))
    first, last = account_days(days)
    user_ids = emu.account.user_ids_with_reports()
    reports = {r.user_id: r.meetings for r in client.reports_for_users(user_ids, first, last)}
    assert reports == {u: emu.account.report_meetings(u) for u in user_ids}
    uuids = [m["uuid"] for meetings in reports.values() for m in meetings]
    rows = {r.meeting_uuid: r.participants for r in client.participants_for_meetings(uuids)}
    assert rows == {uuid: emu.account.participants(uuid) for uuid in uuids}


def test_5xx_resets_and_malformed_bodies_lose_and_repeat_nothing(
    emulator: ZoomEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    pauses = record_pauses(monkeypatch)
    emulator.faults.error_5xx_rate = 0.15
    emulator.faults.connection_reset_rate = 0.1
    emulator.faults.malformed_json_rate = 0.15
    with client_for(emulator) as client:
        sync_everything(client, emulator, days=5)
        snapshot = client.stats.snapshot()
    retries = snapshot["retries"]
    served = emulator.stats()["requests"]
    served.pop("token")
    assert snapshot["requests_by_endpoint"] == {e: sum(s.values()) for e, s in served.items()}
    statuses: Counter[str] = Counter()
    for by_status in served.values():
        statuses.update(by_status)
    faults = sum(n for status, n in statuses.items() if status == "0" or status.startswith("5"))
    assert faults > 0
    assert retries == len(pauses) >= faults
    assert all(0 <= pause <= MAX_DELAY for pause in pauses)


def test_responses_slower_than_the_read_timeout_are_retried(
    emulator: ZoomEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    record_pauses(monkeypatch)
    emulator.faults.slow_rate = 0.4
    emulator.faults.slow_seconds = 0.3
    emulator.faults.endpoints = ["users"]
    with client_for(emulator, timeout=(1.0, 0.1)) as client:
        users = list(client.iter_all_users(page_size=2))
        assert client.stats.snapshot()["retries"] > 0
    assert Counter(map(user_key, users)) == Counter(map(user_key, emulator.account.users()))


def test_persistent_5xx_gives_up_after_max_retries(
    emulator: ZoomEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    pauses = record_pauses(monkeypatch)
    emulator.faults.error_5xx_rate = 1.0
    with client_for(emulator, max_retries=3) as client, pytest.raises(ZoomResponseError) as caught:
        list(client.iter_users())
    assert "run again later" in str(caught.value)
    assert len(pauses) == 3
    assert sum(emulator.stats()["requests"]["users"].values()) == 4


def test_unknown_user_is_a_lookup_error_naming_the_user(emulator: ZoomEmulator) -> None:
    first, last = account_days(5)
    with client_for(emulator) as client:
        token = client._auth.token().value
        with pytest.raises(ZoomNotFoundError) as caught:
            list(client.iter_meeting_reports("no-such-user", from_date=first, to_date=last))
    assert isinstance(caught.value, LookupError)
    assert (caught.value.code, caught.value.entity_id) == (1001, "no-such-user")
    assert "skip" in str(caught.value)
    assert token not in str(caught.value)


def test_window_refused_by_zoom_is_a_report_window_error(emulator: ZoomEmulator) -> None:
    """A client whose calendar is behind Zoom's plans a window Zoom finds too old."""
    first, _ = account_days(5)
    stale_today = first - timedelta(days=200)
    with client_for(emulator, today=lambda: stale_today) as client:
        user_id = emulator.account.user_ids_with_reports()[0]
        asked = stale_today - timedelta(days=10)
        with pytest.raises(ZoomReportWindowError, match="six months") as caught:
            list(client.iter_meeting_reports(user_id, from_date=asked, to_date=asked))
    assert isinstance(caught.value, (ValueError, ZoomError))
    assert emulator.stats()["requests"]["report_meetings"] == {"400": 1}
