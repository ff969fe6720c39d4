"""The Dagster UI in a real browser: `dagster dev` on a free port against the emulator.

Guards what a newcomer sees after `make dev`: the three assets, each with its checks, and the
schedule; and that materializing one partition from the UI succeeds and writes that day's meetings.
Debian's chromium is driven through Playwright's `executable_path` (never `playwright install`).
Every process started here belongs to one process group, killed at the end.
"""

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import dagster as dg
import duckdb
import psutil
import pytest
import requests
from playwright.sync_api import Page, expect, sync_playwright

from zoom_assets.assets import ASSETS, zoom_users
from zoom_assets.automation import daily_sync_schedule
from zoom_assets.checks import FRESHNESS_CHECKS, QUALITY_CHECKS
from zoom_assets.cli.local import PROJECT_DIR, emulator_env
from zoom_assets.emulator import ZoomEmulator
from zoom_assets_tests.test_assets import resources_for

pytestmark = [pytest.mark.slow, pytest.mark.timeout(180)]

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
BOOT_SECONDS = 90
RUN_SECONDS = 90


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def checks_by_asset() -> dict[str, set[str]]:
    """Every check the code location declares, by asset name."""
    found: dict[str, set[str]] = defaultdict(set)
    for definition in [*ASSETS, *QUALITY_CHECKS, *FRESHNESS_CHECKS]:
        for key in definition.check_keys:
            found[key.asset_key.to_user_string()].add(key.name)
    return found


def family(pid: int) -> list[psutil.Process]:
    """A process and all its descendants, whatever their process group."""
    parent = psutil.Process(pid)
    return [parent, *parent.children(recursive=True)]


def stop_group(process: subprocess.Popen[bytes]) -> None:
    """Interrupt `dagster dev` (it stops its children), then kill whatever is left of the group."""
    started = family(process.pid)
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(15)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    _, alive = psutil.wait_procs(started, timeout=10)
    assert not alive, f"processes left running: {alive}"


@pytest.fixture
def emulator_app(emulator_factory) -> ZoomEmulator:
    return emulator_factory(users=12, days=3)


@pytest.fixture
def dagster_ui(emulator_app: ZoomEmulator, tmp_path: Path) -> Iterator[tuple[str, Path, Path]]:
    """`dagster dev` with a fresh Dagster home and DuckDB file; zoom_users already materialized."""
    if not CHROMIUM.is_file():
        pytest.skip(
            f"Debian's chromium is not installed at {CHROMIUM} (apt-get install chromium; "
            ".ci/run installs it): the UI test drives that browser and no other."
        )
    home, db = tmp_path / "dagster_home", tmp_path / "zoom.duckdb"
    home.mkdir()
    shutil.copy(PROJECT_DIR / "dagster.yaml", home / "dagster.yaml")
    with dg.DagsterInstance.from_config(str(home)) as instance:
        users = dg.materialize(
            [zoom_users], resources=resources_for(emulator_app, db), instance=instance
        )
        assert users.success
    env = {
        **os.environ,
        **emulator_env(emulator_app.base_url, emulator_app.token_url),
        "DAGSTER_HOME": str(home),
        "ZOOM_DUCKDB_PATH": str(db),
    }
    listen = ["-h", "127.0.0.1", "-p", str(free_port())]
    with (tmp_path / "dagster-dev.log").open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "dagster", "dev", "-w", "workspace.yaml", *listen],
            cwd=PROJECT_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{listen[-1]}"
    try:
        deadline = time.monotonic() + BOOT_SECONDS
        while not _serving(url):
            assert process.poll() is None, (tmp_path / "dagster-dev.log").read_text()[-3000:]
            assert time.monotonic() < deadline, "dagster dev did not serve the UI in time"
            time.sleep(0.5)
        yield url, home, db
    finally:
        stop_group(process)


def _serving(url: str) -> bool:
    try:
        return requests.get(f"{url}/server_info", timeout=2).ok
    except requests.RequestException:
        return False


