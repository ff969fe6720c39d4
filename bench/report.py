"""The figures against their targets: a table on stdout and bench/results.json."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).with_name("results.json")
MIB = 2**20


def row(number: str, what: str, value: str, target: str, ok: bool | None) -> dict[str, Any]:
    return {"figure": number, "what": what, "value": value, "target": target, "ok": ok}


def evaluate(results: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per figure (and per account or category where it has several)."""
    rows = []
    m = results.get("M")
    if m:
        for category, rate in m["backfill"]["rates"].items():
            rows.append(
                row(
                    "1",
                    f"M sync, {category} rate / limit",
                    f"{rate['fraction_of_limit']:.3f} ({rate['rate_per_second']:g} of "
                    f"{rate['limit_per_second']:g}/s)",
                    ">= 0.9",
                    rate["fraction_of_limit"] >= 0.9,
                )
            )
    for name, run in synced_runs(results):
        rows.append(
            row(
                "2",
                f"{name} requests / minimum",
                f"{run['requests_over_minimum']:.3f} ({sum(run['served'].values())} / "
                f"{sum(run['minimum']['requests'].values())})",
                "<= 1.05",
                run["requests_over_minimum"] <= 1.05,
            )
        )
    if m:
        per_user = m["report_requests_per_user"]
        windows = m["backfill"]["minimum"]["windows_per_host"]
        rows.append(
            row(
                "3",
                f"M report requests per user: 30-day backfill vs 30 single-day runs "
                f"({per_user['hosts']} hosts)",
                f"{per_user['backfill_per_user']:g} vs {per_user['single_day_runs_per_user']:g}",
                f"{windows} (windows.py) vs 30",
                per_user["backfill_per_user"] == windows
                and per_user["single_day_runs_per_user"] == per_user["days"],
            )
        )
        after_30, after_7 = m["daily"]["after_30_days"], m["daily"]["after_7_days"]
        wall = after_30["seconds"] / after_7["seconds"]
        cpu = after_30["cpu_seconds"] / after_7["cpu_seconds"]
        requests = sum(after_30["served"].values()) / sum(after_7["served"].values())
        rows.append(
            row(
                "4",
                "M daily run after 30 days / after 7 days",
                f"wall {wall:.3f}, CPU {cpu:.3f}, requests {requests:.3f}",
                "~1.0",
                all(0.9 <= x <= 1.1 for x in (wall, cpu, requests)),
            )
        )
    load = results["load"]
    rows.append(
        row(
            "5",
            f"DuckDB load of {load['rows']} participant rows (storage, bulk from Arrow)",
            f"{load['bulk_rows_per_second']:,} rows/s = {load['bulk_over_executemany']:g} x "
            f"executemany ({load['executemany_rows_per_second']:,} rows/s)",
            "bulk, far above row by row",
            load["bulk_over_executemany"] >= 10,
        )
    )
    big = results.get("L")
    if big:
        short, full = big["7_days"], big["30_days"]
        growth = (full["peak_rss"] - short["peak_rss"]) / MIB
        rows.append(
            row(
                "6",
                "L sync peak RSS, 30 days (7 days)",
                f"{full['peak_rss'] / MIB:.0f} MiB ({short['peak_rss'] / MIB:.0f} MiB): "
                f"+{growth:.0f} MiB for 23 more days",
                "< 1024 MiB, ~flat in days",
                full["peak_rss"] < 1024 * MIB and full["peak_rss"] <= 1.1 * short["peak_rss"],
            )
        )
        rows.append(
            row(
                "7",
                "L sync wall time / rate-limit floor",
                f"{full['wall_over_floor']:.3f} ({full['seconds']:.0f} s / "
                f"{full['floor_seconds']:.0f} s)",
                "<= 1.1",
                full["wall_over_floor"] <= 1.1,
            )
        )
    return rows


def synced_runs(results: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    runs = []
    if "S" in results:
        runs.append(("S", results["S"]["sync"]))
    if "M" in results:
        runs.append(("M", results["M"]["backfill"]))
    if "L" in results:
        runs += [("L 7 days", results["L"]["7_days"]), ("L 30 days", results["L"]["30_days"])]
    return runs


def print_table(results: dict[str, Any]) -> None:
    """The figures as an aligned text table, with the factor the limits were scaled by."""
    print(
        f"\nBusiness+ limits x{results['scale']:g}, {results['workers']} workers, "
        f"{results['latency_seconds'] * 1000:g} ms per response"
    )
    lines = [("#", "figure", "value", "target", "")]
    for f in results["figures"]:
        verdict = "" if f["ok"] is None else "ok" if f["ok"] else "MISSED"
        lines.append((f["figure"], f["what"], f["value"], f["target"], verdict))
    widths = [max(len(line[i]) for line in lines) for i in range(5)]
    for line in lines:
        print("  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)))


def save(key: str, figures: dict[str, Any]) -> None:
    """Write `figures` under `key`, keeping the other benchmarks' keys."""
    saved = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    saved[key] = figures
    RESULTS.write_text(json.dumps(saved, indent=2) + "\n")
