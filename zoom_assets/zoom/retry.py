"""Backoff between retries: capped exponential with full jitter.

`pause` is the one place the client sleeps after a failure (pacing waits live in `ratelimit`), so
tests can replace it to stay fast without touching HTTP.
"""

from __future__ import annotations

import random
import time

BASE_DELAY = 0.5
MAX_DELAY = 30.0


def backoff_delay(attempt: int, *, base: float = BASE_DELAY, cap: float = MAX_DELAY) -> float:
    """Seconds to wait before retry number `attempt` (1-based): uniform in [0, min(cap, base*2^n)).

    Full jitter spreads the retries of many workers that failed together, so they do not return
    in one burst.
    """
    return random.uniform(0.0, min(cap, base * 2 ** (attempt - 1)))


def pause(seconds: float) -> None:
    """Sleep before a retry."""
    if seconds > 0:
        time.sleep(seconds)
