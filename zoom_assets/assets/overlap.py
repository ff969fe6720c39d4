"""Fetch the next part of a range while the previous one is written.

The daily assets fetch a range in parts (days, report windows) and write each part in its own
transaction. Done one after the other, every write leaves Zoom's rate limit idle; here each part
is written on a writer thread while the next part is fetched. Writes stay one at a time and in
order, and a failing fetch still waits for the write in progress, so the failure can list every
part written.
"""

from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

P = TypeVar("P")
F = TypeVar("F")
W = TypeVar("W")


def fetch_then_write(
    parts: Iterable[P], fetch: Callable[[P], F], write: Callable[[P, F], W]
) -> Iterator[W]:
    """`write(part, fetch(part))` for every part, in order; yields each write's result in the
    caller's thread (for logging) as the next part is being fetched."""
    with ThreadPoolExecutor(1, thread_name_prefix="writer") as writer:
        pending: Future[W] | None = None
        for part in parts:
            fetched = fetch(part)
            if pending is not None:
                yield pending.result()
            pending = writer.submit(write, part, fetched)
        if pending is not None:
            yield pending.result()
