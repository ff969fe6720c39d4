"""`python -m zoom_assets.emulator`: serve the emulator until SIGTERM or Ctrl-C.

Prints one line when ready, `Zoom API emulator ready: api=<url> token=<url>`, which scripts wait
for (with `--port 0` it is the only way to learn the port).
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from datetime import date

from zoom_assets.emulator.ratelimit import PLANS
from zoom_assets.emulator.server import ZoomEmulator

DEFAULT_PORT = 8765


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line; every default is shown by `--help`."""
    parser = argparse.ArgumentParser(
        prog="python -m zoom_assets.emulator",
        description="Serve a synthetic Zoom account: /oauth/token and the /v2 read endpoints.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument("--host", default="127.0.0.1", help="interface to bind")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="port (0 = any free one)")
    parser.add_argument("--account-id", default="emu-account", help="S2S app account id")
    parser.add_argument("--client-id", default="emu-client", help="S2S app client id")
    parser.add_argument("--client-secret", default="emu-secret", help="S2S app client secret")
    parser.add_argument("--seed", type=int, default=7, help="seed of the synthetic account")
    parser.add_argument("--users", type=int, default=40, help="number of users")
    parser.add_argument("--days", type=int, default=14, help="days with meetings, up to end date")
    parser.add_argument(
        "--end-date",
        type=date.fromisoformat,
        default=None,
        help="last day with meetings, yyyy-mm-dd; none = yesterday (UTC)",
    )
    parser.add_argument(
        "--plan", choices=sorted(PLANS), default="business_plus", help="rate-limit plan"
    )
    parser.add_argument(
        "--rate-limit-scale",
        type=float,
        default=1.0,
        help="multiplies every per-second limit and daily quota",
    )
    parser.add_argument(
        "--latency", type=float, default=0.0, help="seconds added to every API response"
    )
    parser.add_argument("--token-ttl", type=int, default=3600, help="token lifetime, seconds")
    parser.add_argument(
        "--revoke-previous-tokens",
        action="store_true",
        help="each new token invalidates the older ones (legacy S2S behaviour)",
    )
    parser.add_argument(
        "--report-timezone",
        choices=("user", "UTC"),
        default="user",
        help="time zone in which report from/to dates are read",
    )
    parser.add_argument(
        "--scopes",
        nargs="+",
        default=None,
        metavar="SCOPE",
        help="scopes the app's tokens carry; none = every scope the three endpoints need "
        "(leave one out to see the pipeline's missing-scope error)",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run until SIGTERM or Ctrl-C, then stop cleanly and return 0."""
    args = parse_args(argv)
    emulator = ZoomEmulator(
        host=args.host,
        port=args.port,
        account_id=args.account_id,
        client_id=args.client_id,
        client_secret=args.client_secret,
        seed=args.seed,
        users=args.users,
        days=args.days,
        end_date=args.end_date,
        plan=args.plan,
        rate_limit_scale=args.rate_limit_scale,
        latency=args.latency,
        token_ttl=args.token_ttl,
        revoke_previous_tokens=args.revoke_previous_tokens,
        report_timezone=args.report_timezone,
        scopes=args.scopes,
    )
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with emulator:
        print(
            f"Zoom API emulator ready: api={emulator.base_url} token={emulator.token_url}",
            flush=True,
        )
        try:
            while not stop.wait(0.5):
                pass
        except KeyboardInterrupt:
            pass
    print("Zoom API emulator stopped", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
