"""Server-to-Server OAuth in the client: one cached token shared by all threads, refreshed before
it expires, exactly one refresh and one replay after a 401/124, and credential errors that say
what to check without ever showing the secret.
"""

from __future__ import annotations

import logging
import socket
from collections import Counter
from collections.abc import Callable

import pytest

from zoom_assets.emulator import ZoomEmulator
from zoom_assets.zoom import Credentials, ZoomAuthError, ZoomClient
from zoom_assets_tests.client_helpers import client_for, record_pauses, user_key

EmulatorFactory = Callable[..., ZoomEmulator]


def all_participants(emu: ZoomEmulator, limit: int) -> dict[str, list[dict]]:
    """Truth: participant rows of the first `limit` report meetings of the account."""
    uuids = [
        meeting["uuid"]
        for user_id in emu.account.user_ids_with_reports()
        for meeting in emu.account.report_meetings(user_id)
    ][:limit]
    return {uuid: emu.account.participants(uuid) for uuid in uuids}


def test_one_token_serves_many_requests(emulator: ZoomEmulator) -> None:
    with client_for(emulator) as client:
        for _ in range(3):
            list(client.iter_all_users(page_size=4))
        assert client.stats.snapshot()["token_requests"] == 1
    assert emulator.stats()["requests"]["token"] == {"200": 1}


def test_token_expiring_mid_listing_is_replaced_and_no_record_is_lost(
    emulator_factory: EmulatorFactory,
) -> None:
    emu = emulator_factory(users=12, days=2, token_ttl=1, latency=0.15)
    with client_for(emu) as client:
        users = list(client.iter_users("active", page_size=1))
    assert Counter(map(user_key, users)) == Counter(map(user_key, emu.account.users("active")))
    assert len(users) * 0.15 > 1, "the listing must outlive one token"
    assert emu.stats()["requests"]["token"]["200"] >= 2


def test_revoked_token_causes_exactly_one_refresh_and_one_replay(emulator: ZoomEmulator) -> None:
    with client_for(emulator) as client:
        list(client.iter_users())
        emulator.revoke_all_tokens()
        users = list(client.iter_users())
    assert Counter(map(user_key, users)) == Counter(map(user_key, emulator.account.users("active")))
    requests = emulator.stats()["requests"]
    assert requests["users"] == {"200": 2, "401": 1}
    assert requests["token"] == {"200": 2}


def test_refused_refresh_after_124_fails_without_retrying_forever(emulator: ZoomEmulator) -> None:
    with client_for(emulator) as client:
        list(client.iter_users())
        emulator.faults.revoke_credentials = True
        with pytest.raises(ZoomAuthError, match="check client_id and client_secret"):
            list(client.iter_users())
    requests = emulator.stats()["requests"]
    assert requests["users"] == {"200": 1, "401": 1}
    assert requests["token"] == {"200": 1, "400": 1}


def test_workers_hit_by_124_share_one_new_token_under_legacy_revocation(
    emulator_factory: EmulatorFactory,
) -> None:
    """With "a new token revokes the old ones", a refresh per worker would cascade into failures."""
    emu = emulator_factory(users=12, days=5, revoke_previous_tokens=True, latency=0.05)
    truth = all_participants(emu, 16)
    assert len(truth) == 16
    with client_for(emu, max_workers=8) as client:
        list(client.iter_users())
        emu.revoke_all_tokens()
        got = {r.meeting_uuid: r.participants for r in client.participants_for_meetings(truth)}
    assert got == truth
    requests = emu.stats()["requests"]
    assert requests["token"] == {"200": 2}
    assert 1 <= requests["past_participants"]["401"] <= 8


def test_short_lived_tokens_under_legacy_revocation_with_workers(
    emulator_factory: EmulatorFactory,
) -> None:
    emu = emulator_factory(users=12, days=10, revoke_previous_tokens=True, token_ttl=1, latency=0.1)
    truth = all_participants(emu, 59)
    assert len(truth) * 0.1 / 4 > 1, "the run must outlive one token"
    with client_for(emu, max_workers=4) as client:
        got = {r.meeting_uuid: r.participants for r in client.participants_for_meetings(truth)}
    assert got == truth
    assert emu.stats()["requests"]["token"]["200"] >= 2


@pytest.mark.parametrize(
    ("account_id", "secret", "advice"),
    [
        ("emu-account", "wrong-secret-5309", "check client_id and client_secret"),
        ("no-such-account", "emu-secret", "check account_id"),
    ],
)
def test_bad_credentials_say_what_to_check_and_never_show_the_secret(
    emulator: ZoomEmulator,
    caplog: pytest.LogCaptureFixture,
    account_id: str,
    secret: str,
    advice: str,
) -> None:
    caplog.set_level(logging.DEBUG)
    client = ZoomClient(
        Credentials(account_id, "emu-client", secret),
        token_url=emulator.token_url,
        api_base_url=emulator.base_url,
    )
    with client, pytest.raises(ZoomAuthError, match=advice) as caught:
        list(client.iter_users())
    for text in (str(caught.value), repr(caught.value), caplog.text, repr(client)):
        assert secret not in text
        assert "emu-secret" not in text
    assert caplog.records, "the failure should have left log records to inspect"
    assert emulator.stats()["requests"]["token"] == {"400": 1}


def test_unreachable_token_endpoint_fails_after_bounded_retries(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    pauses = record_pauses(monkeypatch)
    client = ZoomClient(
        Credentials("acct", "cid", "secret-never-sent"),
        token_url=f"http://127.0.0.1:{port}/oauth/token",
        api_base_url=f"http://127.0.0.1:{port}/v2",
        max_retries=2,
        timeout=(0.5, 0.5),
    )
    with client, pytest.raises(ZoomAuthError, match="check the token URL") as caught:
        list(client.iter_users())
    assert len(pauses) == 2
    assert "secret-never-sent" not in str(caught.value)
