"""One refresh: ingest -> dbt build -> gate -> publish, each step also callable alone."""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from jixiao import exitcodes
from jixiao.build import run_dbt_build
from jixiao.gate import GateReport, run_gate
from jixiao.landing import IngestReport, ingest_folder
from jixiao.paths import Layout
from jixiao.publish import finalise, publish


@dataclass
class RefreshResult:
    exit_code: int
    ingest: IngestReport | None = None
    gate: GateReport | None = None
    published: bool = False
    timings: dict[str, float] = field(default_factory=dict)
    message: str = ""


def build_next(layout: Layout) -> Path:
    """Build a fresh warehouse file beside the served one (never the served file itself)."""
    target = layout.next_warehouse
    for stale in (target, target.with_name(target.name + ".wal")):
        if stale.exists():
            stale.unlink()
    run_dbt_build(target, layout.lake, layout.work)
    finalise(target)
    return target


def refresh(documents: Path, layout: Layout) -> RefreshResult:
    timings: dict[str, float] = {}
    layout.warehouse.parent.mkdir(parents=True, exist_ok=True)

    t = time.perf_counter()
    report = ingest_folder(documents, layout.lake)
    timings["ingest"] = time.perf_counter() - t

    t = time.perf_counter()
    built = build_next(layout)
    timings["build"] = time.perf_counter() - t

    t = time.perf_counter()
    # writes quality.* into `built` (with the history from the lake) and Data Docs beside it
    gate = run_gate(built, layout, record=True)
    timings["validate"] = time.perf_counter() - t
    if not gate.passed:
        built.unlink(missing_ok=True)
        return RefreshResult(exitcodes.GATE_FAILED, report, gate, False, timings, "quality gate failed")

    t = time.perf_counter()
    publish(layout)
    timings["publish"] = time.perf_counter() - t
    shutil.rmtree(layout.work / "dbt_logs", ignore_errors=True)
    code = exitcodes.QUARANTINED if report.count("quarantined") else exitcodes.PUBLISHED
    return RefreshResult(code, report, gate, True, timings, "published")
