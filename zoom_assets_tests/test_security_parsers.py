"""Whatever shapes and values arrive, the parsers answer with correct rows or a typed error.

Property tests: arbitrary JSON records go through the row shaping of all three tables and into
DuckDB; arbitrary HTTP answers (status, JSON or garbage body, Retry-After and rate-limit headers)
and arbitrary token-endpoint bodies go through the real client over real HTTP. A crash from deep
inside (KeyError, TypeError, OverflowError, an Arrow or DuckDB error) is a failure.
"""

import json
import threading
from collections import deque
from collections.abc import Iterator
from datetime import UTC, date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zoom_assets.rows import participant_rows, report_rows, user_rows
from zoom_assets.storage import create_tables, replace_days, replace_table
from zoom_assets.tables import MEETING_REPORTS, PAST_PARTICIPANTS, ZOOM_USERS
from zoom_assets.zoom import Credentials, ZoomClient, ZoomError, retry

DAY = date(2026, 3, 2)
SECRET = "S3cr3t-parsers-x9"
SYNCED_AT = datetime(2026, 3, 3, tzinfo=UTC)
PROPERTY = settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.sampled_from([2**63, -(2**63) - 1, 1e300, -0.0])  # just past what a BIGINT holds
    | st.floats()
    | st.text(max_size=30)
)
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
# Field names the tables read, so that odd values land in typed columns, plus any others.
FIELDS = sorted(
    {c.name for t in (ZOOM_USERS, MEETING_REPORTS, PAST_PARTICIPANTS) for c in t.columns if c.api}
)
odd_timestamps = st.sampled_from(
    [
        "2026-03-02T10:00:00Z",
        "0001-01-01T00:00:00+14:00",
        "9999-12-31T23:59:59-14:00",
        "2026-13-40",
        "",
    ]
)
records = st.fixed_dictionaries(
    {},
    optional={
        **dict.fromkeys(FIELDS, json_values),
        "start_time": odd_timestamps | json_values,
        "join_time": odd_timestamps | json_values,
        "uuid": st.text(max_size=12) | json_values,
    },
).flatmap(
    lambda known: st.dictionaries(st.text(max_size=8), json_values, max_size=3).map(
        lambda extra: {**extra, **known}
    )
)


def as_received(record: dict) -> dict:
    """What `requests` hands over for this record: Python's own JSON round trip."""
    return json.loads(json.dumps(record))


@pytest.fixture(scope="module")
def warehouse() -> Iterator[duckdb.DuckDBPyConnection]:
    """One in-memory warehouse for every example: each write replaces the one before."""
    with duckdb.connect() as conn:
        create_tables(conn)
        yield conn


@given(st.lists(records, max_size=6))
@PROPERTY
def test_any_records_become_rows_that_duckdb_accepts(
    warehouse: duckdb.DuckDBPyConnection, raw_records: list[dict]
) -> None:
    received = [as_received(r) for r in raw_records]
    users = user_rows(received, SYNCED_AT)
    reports = report_rows([("host-a", received), ("host-b", received)], [DAY], SYNCED_AT)
    participants = participant_rows([("meeting-1", received)], DAY, SYNCED_AT)
    for table, rows in (
        (ZOOM_USERS, users),
        (MEETING_REPORTS, reports),
        (PAST_PARTICIPANTS, participants),
    ):
        assert rows.schema == table.arrow_schema()
        for raw in rows.column("raw").to_pylist():
            assert json.loads(raw) in received  # each row keeps its whole record
    assert replace_table(warehouse, ZOOM_USERS, users) == users.num_rows
    assert replace_days(warehouse, MEETING_REPORTS, reports, DAY, DAY) == reports.num_rows
    assert (
        replace_days(warehouse, PAST_PARTICIPANTS, participants, DAY, DAY) == participants.num_rows
    )


class Answers:
    """The canned HTTP answers of a tiny loopback server: API answers are served in order, then
    an empty last page; the token endpoint answers `token` (a good token by default)."""

    def __init__(self) -> None:
        self.api: deque[tuple[int, bytes, dict[str, str]]] = deque()
        self.token: tuple[int, bytes] = (200, b"")
        self.lock = threading.Lock()


def _handler(answers: Answers) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            pass

        def _reply(self, status: int, body: bytes, headers: dict[str, str]) -> None:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self._reply(*answers.token, {"Content-Type": "application/json"})

        def do_GET(self) -> None:
            with answers.lock:
                answer = answers.api.popleft() if answers.api else None
            last_page = {"users": [], "next_page_token": ""}
            self._reply(*(answer or (200, json.dumps(last_page).encode(), {})))

    return Handler


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[str, Answers]]:
    answers = Answers()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(answers))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", answers
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(autouse=True)
def no_waiting(monkeypatch: pytest.MonkeyPatch) -> None:
    """Retry waits (Retry-After may say a year) are recorded as asked, not slept."""
    monkeypatch.setattr(retry, "pause", lambda seconds: None)


