"""Zoom's double-encoding rule for meeting UUIDs in paths (REFERENCE §5), for any UUID."""

from __future__ import annotations

import base64
from urllib.parse import quote

from hypothesis import given
from hypothesis import strategies as st

from zoom_assets.emulator.encoding import meeting_key, needs_double_encoding

uuids = st.binary(min_size=16, max_size=16).map(lambda raw: base64.b64encode(raw).decode())


@given(uuids)
def test_double_encoded_uuids_always_resolve(uuid):
    assert meeting_key(quote(quote(uuid, safe=""), safe="")) == (uuid, True)


@given(uuids)
def test_single_encoding_resolves_only_when_zoom_allows_it(uuid):
    key, resolvable = meeting_key(quote(uuid, safe=""))
    assert key == uuid
    assert resolvable is not needs_double_encoding(uuid)


def test_the_worked_example_of_the_reference():
    uuid = "/ajXp112QmuoKj4854875=="
    assert quote(quote(uuid, safe=""), safe="") == "%252FajXp112QmuoKj4854875%253D%253D"
    assert meeting_key("%252FajXp112QmuoKj4854875%253D%253D") == (uuid, True)
    assert meeting_key("%2FajXp112QmuoKj4854875%3D%3D")[1] is False
    assert meeting_key("ab/cd==")[1] is False
    assert meeting_key("97763643886") == ("97763643886", True)
