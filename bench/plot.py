"""The requests-per-second plot of a sync, with each category's limit drawn in."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import matplotlib as mpl

mpl.use("Agg")
import matplotlib.pyplot as plt

from bench.figures import CATEGORY

COLOURS = {"Heavy": "tab:red", "Medium": "tab:blue"}


def requests_per_second(
    timeline: Iterable[list[Any]],
    limits: Mapping[str, float],
    path: Path,
    title: str,
) -> Path:
    """Admitted requests per whole second per category, 429s marked, limits as dashed lines."""
    admitted: dict[str, Counter[int]] = {category: Counter() for category in COLOURS}
    refused: Counter[int] = Counter()
    end = 0
    for seconds, endpoint, status in timeline:
        category = CATEGORY.get(endpoint)
        if category not in COLOURS:
            continue
        second = int(seconds)
        end = max(end, second)
        if status == 429:
            refused[second] += 1
        else:
            admitted[category][second] += 1
    seconds = list(range(end + 1))
    figure, axes = plt.subplots(figsize=(11, 4.8), dpi=110)
    for category, colour in COLOURS.items():
        counts = [admitted[category][s] for s in seconds]
        axes.step(seconds, counts, where="post", color=colour, lw=1.2, label=f"{category} served")
        axes.axhline(limits[category], color=colour, ls="--", lw=1, alpha=0.8)
        axes.annotate(
            f"{category} limit {limits[category]:g}/s",
            (end, limits[category]),
            xytext=(-4, 4),
            textcoords="offset points",
            ha="right",
            color=colour,
            fontsize=9,
        )
    if refused:
        axes.bar(list(refused), list(refused.values()), width=1, color="black", label="429 answers")
    axes.set_xlabel("seconds since the run started")
    axes.set_ylabel("requests per second")
    axes.set_ylim(0, max(limits[c] for c in COLOURS) * 1.15)
    axes.set_xlim(0, end + 1)
    axes.set_title(title, fontsize=10)
    axes.legend(loc="lower center", ncols=3, fontsize=9)
    axes.grid(alpha=0.3)
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path)
    plt.close(figure)
    return path
