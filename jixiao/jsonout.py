"""``--json``: one JSON object on stdout for schedulers and scripts (``refresh``, ``status``).

Built from what the human output is built from: ``status.json`` (``jixiao.status_file``) and the
run history (``jixiao.runlog``), so the two never disagree.
"""

from __future__ import annotations

import json
import math
import os
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from jixiao import runlog, status_file
from jixiao.paths import Layout


def _plain(value: object) -> object:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, Path):
        return str(value)
    if hasattr(value, "item"):  # numpy scalars from Parquet
        return _plain(value.item())
    return value


def dumps(payload: dict) -> str:
    return json.dumps({k: _clean(v) for k, v in payload.items()}, ensure_ascii=False, sort_keys=True)


def _clean(value: object) -> object:
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return _plain(value)


def _run_row(layout: Layout, run_id: str) -> dict | None:
    rows = [r for r in runlog.read_runs(layout.lake) if r.get("run_id") == run_id]
    return rows[-1] if rows else None


def _sites(layout: Layout) -> dict[str, str | None]:
    from jixiao import dbtdocs

    data_docs = layout.data_docs / "index.html"
    dbt_page = dbtdocs.site(layout) / dbtdocs.SITE_PAGE
    return {
        "data_docs": str(data_docs) if data_docs.exists() else None,
        "dbt_docs": str(dbt_page) if dbt_page.exists() else None,
    }


def refresh_payload(layout: Layout, result) -> dict:
    """The refresh as one object: status.json's fields, this run's history row, the sites."""
    status = status_file.read(layout) or dict(result.status or {})
    if not status:  # lock held / bad input before anything was recorded
        status = {
            "run_id": result.run_id,
            "outcome": result.outcome,
            "exit_code": result.exit_code,
            "message": result.message,
        }
    return {
        **status,
        "run": _run_row(layout, result.run_id),
        "timings_s": dict(result.timings),
        **_sites(layout),
    }


def _file(path: Path) -> dict | None:
    if not path.exists():
        return None
    st = path.stat()
    return {
        "path": str(path),
        "size_bytes": st.st_size,
        "file": os.path.realpath(path),
        "build": runlog.read_build(path),
    }


def status_payload(layout: Layout, limit: int) -> dict:
    return {
        "served": _file(layout.warehouse),
        "previous": _file(layout.previous_warehouse),
        "last_refresh": status_file.read(layout),
        "runs": runlog.read_runs(layout.lake)[-limit:][::-1],
        "history": str(layout.lake / "history"),
        **_sites(layout),
    }
