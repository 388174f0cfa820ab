# Jixiao: `make run` builds the warehouse from the bundled documents; `make test` runs every check.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
export DBT_SEND_ANONYMOUS_USAGE_STATS := False
export GX_ANALYTICS_ENABLED := False
export DO_NOT_TRACK := 1

.PHONY: run test lint setup sysdeps clean notebooks

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

# What the tests need beyond Python: a CJK font (charts, PDFs) and LibreOffice headless
# (PDF test files, opening exports). Installed from Debian when missing.
SYSTEM_PACKAGES := fonts-noto-cjk libreoffice-calc libreoffice-writer
sysdeps:
	@if fc-list :lang=zh family 2>/dev/null | grep -q . && command -v soffice >/dev/null; then \
	  echo "system packages present: $(SYSTEM_PACKAGES)"; \
	else \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  export DEBIAN_FRONTEND=noninteractive; \
	  $$SUDO apt-get install -y -qq --no-install-recommends $(SYSTEM_PACKAGES) >/dev/null \
	  || { $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq --no-install-recommends $(SYSTEM_PACKAGES) >/dev/null; }; \
	fi

test: setup sysdeps lint
	$(BIN)/python -m pytest

# Re-run the analysis notebooks on the bundled documents and keep their outputs (charts) in the files.
notebooks: run sysdeps
	$(BIN)/python -m jixiao.notebooks --warehouse build/jixiao.duckdb

clean:
	rm -rf build target logs
