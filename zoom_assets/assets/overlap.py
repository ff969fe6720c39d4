"""Fetch the next part of a range while the previous one is written.

The daily assets fetch a range in parts (days, batches of a report window) and write each part in
its own transaction. Done one after the other, every write leaves Zoom's rate limit idle; here each
part is written on a writer thread while the next part is fetched. Writes stay one at a time and in
order, and a failing fetch still waits for the write in progress, so the failure can list every part
written.
"""

from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

P = TypeVar("P")
F = TypeVar("F")
W = TypeVar("W")


def write_behind(fetched: Iterable[tuple[P, F]], write: Callable[[P, F], W]) -> Iterator[W]:
    """`write(part, data)` for every (part, data) that `fetched` yields, in order, each on the
    writer thread while `fetched` produces the next; yields each write's result in the caller's
    thread (for logging). `fetched` advances only as the writes keep up, so at most one part
    waits while another is written."""
    with ThreadPoolExecutor(1, thread_name_prefix="writer") as writer:
        pending: Future[W] | None = None
        for part, data in fetched:
            if pending is not None:
                yield pending.result()
            pending = writer.submit(write, part, data)
        if pending is not None:
            yield pending.result()


def fetch_then_write(
    parts: Iterable[P], fetch: Callable[[P], F], write: Callable[[P, F], W]
) -> Iterator[W]:
    """`write(part, fetch(part))` for every part, in order, each write while the next part is
    fetched (see `write_behind`)."""
    return write_behind(((part, fetch(part)) for part in parts), write)
