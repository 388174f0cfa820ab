"""Refresh status readable outside the served file: ``<warehouse dir>/status.json``.

Every refresh (published, nothing changed, failed, gate failed, lock held, bad input) replaces
the file atomically (temporary name, fsync, rename), so a dashboard or a monitoring probe reads
the last attempt even when nothing was published: the served file's ``ops.runs`` only ever holds
published runs. With PostgreSQL configured the same row goes to ``ops.refresh_status``
(``jixiao.pgserve.record_status``).
"""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path

from jixiao.paths import Layout

SCHEMA_VERSION = 1


def status_path(layout: Layout) -> Path:
    return layout.warehouse.parent / "status.json"


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def from_run(layout: Layout, run) -> dict:
    """The status document of a finished ``runlog.Run``."""
    from jixiao.runlog import read_build

    build = read_build(layout.warehouse) if layout.warehouse.exists() else None
    return {
        "schema_version": SCHEMA_VERSION,
        "run_id": run.run_id,
        "outcome": run.outcome,
        "exit_code": run.exit_code,
        "ok": run.exit_code in (0, 5),
        "message": run.message,
        "started_at": _iso(run.started_at),
        "ended_at": _iso(run.ended_at),
        "published": bool(run.published),
        "served_run_id": build["run_id"] if build else None,
        "served_built_at": _iso(build.get("built_at")) if build else None,
        "warehouse": str(layout.warehouse),
        "postgres": {"outcome": "skipped", "message": ""},
    }


def write(layout: Layout, status: dict) -> Path:
    """Replace ``status.json`` atomically."""
    path = status_path(layout)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(status, fh, ensure_ascii=False, indent=2, default=str)
        fh.write("\n")
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    return path


def read(layout: Layout) -> dict | None:
    try:
        return json.loads(status_path(layout).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
