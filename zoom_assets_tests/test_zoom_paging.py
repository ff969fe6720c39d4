"""Paging: one generator follows next_page_token with page_size=300 for every list endpoint, and
a page token that expires mid-listing restarts the listing without yielding a record twice.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import pytest

from zoom_assets.emulator import ZoomEmulator
from zoom_assets.zoom import ZoomResponseError
from zoom_assets.zoom.paging import MAX_RESTARTS
from zoom_assets_tests.client_helpers import client_for, user_key

EmulatorFactory = Callable[..., ZoomEmulator]


def test_default_page_size_is_zooms_maximum(emulator_factory: EmulatorFactory) -> None:
    emu = emulator_factory(users=700, days=1)
    active = emu.account.users("active")
    assert 300 < len(active) <= 600
    with client_for(emu) as client:
        users = list(client.iter_users("active"))
    assert Counter(map(user_key, users)) == Counter(map(user_key, active))
    assert emu.stats()["requests"]["users"] == {"200": 2}


def test_page_token_expiring_mid_listing_restarts_without_duplicates(
    emulator: ZoomEmulator,
) -> None:
    truth = emulator.account.users("active")
    with client_for(emulator) as client:
        listing = client.iter_users("active", page_size=2)
        users = [next(listing) for _ in range(4)]
        emulator.faults.expire_next_page_token_once = True
        users += list(listing)
        pages = client.stats.snapshot()["pages"]
    assert Counter(map(user_key, users)) == Counter(map(user_key, truth))
    assert emulator.stats()["requests"]["users"]["400"] == 1
    normal_pages = -(-len(truth) // 2)
    assert pages > normal_pages


def test_page_tokens_that_always_expire_end_in_a_clear_error(emulator: ZoomEmulator) -> None:
    emulator.faults.expire_page_tokens = True
    with client_for(emulator) as client, pytest.raises(ZoomResponseError, match="run again later"):
        list(client.iter_users("active", page_size=2))
    assert emulator.stats()["requests"]["users"]["400"] == MAX_RESTARTS + 1
