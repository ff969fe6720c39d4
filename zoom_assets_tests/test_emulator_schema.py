"""Emulator responses validate against Zoom's own OpenAPI response schemas (spec/ in shared docs).

The schemas are made strict before use (no property outside the spec, Zoom's timestamp form for
`date-time`), so a misspelt or invented field fails here. Error bodies are checked against the
Users spec's error schema and the messages the Meetings spec documents for each status.
"""

from __future__ import annotations

import copy
import json
import re
from functools import cache
from pathlib import Path
from urllib.parse import quote

import pytest
from jsonschema import Draft7Validator, FormatChecker

from zoom_assets.emulator.encoding import needs_double_encoding

SPEC_DIR = Path("/work/shared/zoom-api/spec")
pytestmark = pytest.mark.skipif(not SPEC_DIR.is_dir(), reason="Zoom OpenAPI files not present")

FORMATS = FormatChecker()


@FORMATS.checks("date-time")
def _zoom_timestamp(value: object) -> bool:
    return not isinstance(value, str) or bool(
        re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", value)
    )


@cache
def _spec(name: str) -> dict:
    return json.loads((SPEC_DIR / name).read_text())


def _strict(schema: object) -> object:
    """A copy in which every object schema with properties forbids undeclared ones."""
    if isinstance(schema, dict):
        schema = {k: _strict(v) for k, v in schema.items()}
        if "properties" in schema:
            schema.setdefault("additionalProperties", False)
        if "allOf" in schema:  # merge, or each branch would reject the other's properties
            merged = {"type": "object", "properties": {}, "additionalProperties": False}
            for part in schema.pop("allOf"):
                merged["properties"].update(part.get("properties", {}))
            schema.update(merged)
        return schema
    if isinstance(schema, list):
        return [_strict(v) for v in schema]
    return schema


def _validator(spec: str, path: str, status: str = "200") -> Draft7Validator:
    response = _spec(spec)["paths"][path]["get"]["responses"][status]
    schema = copy.deepcopy(response["content"]["application/json"]["schema"])
    return Draft7Validator(_strict(schema), format_checker=FORMATS)


def _assert_valid(validator: Draft7Validator, body: dict) -> None:
    errors = [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(body)]
    assert not errors, errors


def _documented_messages(path: str, status: str) -> list[str]:
    text = _spec("Meetings.json")["paths"][path]["get"]["responses"][status]["description"]
    return [m.strip() for m in re.findall(r"\*\*Error Code:\*\* `\d+` <br>\n(.*?)<br>", text)]


def _fill(message: str, values: dict[str, str]) -> str:
    for name, value in values.items():
        message = message.replace(f"{{{name}}}", value)
    return message


@pytest.fixture
def emu(emulator_factory):
    return emulator_factory(seed=11, users=30, days=4, rate_limit_scale=100)


def test_users_pages_match_the_users_spec(emu, api_session):
    session = api_session(emu)
    validator = _validator("ZoomUserAPISpec.json", "/users")
    for status in ("active", "inactive", "pending"):
        body = session.get(
            f"{emu.base_url}/users", params={"status": status, "page_size": 7}, timeout=10
        ).json()
        _assert_valid(validator, body)


def test_report_pages_match_the_meetings_spec(emu, api_session):
    session = api_session(emu)
    validator = _validator("Meetings.json", "/report/users/{userId}/meetings")
    first, last = emu.account.days[0].isoformat(), emu.account.days[-1].isoformat()
    checked = 0
    for user_id in emu.account.user_ids_with_reports():
        body = session.get(
            f"{emu.base_url}/report/users/{user_id}/meetings",
            params={"from": first, "to": last},
            timeout=10,
        ).json()
        _assert_valid(validator, body)
        checked += len(body["meetings"])
    assert checked > 0


def test_participant_pages_match_the_meetings_spec(emu, api_session):
    session = api_session(emu)
    validator = _validator("Meetings.json", "/past_meetings/{meetingId}/participants")
    for _, meeting in emu.account.meetings_on(emu.account.days[-1]):
        uuid = quote(meeting["uuid"], safe="")
        if needs_double_encoding(meeting["uuid"]):
            uuid = quote(uuid, safe="")
        body = session.get(f"{emu.base_url}/past_meetings/{uuid}/participants", timeout=10).json()
        _assert_valid(validator, body)
        assert body["participants"]


def test_error_bodies_match_the_documented_shapes_and_messages(emu, emulator_factory, api_session):
    session = api_session(emu)
    error_schema = _spec("ZoomUserAPISpec.json")["components"]["schemas"]["ErrorResponse"]
    errors = Draft7Validator(_strict(error_schema))
    day = emu.account.days[0].isoformat()
    report = "/report/users/{userId}/meetings"
    participants = "/past_meetings/{meetingId}/participants"
    cases = [
        (session.get(f"{emu.base_url}/report/users/ghost/meetings",
                     params={"from": day, "to": day}, timeout=10),
         404, _documented_messages(report, "404"), {"userId": "ghost"}),
        (session.get(f"{emu.base_url}/report/users/ghost/meetings",
                     params={"from": day, "to": day, "next_page_token": "x"}, timeout=10),
         404, _documented_messages(report, "404"), {"userId": "ghost"}),
        (session.get(f"{emu.base_url}/users", params={"next_page_token": "expired"}, timeout=10),
         400, _documented_messages(report, "400"), {}),
        (session.get(f"{emu.base_url}/past_meetings/123/participants", timeout=10),
         404, _documented_messages(participants, "404"), {"meetingId": "123"}),
    ]  # fmt: skip
    free = emulator_factory(users=3, days=1, plan="free", account_id="acct-1")
    free_session = api_session(free)
    cases += [
        (free_session.get(f"{free.base_url}/report/users/x/meetings",
                          params={"from": day, "to": day}, timeout=10),
         400, _documented_messages(report, "400"), {"accountId": "acct-1"}),
        (free_session.get(f"{free.base_url}/past_meetings/1/participants", timeout=10),
         400, _documented_messages(participants, "400"), {"accountId": "acct-1"}),
    ]  # fmt: skip
    for response, status, documented, values in cases:
        assert response.status_code == status
        body = response.json()
        _assert_valid(errors, body)
        assert body["message"] in {_fill(m, values) for m in documented}, body
