"""The day spool: a window's rows kept on disk by day, read back a day at a time, then removed."""

import tempfile
from datetime import UTC, date, datetime
from pathlib import Path

import pyarrow as pa
import pytest

from zoom_assets.rows import report_rows
from zoom_assets.spool import day_spool
from zoom_assets.tables import MEETING_REPORTS, ZOOM_USERS

SYNCED = datetime(2026, 12, 4, tzinfo=UTC)
DAY1, DAY2, DAY3 = date(2026, 12, 1), date(2026, 12, 2), date(2026, 12, 3)


def meetings(host: str, *specs: tuple[str, date]) -> pa.Table:
    """One host's report rows from (uuid, day) pairs."""
    listed = [{"uuid": uuid, "start_time": f"{day}T12:00:00Z"} for uuid, day in specs]
    return report_rows([(host, listed)], [day for _, day in specs], SYNCED)


@pytest.fixture
def spool_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The temporary directory spools are made in, for the test to look into."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    return tmp_path


def test_each_day_comes_back_alone_in_arrival_order(spool_root: Path) -> None:
    with day_spool(MEETING_REPORTS, DAY1, DAY3) as spool:
        spool.append(meetings("H1", ("a", DAY1), ("b", DAY2)))
        spool.append(meetings("H2", ("c", DAY1)))
        [directory] = spool_root.iterdir()
        assert len(list(directory.iterdir())) == 2  # one file per day with rows

        day1 = spool.pop(DAY1)
        assert day1.schema == MEETING_REPORTS.arrow_schema()
        assert day1.column("uuid").to_pylist() == ["a", "c"]
        assert day1.column("host_id").to_pylist() == ["H1", "H2"]
        assert spool.pop(DAY2).column("uuid").to_pylist() == ["b"]
        empty = spool.pop(DAY3)
        assert empty.num_rows == 0
        assert empty.schema == MEETING_REPORTS.arrow_schema()
        assert list(directory.iterdir()) == []
    assert list(spool_root.iterdir()) == []


def test_a_batch_with_a_day_outside_the_range_is_refused_whole(spool_root: Path) -> None:
    with day_spool(MEETING_REPORTS, DAY1, DAY2) as spool:
        spool.append(meetings("H1", ("kept", DAY1)))
        leaking = meetings("H2", ("in", DAY1), ("leak", DAY3))
        with pytest.raises(
            ValueError, match=r"report_date values outside 2026-12-01\.\.2026-12-02"
        ):
            spool.append(leaking)
        assert spool.pop(DAY1).column("uuid").to_pylist() == ["kept"]


def test_a_failure_in_the_block_leaves_no_file(spool_root: Path) -> None:
    with pytest.raises(RuntimeError), day_spool(MEETING_REPORTS, DAY1, DAY2) as spool:
        spool.append(meetings("H1", ("a", DAY1), ("b", DAY2)))
        raise RuntimeError("the fetch failed")
    assert list(spool_root.iterdir()) == []


def test_a_table_without_days_cannot_be_spooled() -> None:
    with (
        pytest.raises(ValueError, match="zoom_users has no day column"),
        day_spool(ZOOM_USERS, DAY1, DAY2),
    ):
        pass
