"""Progress of a long step (documents parsed, models built, rules run) on a terminal only.

One reporter per process, like ``logging``: the CLI turns it on (``enable()``) when stderr is a
terminal and neither ``--json`` nor ``--quiet`` is given; the steps call ``report()``, which does
nothing otherwise, so logs, cron mail and ``--json`` output never carry progress lines.
"""

from __future__ import annotations

import re
import sys
from typing import TextIO

_stream: TextIO | None = None
_width = 0
# dbt's lines: "12 of 120 OK created sql table model marts.dim_project ...", "13 of 120 PASS ..."
_DBT_DONE = re.compile(r"\b(\d+) of (\d+) (?:OK|PASS|WARN|ERROR|FAIL|SKIP)\b")


def enable(stream: TextIO | None = None) -> bool:
    """Show progress on ``stream`` (default stderr) if it is a terminal; whether it will."""
    global _stream
    stream = stream or sys.stderr
    _stream = stream if stream.isatty() else None
    return _stream is not None


def disable() -> None:
    global _stream
    done()
    _stream = None


def line(stage: str, done_count: int, total: int | None, what: str) -> str:
    """``build: 12/120 models and tests`` (pure, for the terminal line)."""
    of = f"/{total}" if total else ""
    return f"{stage}: {done_count}{of} {what}"


def report(stage: str, done_count: int, total: int | None, what: str) -> None:
    global _width
    if _stream is None:
        return
    text = line(stage, done_count, total, what)
    _stream.write("\r" + text.ljust(_width))
    _stream.flush()
    _width = len(text)


def dbt_line(output_line: str) -> None:
    """Report a dbt node finishing, from one line of its output."""
    if _stream is None:
        return
    m = _DBT_DONE.search(output_line)
    if m:
        report("build", int(m.group(1)), int(m.group(2)), "models, seeds and tests built")


def done() -> None:
    """Clear the progress line (before the summary is printed)."""
    global _width
    if _stream is not None and _width:
        _stream.write("\r" + " " * _width + "\r")
        _stream.flush()
    _width = 0