def good_token(base: str) -> bytes:
    return json.dumps({"access_token": "t0k3n", "expires_in": 3600, "api_url": base}).encode()


header_values = st.text(
    st.characters(min_codepoint=32, max_codepoint=126), max_size=30
) | st.sampled_from(
    [
        "1",
        "0",
        "-5",
        "1e999",
        "nan",
        "2026-03-02T00:00:00Z",
        "9999-12-31T23:59:59Z",
        "Wed, 21 Oct 2015 07:28:00 GMT",
    ]
)
bodies = (
    st.binary(max_size=40)
    | json_values.map(lambda v: json.dumps(v).encode())
    | st.fixed_dictionaries(
        {
            "users": json_values,
            "next_page_token": json_values,
            "code": json_values,
            "message": json_values,
        }
    ).map(lambda v: json.dumps(v).encode())
)
answers_strategy = st.tuples(
    st.sampled_from([200, 200, 400, 401, 404, 429, 500, 503]),
    bodies,
    st.fixed_dictionaries(
        {},
        optional={
            "Retry-After": header_values,
            "X-RateLimit-Type": header_values,
            "X-RateLimit-Category": header_values,
        },
    ),
)


def listing(base: str, **kwargs: Any) -> list[dict]:
    credentials = Credentials(account_id="acct", client_id="cid", client_secret=SECRET)
    with ZoomClient(
        credentials, token_url=f"{base}/oauth/token", max_retries=1, timeout=(2, 2), **kwargs
    ) as client:
        return list(client.iter_users())


@given(st.lists(answers_strategy, min_size=1, max_size=4))
@PROPERTY
def test_any_api_answer_gives_records_or_a_typed_error(
    server: tuple[str, Answers], answers: list
) -> None:
    base, canned = server
    canned.token = (200, good_token(base))
    canned.api = deque(answers)
    try:
        users = listing(base, api_base_url=f"{base}/v2")
    except ZoomError:
        return
    assert all(isinstance(user, dict) for user in users)


token_bodies = bodies | st.fixed_dictionaries(
    {
        "access_token": json_values,
        "expires_in": json_values,
        "scope": json_values,
        "api_url": json_values,
    }
).map(lambda v: json.dumps(v).encode())


@given(st.sampled_from([200, 200, 400, 401, 429, 500]), token_bodies)
@PROPERTY
def test_any_token_endpoint_answer_gives_a_token_or_a_typed_error(
    server: tuple[str, Answers], status: int, body: bytes
) -> None:
    base, canned = server
    canned.token = (status, body)
    canned.api = deque()
    try:
        users = listing(base)
    except ZoomError as error:
        assert SECRET not in str(error)  # the secret never shows
        return
    assert users == []


def test_nan_and_infinity_are_malformed_json_not_records(server: tuple[str, Answers]) -> None:
    base, canned = server
    canned.token = (200, good_token(base))
    page = b'{"users": [{"id": "u1", "score": NaN}], "next_page_token": ""}'
    fixed = json.dumps({"users": [{"id": "u1"}], "next_page_token": ""}).encode()
    canned.api = deque([(200, page, {}), (200, page.replace(b"NaN", b"-Infinity"), {})])
    with pytest.raises(ZoomError, match="malformed JSON"):
        listing(base, api_base_url=f"{base}/v2")
    canned.api = deque([(200, page, {}), (200, fixed, {})])
    assert listing(base, api_base_url=f"{base}/v2") == [{"id": "u1"}]


def test_a_per_second_429_asking_for_an_hour_ends_the_run_with_the_time(
    server: tuple[str, Answers],
) -> None:
    base, canned = server
    canned.token = (200, good_token(base))
    limited = json.dumps({"code": 429, "message": "per-second rate limit"}).encode()
    canned.api = deque([(429, limited, {"Retry-After": "3600", "X-RateLimit-Type": "QPS"})])
    with pytest.raises(ZoomError, match=r"no Medium call before \d{4}-.*Run again after that"):
        listing(base, api_base_url=f"{base}/v2")
    canned.api = deque([(429, limited, {"Retry-After": "90", "X-RateLimit-Type": "QPS"})])
    assert listing(base, api_base_url=f"{base}/v2") == []  # waited (not slept here), then done
