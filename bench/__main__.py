"""`python -m bench`: the whole benchmark suite (see bench/suite.py)."""

import warnings

import dagster as dg

warnings.filterwarnings("ignore", category=dg.BetaWarning)  # the single-run backfill policy

from bench.suite import main  # noqa: E402 (after the filter: importing the assets warns)

main()
