"""Participant rows of one meeting instance, generated on demand from (seed, meeting UUID).

An account of 100k meetings has about a million participant rows; building them up front would
make start-up slow and memory heavy, so each meeting's rows are derived when first asked for and
are identical every time (and in every process) for the same seed and UUID.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from zoom_assets.emulator.ids import user_id
from zoom_assets.emulator.timefmt import iso
from zoom_assets.emulator.vocabulary import FIRST_NAMES, GUEST_NAMES, LAST_NAMES

REJOIN_RATE = 0.12
# Signed-in people who also join from a second device (say, a phone) while still connected.
SECOND_DEVICE_RATE = 0.1
INTERNAL_SHARE = 0.45
EXTERNAL_SIGNED_IN_SHARE = 0.25


@dataclass(frozen=True, slots=True)
class Meeting:
    """One meeting instance; the API-shaped dicts are built from it when needed."""

    uuid: str
    id: int
    type: int
    topic: str
    host: int  # index into Account.hosts
    start: int  # epoch seconds, UTC
    end: int
    unique_participants: int


@dataclass(frozen=True, slots=True)
class Person:
    """Someone who joins a meeting: an account user, a signed-in outsider or a guest."""

    id: str
    name: str
    email: str
    internal: bool


def _people(rng: random.Random, host: Person, count: int, pool: list[Person]) -> list[Person]:
    """The host plus `count - 1` distinct others drawn from the account and from outside it."""
    people = [host]
    candidates = [p for p in rng.sample(pool, min(len(pool), count + 1)) if p.id != host.id]
    for n in range(1, count):
        roll = rng.random()
        if roll < INTERNAL_SHARE and candidates:
            people.append(candidates.pop())
        elif roll < INTERNAL_SHARE + EXTERNAL_SIGNED_IN_SHARE:
            name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
            people.append(Person(user_id(rng), name, "", False))
        else:
            people.append(Person("", f"{rng.choice(GUEST_NAMES)} {n}", "", False))
    return people


def participant_rows(seed: int, meeting: Meeting, host: Person, pool: list[Person]) -> list[dict]:
    """Every join of every person in `meeting`, ordered by join time, as the API returns them.

    A rejoin is a new row with a new per-meeting `user_id`, as Zoom reports it; so is a second
    device: a signed-in person who also joins from a phone has two rows that overlap in time. The
    second devices come from a dice of their own, so they add rows without changing the others.
    """
    rng = random.Random(f"{seed}/{meeting.uuid}")
    devices = random.Random(f"{seed}/{meeting.uuid}/devices")
    span = meeting.end - meeting.start
    next_user_id = rng.randrange(16_000_000, 33_000_000)
    sessions: list[tuple[Person, int, int, int]] = []
    second: list[tuple[Person, int, int]] = []
    for i, person in enumerate(_people(rng, host, meeting.unique_participants, pool)):
        join = meeting.start if i == 0 else meeting.start + rng.randrange(0, max(1, span // 4))
        leave = meeting.end if i == 0 else meeting.end - rng.randrange(0, max(1, span // 5))
        leave = max(leave, join + 1)
        stints = [(join, leave)]
        if rng.random() < REJOIN_RATE and leave - join > 120:
            cut = join + (leave - join) // 2
            stints = [(join, cut - 30), (cut, leave)]
        for begin, finish in stints:
            next_user_id += 1024 * rng.randrange(1, 5)
            sessions.append((person, next_user_id, begin, finish))
        if i > 0 and person.id and devices.random() < SECOND_DEVICE_RATE and leave - join > 120:
            begin = join + devices.randrange(1, (leave - join) // 2)
            second.append((person, begin, devices.randrange(begin + 1, leave + 1)))
    for person, begin, finish in second:
        next_user_id += 1024 * devices.randrange(1, 5)
        sessions.append((person, next_user_id, begin, finish))
    rows = [_row(person, number, begin, finish) for person, number, begin, finish in sessions]
    rows.sort(key=lambda row: (row["join_time"], row["user_id"]))
    return rows


def _row(person: Person, number: int, begin: int, finish: int) -> dict:
    return {
        "id": person.id,
        "name": person.name,
        "user_id": str(number),
        "user_email": person.email,
        "join_time": iso(begin),
        "leave_time": iso(finish),
        "duration": finish - begin,
        "failover": False,
        "status": "in_meeting",
        "internal_user": person.internal,
    }
