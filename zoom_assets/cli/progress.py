"""Follow a run's event log and print one line per step, check and asset log message.

Only step names, check results and the assets' own log lines are printed: those carry counts and
dates, never credentials or personal data.
"""

import logging
import threading
from collections.abc import Collection

import dagster as dg

POLL_SECONDS = 0.3


def follow(
    instance: dg.DagsterInstance, run_id: str, done: threading.Event, steps: Collection[str]
) -> None:
    """Print the run's new events until `done` is set, then the rest; announce only `steps`."""
    cursor = None
    started: dict[str, float] = {}
    while True:
        finished = done.wait(POLL_SECONDS)
        connection = instance.get_records_for_run(run_id, cursor=cursor)
        for record in connection.records:
            line = describe(record.event_log_entry, started, steps)
            if line:
                print(line, flush=True)
        cursor = connection.cursor
        if finished and not connection.has_more:
            return


def describe(
    entry: dg.EventLogEntry, started: dict[str, float], steps: Collection[str]
) -> str | None:
    """The progress line for one event, or None for events not worth a line."""
    event, step = entry.dagster_event, entry.step_key or ""
    if event is None:
        return f"      {entry.user_message}" if step and entry.level >= logging.INFO else None
    kind = event.event_type
    line = None
    if kind is dg.DagsterEventType.STEP_START and step in steps:
        started[step] = entry.timestamp
        line = f"  ->  {step}"
    elif kind is dg.DagsterEventType.STEP_SUCCESS and step in steps:
        line = f"  ok  {step} ({entry.timestamp - started.get(step, entry.timestamp):.1f} s)"
    elif kind is dg.DagsterEventType.STEP_FAILURE:
        line = f"  !!  {step} failed: {event.step_failure_data.error.message.strip()}"
    elif kind is dg.DagsterEventType.ASSET_CHECK_EVALUATION:
        data = event.asset_check_evaluation_data
        verdict = "passed" if data.passed else "FAILED"
        line = f"      check {data.asset_key.to_user_string()}.{data.check_name}: {verdict}"
    return line
