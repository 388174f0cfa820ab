"""Test-only launcher: the ``jixiao`` CLI with a pause at one stage, wrapped from outside.

    python -m tests.integration.pause_launcher STAGE MARKER [SECONDS] -- <jixiao arguments>

When the refresh reaches STAGE the launcher writes MARKER (``"<stage> <pid>"``) and sleeps
(default 120 s) so a test can kill it there, or change something under it. Production code has
no hooks: the stages are wrapped here.

- ``ingest``:   the batch's new segments written and synced, before the registry commit
- ``ingest_registry``: the registry replaced, before the manifest (``raw/_live.parquet``) is
  rewritten from it and before the old segments are swept
- ``ingest_manifest``: the manifest rewritten, before the segments no live document points into
  are swept
- ``build``:    while ``dbt build`` is running (once the ``.next`` file exists)
- ``after_build``: dbt has finished, before the refresh checks the lake again and validates
- ``validate``: with the ``.next`` file built, before the quality gate runs
- ``publish``:  inside publish, the snapshot sealed and ``.prev`` linked, before the served link moves
- ``postgres``: ``jixiao publish-postgres`` with its first table copied into staging, nothing swapped
"""

from __future__ import annotations

import functools
import os
import subprocess
import sys
import time
import types
from pathlib import Path

import jixiao.build
import jixiao.landing
import jixiao.pgserve
import jixiao.publish
import jixiao.refresh
import jixiao.registry
from ingest.writer import SegmentBatch
from jixiao.cli import main
from jixiao.paths import WAREHOUSE_ENV


def pause(stage: str, marker: str, seconds: float) -> None:
    tmp = Path(marker + ".tmp")
    tmp.write_text(f"{stage} {os.getpid()}\n", encoding="utf-8")
    os.replace(tmp, marker)
    time.sleep(seconds)


def _after_first(fn, stop):
    calls = []

    @functools.wraps(fn)
    def wrapper(*a, **kw):
        out = fn(*a, **kw)
        calls.append(1)
        if len(calls) == 1:
            stop()
        return out

    return wrapper


def _after_rewrite(fn, stop):
    """Stop after the first call that rewrote something (returned True)."""

    @functools.wraps(fn)
    def wrapper(*a, **kw):
        out = fn(*a, **kw)
        if out and not getattr(wrapper, "stopped", False):
            wrapper.stopped = True
            stop()
        return out

    return wrapper


def _before(fn, stop):
    @functools.wraps(fn)
    def wrapper(*a, **kw):
        stop()
        return fn(*a, **kw)

    return wrapper


def _popen_pausing(stop):
    def popen(*a, **kw):
        proc = subprocess.Popen(*a, **kw)
        target = Path(kw["env"][WAREHOUSE_ENV])
        while proc.poll() is None and not target.exists():
            time.sleep(0.02)
        stop()
        return proc

    return types.SimpleNamespace(Popen=popen, PIPE=subprocess.PIPE, STDOUT=subprocess.STDOUT)


def install(stage: str, stop) -> None:
    if stage == "ingest":
        SegmentBatch.close = _after_first(SegmentBatch.close, stop)
    elif stage == "ingest_registry":
        jixiao.registry.save = _after_first(jixiao.registry.save, stop)
    elif stage == "ingest_manifest":
        jixiao.registry.publish_manifest = _after_rewrite(jixiao.registry.publish_manifest, stop)
    elif stage == "build":
        jixiao.build.subprocess = _popen_pausing(stop)
    elif stage == "after_build":
        jixiao.refresh.build_next = _after_first(jixiao.refresh.build_next, stop)
    elif stage == "validate":
        jixiao.refresh.validate_next = _before(jixiao.refresh.validate_next, stop)
    elif stage == "publish":
        jixiao.publish._swap_link = _before(jixiao.publish._swap_link, stop)
    elif stage == "postgres":
        jixiao.pgserve._copy_table = _after_first(jixiao.pgserve._copy_table, stop)
    else:
        raise SystemExit(f"unknown stage {stage}")


def run(argv: list[str]) -> int:
    split = argv.index("--")
    head, rest = argv[:split], argv[split + 1 :]
    stage, marker = head[0], head[1]
    seconds = float(head[2]) if len(head) > 2 else 120.0
    install(stage, lambda: pause(stage, marker, seconds))
    return main(rest)


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