def check_catalog(page: Page, url: str) -> None:
    page.goto(f"{url}/assets")
    for asset in ASSETS:
        link = page.locator(f'a[href="/assets/{asset.key.to_user_string()}"]')
        expect(link.first).to_be_visible()
    for asset, checks in checks_by_asset().items():
        page.goto(f"{url}/assets/{asset}?view=checks")
        for check in checks:
            # Long names are shown middle-truncated; the full name is kept for measuring.
            expect(page.get_by_text(check, exact=True).first).to_be_attached()
            expect(page.get_by_text(check[:10]).filter(visible=True).first).to_be_visible()
    page.goto(f"{url}/automation")
    expect(page.get_by_text(daily_sync_schedule.name, exact=True)).to_be_visible()


def launch_latest_partition(page: Page, url: str, day: str) -> None:
    page.goto(f"{url}/assets/meeting_reports")
    page.locator("button", has_text="Materialize").first.click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("button", name="Latest", exact=True).click()
    dialog.get_by_role("button", name="Launch 1 run").click()
    expect(page.get_by_text(re.compile(r"^Launched run"))).to_be_visible()
    page.get_by_text("View", exact=True).click()
    expect(page.get_by_text(f"partition: {day}")).to_be_visible()
    expect(page.get_by_text("Success", exact=True).first).to_be_visible(timeout=RUN_SECONDS * 1000)


@pytest.mark.browser
def test_ui_shows_the_pipeline_and_materializes_a_partition(
    dagster_ui: tuple[str, Path, Path], emulator_app: ZoomEmulator, tmp_path: Path
) -> None:
    url, home, db = dagster_ui
    yesterday = (datetime.now(UTC) - timedelta(days=1)).date()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.set_default_timeout(30_000)
            expect.set_options(timeout=30_000)
            check_catalog(page, url)
            launch_latest_partition(page, url, yesterday.isoformat())
            page.screenshot(path=tmp_path / "materialized-partition.png")
        finally:
            browser.close()

    with dg.DagsterInstance.from_config(str(home)) as instance:
        runs = instance.get_runs(dg.RunsFilter(tags={"dagster/partition": yesterday.isoformat()}))
    assert [run.status for run in runs] == [dg.DagsterRunStatus.SUCCESS]
    expected = {m["uuid"] for _, m in emulator_app.account.meetings_on(yesterday)}
    with duckdb.connect(str(db), read_only=True) as conn:
        written = conn.execute(
            "SELECT uuid FROM meeting_reports WHERE report_date = ?", [yesterday]
        ).fetchall()
    assert {uuid for (uuid,) in written} == expected
    assert (tmp_path / "materialized-partition.png").stat().st_size > 10_000


def test_make_dev_stops_everything_when_started_in_the_background(tmp_path: Path) -> None:
    """`zoom-dev` started by a script with `&` (SIGINT ignored), then SIGTERM to that group."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZOOM_")}
    port = free_port()
    command = (
        f"{sys.executable} -m zoom_assets.cli.dev --port {port} "
        f"--dagster-home {tmp_path / 'home'} & wait $!"
    )
    shell = subprocess.Popen(
        ["bash", "-c", command],
        cwd=PROJECT_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    started: list[psutil.Process] = []
    try:
        deadline = time.monotonic() + BOOT_SECONDS
        while not _serving(f"http://127.0.0.1:{port}"):
            assert shell.poll() is None and time.monotonic() < deadline, "zoom-dev did not start"
            time.sleep(0.5)
        started = family(shell.pid)
        commands = " ".join(" ".join(p.cmdline()) for p in started)
        assert "zoom_assets.emulator" in commands and "dagster_webserver" in commands
        os.killpg(shell.pid, signal.SIGTERM)
        _, alive = psutil.wait_procs(started, timeout=45)
        assert not alive, f"still running after SIGTERM: {[p.cmdline()[:4] for p in alive]}"
    finally:
        for process in started:
            with contextlib.suppress(psutil.Error):
                process.kill()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(shell.pid, signal.SIGKILL)
