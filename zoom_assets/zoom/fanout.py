"""Run one function over many items on a bounded pool and stream the results as they finish."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, Future, wait
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")
_END = object()


def stream_map(
    pool: Executor, fn: Callable[[T], R], items: Iterable[T], *, in_flight: int
) -> Iterator[R]:
    """`fn(item)` for every item, in completion order, with at most `in_flight` submitted at once.

    Items are read lazily and results are handed out as they finish, so memory holds only the
    work in flight, never the whole input or output. The first failure propagates; work not yet
    started is cancelled then (and when the consumer stops early).
    """
    source = iter(items)
    pending: set[Future[R]] = set()
    exhausted = False
    try:
        while True:
            while not exhausted and len(pending) < in_flight:
                item = next(source, _END)
                if item is _END:
                    exhausted = True
                else:
                    pending.add(pool.submit(fn, item))
            if not pending:
                return
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                yield future.result()
    finally:
        for future in pending:
            future.cancel()
