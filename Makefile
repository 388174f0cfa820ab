# Jixiao: `make run` builds the warehouse from the bundled documents; `make test` runs every check.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
export DBT_SEND_ANONYMOUS_USAGE_STATS := False
export GX_ANALYTICS_ENABLED := False
export DO_NOT_TRACK := 1

.PHONY: run test lint setup clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	touch $@

run: setup
	$(BIN)/jixiao refresh

lint: setup
	$(BIN)/ruff check .
	$(BIN)/sqlfluff lint --disable-progress-bar --nocolor models data-tests macros expectations/frames

test: setup lint
	$(BIN)/python -m pytest

clean:
	rm -rf build target logs
