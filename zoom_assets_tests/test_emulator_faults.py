"""Every fault switch of the emulator does what the contract says, and only where it is aimed."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

import pytest
import requests

from zoom_assets.emulator import Faults
from zoom_assets.emulator.encoding import needs_double_encoding


@pytest.fixture
def emu(emulator_factory):
    return emulator_factory(seed=3, users=12, days=5, rate_limit_scale=100)


def _report(session, emu, user_id: str | None = None, **params):
    user_id = user_id or emu.account.user_ids_with_reports()[0]
    day = {"from": emu.account.days[0].isoformat(), "to": emu.account.days[-1].isoformat()}
    return session.get(
        f"{emu.base_url}/report/users/{user_id}/meetings", params={**day, **params}, timeout=10
    )


def _participants_url(emu, uuid: str) -> str:
    encoded = quote(uuid, safe="")
    if needs_double_encoding(uuid):
        encoded = quote(encoded, safe="")
    return f"{emu.base_url}/past_meetings/{encoded}/participants"


def test_5xx_only_on_the_named_endpoint(emu, api_session):
    session = api_session(emu)
    emu.faults.error_5xx_rate = 1.0
    emu.faults.endpoints = ["report_meetings"]
    assert _report(session, emu).status_code in {500, 502, 503, 504}
    assert session.get(f"{emu.base_url}/users", timeout=10).status_code == 200


def test_connection_reset(emu, api_session):
    session = api_session(emu)
    emu.faults.connection_reset_rate = 1.0
    with pytest.raises(requests.ConnectionError):
        session.get(f"{emu.base_url}/users", timeout=10)
    assert emu.stats()["requests"]["users"] == {"0": 1}


def test_malformed_json_is_a_200_that_does_not_parse(emu, api_session):
    session = api_session(emu)
    emu.faults.malformed_json_rate = 1.0
    response = session.get(f"{emu.base_url}/users", timeout=10)
    assert response.status_code == 200
    with pytest.raises(json.JSONDecodeError):
        json.loads(response.content)


@pytest.mark.parametrize(("form", "check"), [
    ("seconds", lambda v: v == "1"),
    ("date", lambda v: datetime.strptime(v, "%Y-%m-%dT%H:%M:%SZ").year > 2000),
    ("none", lambda v: v is None),
])  # fmt: skip
def test_rate_limit_storm_and_retry_after_forms(emu, api_session, form, check):
    session = api_session(emu)
    emu.faults.rate_limit_storm_rate = 1.0
    emu.faults.retry_after_form = form
    response = session.get(f"{emu.base_url}/users", timeout=10)
    assert response.status_code == 429
    assert response.json()["message"].startswith("You have reached the maximum per-second")
    assert response.headers["X-RateLimit-Type"] != "Daily-limit"
    assert check(response.headers.get("Retry-After"))


def test_slow_responses_outlast_a_client_timeout(emu, api_session):
    session = api_session(emu)
    emu.faults.slow_rate = 1.0
    emu.faults.slow_seconds = 0.6
    with pytest.raises(requests.Timeout):
        session.get(f"{emu.base_url}/users", timeout=0.2)


def test_deleted_user_and_meeting_disappear(emu, api_session):
    session = api_session(emu)
    user_id = emu.account.user_ids_with_reports()[0]
    _, meeting = emu.account.meetings_on(emu.account.days[-1])[0]
    emu.faults.deleted_users = [user_id]
    emu.faults.deleted_meetings = [meeting["uuid"]]
    gone_user = _report(session, emu, user_id)
    gone_meeting = session.get(_participants_url(emu, meeting["uuid"]), timeout=10)
    assert (gone_user.status_code, gone_user.json()["code"]) == (404, 1001)
    assert (gone_meeting.status_code, gone_meeting.json()["code"]) == (404, 3001)
    assert session.get(f"{emu.base_url}/users", timeout=10).status_code == 200


def _second_page(session, emu):
    first = session.get(f"{emu.base_url}/users", params={"page_size": 2}, timeout=10).json()
    return lambda: session.get(
        f"{emu.base_url}/users",
        params={"page_size": 2, "next_page_token": first["next_page_token"]},
        timeout=10,
    )


def test_expire_page_tokens_fails_every_continuation(emu, api_session):
    session = api_session(emu)
    emu.faults.expire_page_tokens = True
    again = _second_page(session, emu)
    for _ in range(2):
        response = again()
        assert response.status_code == 400
        assert response.json() == {
            "code": 300,
            "message": "The next page token is invalid or expired.",
        }


def test_expire_next_page_token_once(emu, api_session):
    session = api_session(emu)
    emu.faults.expire_next_page_token_once = True
    again = _second_page(session, emu)
    assert again().status_code == 400
    assert again().status_code == 200
    assert emu.faults.expire_next_page_token_once is False


def test_page_tokens_expire_after_15_minutes_on_the_clock(emulator_factory, api_session):
    now = [datetime(2026, 6, 1, 12, tzinfo=UTC)]
    emu = emulator_factory(users=12, days=2, clock=lambda: now[0])
    again = _second_page(api_session(emu), emu)
    now[0] += timedelta(minutes=14, seconds=59)
    assert again().status_code == 200
    now[0] += timedelta(seconds=2)
    assert again().status_code == 400


def test_daily_quota_fault_answers_the_daily_limit(emu, api_session):
    session = api_session(emu)
    emu.faults.daily_quota_remaining = {"Heavy": 1}
    assert _report(session, emu).status_code == 200
    limited = _report(session, emu)
    assert limited.status_code == 429
    assert limited.headers["X-RateLimit-Type"] == "Daily-limit"
    tomorrow = emu.clock().date() + timedelta(days=1)
    assert limited.headers["Retry-After"] == f"{tomorrow.isoformat()}T00:00:00Z"
    assert "daily rate limit" in limited.json()["message"]
    assert session.get(f"{emu.base_url}/users", timeout=10).status_code == 200
    assert emu.stats()["served_daily_limit"] == 1


def test_schema_drift_adds_a_field_and_drops_one(emu, api_session):
    session = api_session(emu)
    emu.faults.schema_drift = True
    users = session.get(f"{emu.base_url}/users", timeout=10).json()["users"]
    meetings = _report(session, emu).json()["meetings"]
    rows = session.get(_participants_url(emu, meetings[0]["uuid"]), timeout=10).json()
    for records, dropped in ((users, "dept"), (meetings, "source"),
                             (rows["participants"], "internal_user")):  # fmt: skip
        assert records
        assert all("emulator_new_field" in r and dropped not in r for r in records)


def test_revoked_credentials(emu, api_session):
    session = api_session(emu)
    emu.faults.revoke_credentials = True
    token = requests.post(
        emu.token_url,
        auth=("emu-client", "emu-secret"),
        data={"grant_type": "account_credentials", "account_id": "emu-account"},
        timeout=10,
    )
    assert token.json()["error"] == "invalid_client"
    assert session.get(f"{emu.base_url}/users", timeout=10).json()["code"] == 124


def test_faults_are_deterministic_for_a_seed(emulator_factory, api_session):
    def pattern(seed: int) -> list[int]:
        emu = emulator_factory(seed=seed, users=3, days=1, rate_limit_scale=100)
        emu.faults.error_5xx_rate = 0.5
        session = api_session(emu)
        return [session.get(f"{emu.base_url}/users", timeout=10).status_code for _ in range(30)]

    first = pattern(5)
    assert first == pattern(5)
    assert 200 in first and any(code >= 500 for code in first)


def test_admin_endpoints_merge_faults_and_reset_stats(emu):
    root = emu.base_url.removesuffix("/v2")
    merged = requests.post(f"{root}/_emulator/faults", json={"deleted_users": ["x"]}, timeout=10)
    assert merged.json()["deleted_users"] == ["x"]
    assert emu.faults.deleted_users == ["x"]
    bad = requests.post(f"{root}/_emulator/faults", json={"no_such_fault": 1}, timeout=10)
    assert bad.status_code == 400
    requests.get(f"{emu.base_url}/users", timeout=10)
    assert requests.get(f"{root}/_emulator/stats", timeout=10).json()["requests"]["users"]
    requests.post(f"{root}/_emulator/reset", timeout=10)
    assert emu.stats()["requests"] == {}


def test_replacing_the_faults_object_takes_effect(emu, api_session):
    session = api_session(emu)
    emu.faults = Faults(error_5xx_rate=1.0)
    assert session.get(f"{emu.base_url}/users", timeout=10).status_code >= 500
