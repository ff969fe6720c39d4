# The two promises to a newcomer: `make demo` and `make test` work on a fresh clone.
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PIP_QUIET := --quiet --disable-pip-version-check
DEV_PORT ?= 3000
EMULATOR_PORT ?= 8765
EMULATOR_ARGS ?=
SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c

.PHONY: venv test lint format demo dev check-connection emulator bench clean

venv: $(STAMP)

$(STAMP): pyproject.toml requirements/constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install $(PIP_QUIET) -c requirements/constraints.txt -e '.[dev]' 2>&1 \
		| { grep -v "is ignored: it is neither a file nor a directory" || true; }
	@$(BIN)/python -c "import dagster, duckdb, zoom_assets" 
	@touch $(STAMP)

# DuckDB 2.0's bindings report their module-level type objects as "leaked" when the interpreter
# exits after a long session; the report says nothing about our code, so it is kept out of the log.
NANOBIND_EXIT_REPORT := ^(nanobind: |See https://nanobind| - leaked | - \.\.\. skipped remainder)

test: venv
	$(BIN)/python -m pytest $(PYTEST_ARGS) 2> >(grep -Ev '$(NANOBIND_EXIT_REPORT)' >&2)

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: venv
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Sync the synthetic account (emulator in-process) into data/zoom.duckdb and print a summary.
demo: venv
	$(BIN)/zoom-demo

# The Dagster UI on the emulator, or on real Zoom when the three ZOOM_* credentials are set.
dev: venv
	$(BIN)/zoom-dev --port $(DEV_PORT)

# Token + one minimal request per endpoint: which scopes are granted, which are missing.
check-connection: venv
	$(BIN)/zoom-check-connection

# The emulator alone, in the foreground, on a fixed port (for check-connection and experiments).
emulator: venv
	@echo "Point the pipeline at it from another shell:"
	@echo "  export ZOOM_ACCOUNT_ID=emu-account ZOOM_CLIENT_ID=emu-client ZOOM_CLIENT_SECRET=emu-secret"
	@echo "  export ZOOM_API_BASE_URL=http://127.0.0.1:$(EMULATOR_PORT)/v2 ZOOM_OAUTH_TOKEN_URL=http://127.0.0.1:$(EMULATOR_PORT)/oauth/token"
	$(BIN)/zoom-emulator --port $(EMULATOR_PORT) --users 200 --days 14 $(EMULATOR_ARGS)

# Performance figures against Zoom's rate limits on three synthetic accounts (about 13 minutes on
# 2 cores): prints a table, writes bench/results.json and bench/out/requests_per_second.png.
bench: venv
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache data .dagster_home
