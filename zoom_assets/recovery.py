"""Give back the DuckDB pool slots of runs whose process died.

A run killed with SIGKILL (out of memory, a restart) never reaches an end state, so Dagster keeps
the pool slot of the step it was in, and every later run waits on "Step blocked by limit for pool
duckdb" for ever. `WarehouseResource` starts before any step of a run claims a slot (the runs use
the in-process executor), so each run first marks such runs failed and frees their slots. A run
counts as dead only when its steps' process, on this machine (the instance is local SQLite), no
longer exists; a run whose process is unknown or alive is left alone.
"""

import os

import dagster as dg
from dagster_duckdb import DuckDBResource

from zoom_assets.settings import Settings


class WarehouseResource(DuckDBResource):
    """The DuckDB file; at run start it frees the pool slots that dead runs still hold."""

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        if context.instance is None or context.run_id is None:
            return
        for run_id in release_dead_runs(context.instance, context.run_id):
            context.log.warning(
                f"Run {run_id} held the DuckDB pool but its process is gone (killed or lost "
                "with its machine): it is marked failed and its slot given back. Its writes were "
                "rolled back; this run or the next one rewrites its days."
            )

    @classmethod
    def from_settings(cls, settings: Settings) -> "WarehouseResource":
        """The code location's warehouse: ZOOM_DUCKDB_PATH, with ZOOM_DUCKDB_MEMORY_LIMIT as
        DuckDB's memory limit when it is set (DuckDB applies it when it opens the file)."""
        limit = settings.duckdb_memory_limit
        return cls(
            database=settings.duckdb_path,
            connection_config={"memory_limit": limit} if limit else {},
        )


def release_dead_runs(instance: dg.DagsterInstance, current_run_id: str) -> list[str]:
    """Mark failed, and free the pool slots of, every other unfinished run whose process died."""
    storage = instance.event_log_storage
    if not storage.supports_global_concurrency_limits:
        return []
    released = []
    for run_id in sorted(set(storage.get_concurrency_run_ids()) - {current_run_id}):
        run = instance.get_run_by_id(run_id)
        if run is None or run.is_finished or not _process_is_gone(instance, run_id):
            continue
        instance.report_run_failed(run, "The run's process died while it held the DuckDB pool.")
        storage.free_concurrency_slots_for_run(run_id)
        released.append(run_id)
    return released


def _process_is_gone(instance: dg.DagsterInstance, run_id: str) -> bool:
    """Whether the process that wrote the run's last event no longer exists on this machine."""
    records = instance.get_records_for_run(run_id, limit=1, ascending=False).records
    event = records[0].event_log_entry.dagster_event if records else None
    if event is None or not event.pid:
        return False
    try:
        os.kill(event.pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, owned by someone else
        return False
    return False
