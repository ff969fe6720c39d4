"""`zoom-dev` (`make dev`): the Dagster UI on the emulator, or on Zoom when credentials are set.

Without ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET it starts the emulator (the demo
account) on a free port and points the pipeline at it. Then `dagster dev -w workspace.yaml` runs
with the project's Dagster home until Ctrl-C or SIGTERM, and both are stopped in order.

Signals: a shell starts background commands with SIGINT ignored, and `dagster dev` maps SIGTERM to
whatever SIGINT does, so a `dagster dev` started that way ignores both. Installing our own handlers
here means every child starts with the default disposition again (handlers, unlike "ignore", do
not survive exec). Each child gets its own process group, so a Ctrl-C reaches only this process,
which then stops `dagster dev` first (it shuts down its webserver, daemon and code servers) and the
emulator last.
"""

import argparse
import contextlib
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

from zoom_assets.cli.local import (
    DAGSTER_HOME,
    DEMO_ACCOUNT,
    PROJECT_DIR,
    emulator_env,
    prepare_dagster_home,
)
from zoom_assets.settings import missing_credentials

READY = "Zoom API emulator ready:"
START_TIMEOUT = 60.0
STOP_TIMEOUT = 30.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="zoom-dev", description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1", help="interface of the UI")
    parser.add_argument("--port", type=int, default=3000, help="port of the UI")
    parser.add_argument(
        "--dagster-home", type=Path, default=DAGSTER_HOME, help="where runs are recorded"
    )
    args = parser.parse_args(argv)
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    env = {**os.environ, "DAGSTER_HOME": str(prepare_dagster_home(args.dagster_home))}
    children: list[subprocess.Popen[str]] = []
    try:
        if missing_credentials(env):
            emulator = start_emulator(env)
            children.append(emulator)
            if emulator.poll() is not None or stop.is_set():
                return 1
        else:
            print("[dev] ZOOM_* credentials are set: the pipeline talks to your Zoom account")
        ui = ["-h", args.host, "-p", str(args.port)]
        dagster = subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
            [sys.executable, "-m", "dagster", "dev", "-w", "workspace.yaml", *ui],
            cwd=PROJECT_DIR,
            env=env,
            start_new_session=True,
            text=True,
        )
        children.insert(0, dagster)
        print(f"[dev] Dagster UI: http://{args.host}:{args.port}  (Ctrl-C stops everything)")
        while dagster.poll() is None and not stop.wait(0.5):
            pass
        return 0 if stop.is_set() else (dagster.returncode or 0)
    finally:
        for child in children:
            terminate(child, signal.SIGINT if child is children[0] else signal.SIGTERM)
        print("[dev] stopped", flush=True)


def start_emulator(env: dict[str, str]) -> subprocess.Popen[str]:
    """Start the emulator on a free port, wait for its ready line, point `env` at it."""
    account = [f"--{name}={value}" for name, value in DEMO_ACCOUNT.items()]
    emulator = subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
        [sys.executable, "-m", "zoom_assets.emulator", "--port=0", *account],
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    timer = threading.Timer(START_TIMEOUT, emulator.kill)
    timer.start()
    try:
        line = next((ln for ln in emulator.stdout or () if ln.startswith(READY)), "")
    finally:
        timer.cancel()
    urls = dict(part.split("=", 1) for part in line.removeprefix(READY).split())
    if "api" not in urls or "token" not in urls:
        print("[dev] the emulator did not start; see the messages above", file=sys.stderr)
        return emulator
    env.update(emulator_env(urls["api"], urls["token"]))
    print(f"[dev] Zoom API emulator at {urls['api']} ({DEMO_ACCOUNT['users']} users)")
    return emulator


def terminate(child: subprocess.Popen[str], signum: int) -> None:
    """Ask a child to stop, wait, then kill whatever is left of its process group."""
    if child.poll() is None:
        child.send_signal(signum)
        with contextlib.suppress(subprocess.TimeoutExpired):
            child.wait(STOP_TIMEOUT)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(child.pid, signal.SIGKILL)
    child.wait()


if __name__ == "__main__":
    sys.exit(main())
