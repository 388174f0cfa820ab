"""The progress line: shown on a terminal only, from ingest counts and dbt's own lines."""

from __future__ import annotations

import io

from jixiao import progress


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_line():
    assert (
        progress.line("build", 12, 120, "models, seeds and tests built")
        == "build: 12/120 models, seeds and tests built"
    )
    assert progress.line("validate", 40, None, "rules run") == "validate: 40 rules run"


def test_silent_unless_a_terminal():
    pipe = io.StringIO()
    assert not progress.enable(pipe)
    progress.report("ingest", 1, 2, "documents parsed")
    progress.disable()
    assert pipe.getvalue() == ""


def test_terminal_shows_and_clears():
    tty = _Terminal()
    assert progress.enable(tty)
    try:
        progress.report("ingest", 1, 2, "documents parsed")
        progress.dbt_line(
            "13:08:57  12 of 120 OK created sql table model marts.dim_project ..... [OK in 0.1s]\n"
        )
        progress.dbt_line("13:08:57  Running with dbt=1.11\n")  # not a node: nothing
        progress.dbt_line("13:08:58  13 of 120 PASS not_null_dim_project_project_id ..... [PASS in 0.0s]\n")
    finally:
        progress.disable()
    out = tty.getvalue()
    assert "\ringest: 1/2 documents parsed" in out
    assert "\rbuild: 12/120 models, seeds and tests built" in out
    assert "build: 13/120" in out
    assert out.endswith("\r")  # the line is cleared before anything else is printed
