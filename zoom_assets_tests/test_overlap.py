"""fetch_then_write: each part is written while the next one is fetched, in order, and a failed
fetch still lets the write in progress finish before the error comes out."""

import threading

import pytest

from zoom_assets.assets.overlap import fetch_then_write

WAIT = 10  # seconds; only a broken overlap ever waits this long


def test_parts_are_written_in_order_while_the_next_is_fetched() -> None:
    fetched: list[int] = []
    next_fetch_started = {n: threading.Event() for n in range(4)}

    def fetch(part: int) -> int:
        fetched.append(part)
        next_fetch_started[part].set()
        return part * 10

    def write(part: int, data: int) -> tuple[int, int, bool]:
        # A write waits for the next part's fetch: it can only end if the two overlap.
        overlapped = part == 3 or next_fetch_started[part + 1].wait(WAIT)
        return part, data, overlapped

    assert list(fetch_then_write(range(4), fetch, write)) == [
        (0, 0, True),
        (1, 10, True),
        (2, 20, True),
        (3, 30, True),
    ]
    assert fetched == [0, 1, 2, 3]


def test_a_failed_fetch_comes_out_after_the_write_in_progress_is_done() -> None:
    written: list[int] = []
    may_fail = threading.Event()

    def fetch(part: int) -> int:
        if part == 2:
            may_fail.wait(WAIT)
            raise RuntimeError("quota spent")
        return part

    def write(part: int, data: int) -> int:
        if part == 1:
            may_fail.set()  # part 2's fetch fails while part 1 is still being written
        written.append(part)
        return part

    results = []
    with pytest.raises(RuntimeError, match="quota spent"):
        for result in fetch_then_write(range(5), fetch, write):
            results.append(result)
    assert written == [0, 1]
    assert results == [0]  # part 1 was written, though the failure came before it was handed out
