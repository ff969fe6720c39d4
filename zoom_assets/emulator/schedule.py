"""Which meetings each host held on which day.

Every host has a chance of a recurring series (type 8, one `id` shared by several instances, each
with its own UUID) and of personal-meeting-room meetings (type 4, `id` = the host's PMI), plus
ad-hoc meetings. A global meeting counter forces the awkward cases into even the smallest account:
UUIDs that start with "/" or contain "//", meetings that cross midnight UTC and meetings with a
single participant (which Zoom leaves out of reports).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from zoom_assets.emulator.ids import meeting_uuid
from zoom_assets.emulator.participants import Meeting
from zoom_assets.emulator.timefmt import epoch_of
from zoom_assets.emulator.vocabulary import TOPICS

ADHOC_ONE = 0.16
ADHOC_TWO = 0.03
SERIES_SHARE = 0.3
PMI_SHARE = 0.04


@dataclass(frozen=True, slots=True)
class Series:
    """A recurring meeting: same id, topic and time of day every `every` days."""

    id: int
    topic: str
    minute: int
    duration: int
    every: int
    offset: int


def _unique_participants(rng: random.Random, counter: int) -> int:
    if counter % 8 == 5:
        return 1
    if rng.random() < 0.03:
        return rng.randrange(40, 120)
    return 2 + min(int(rng.expovariate(1 / 6)), 30)


def _shape(counter: int) -> str:
    return {3: "leading_slash", 7: "double_slash"}.get(counter % 10, "plain")


class Scheduler:
    """Produces the meetings of one account in a fixed order, so a seed fixes the account."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.counter = 0

    def host_meetings(
        self, host: int, user: dict, days: list[date], active_days: int
    ) -> Iterator[Meeting]:
        """The meetings of host number `host` on the first `active_days` of `days`."""
        rng = self.rng
        series = None
        if host == 0 or rng.random() < SERIES_SHARE:  # host 0 meets every day
            series = Series(
                id=rng.randrange(10**10, 10**11),
                topic=rng.choice(TOPICS),
                minute=rng.randrange(6 * 60, 22 * 60),
                duration=rng.randrange(15, 61),
                every=1 if host == 0 else rng.choice((1, 1, 2, 7)),
                offset=rng.randrange(7),
            )
        uses_pmi = rng.random() < PMI_SHARE
        for index, day in enumerate(days[:active_days]):
            if series and (index + series.offset) % series.every == 0:
                yield self._meeting(host, day, number=series.id, kind=8, topic=series.topic,
                                    minute=series.minute, duration=series.duration)  # fmt: skip
            roll = rng.random()
            for _ in range(2 if roll < ADHOC_TWO else 1 if roll < ADHOC_ONE else 0):
                kind = 4 if uses_pmi else rng.choice((1, 2, 2))
                number = user["pmi"] if kind == 4 else rng.randrange(10**10, 10**11)
                topic = rng.choice(TOPICS)
                minute, duration = rng.randrange(0, 24 * 60), rng.randrange(5, 150)
                yield self._meeting(host, day, number=number, kind=kind, topic=topic,
                                    minute=minute, duration=duration)  # fmt: skip

    def _meeting(
        self,
        host: int,
        day: date,
        *,
        number: int,
        kind: int,
        topic: str,
        minute: int,
        duration: int,
    ) -> Meeting:
        rng = self.rng
        self.counter += 1
        if self.counter % 9 == 4:
            minute, duration = rng.randrange(23 * 60, 24 * 60 - 5), rng.randrange(20, 120)
        start = epoch_of(day) + minute * 60 + rng.randrange(60)
        return Meeting(
            uuid=meeting_uuid(rng, _shape(self.counter)),
            id=number,
            type=kind,
            topic=topic,
            host=host,
            start=start,
            end=start + duration * 60 + rng.randrange(60),
            unique_participants=_unique_participants(rng, self.counter),
        )
