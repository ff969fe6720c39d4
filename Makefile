# The two promises to a newcomer: `make demo` and `make test` work on a fresh clone.
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PIP_QUIET := --quiet --disable-pip-version-check
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

test: venv
	$(BIN)/python -m pytest

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: venv
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache data .dagster_home
