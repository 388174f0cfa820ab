"""``jixiao status``: what is served, and the last runs. Reads only (history Parquet, and the
served and previous warehouses opened read-only); never takes the refresh lock."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

from jixiao import runlog
from jixiao.paths import Layout

STEP_ABBREVIATIONS = (("ingest", "i"), ("check_lake", "l"), ("build", "b"), ("validate", "v"), ("publish", "p"))


def _when(ts) -> str:
    return ts.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S") if ts else "-"


def _file_line(label: str, path: Path) -> list[str]:
    if not path.exists():
        return [f"{label}: {path} (none)"]
    st = path.stat()
    lines = [f"{label}: {path} ({st.st_size / 1e6:.1f} MB, written {_when(datetime.fromtimestamp(st.st_mtime, UTC))} UTC)"]
    build = runlog.read_build(path)
    if build:
        lines.append(
            f"  built by run {build['run_id']} at {_when(build['built_at'])} UTC: "
            f"{build['documents_loaded']} documents, build fingerprint {build['build_fingerprint']}"
        )
    else:
        lines.append("  (no ops.build record: built before run logging, or not readable right now)")
    return lines


def _in_progress(layout: Layout) -> list[str]:
    folder = layout.lake / "history" / "running"
    lines = []
    for marker in sorted(folder.iterdir()) if folder.exists() else []:
        pid = int(marker.name.rsplit("-", 1)[-1]) if marker.name.rsplit("-", 1)[-1].isdigit() else None
        alive = False
        if pid:
            try:
                os.kill(pid, 0)
                alive = True
            except ProcessLookupError:
                alive = False
            except PermissionError:
                alive = True
        state = "in progress" if alive else "died; the next refresh will mark it killed"
        lines.append(f"Refresh {marker.name}: {state}")
    return lines


def format_status(layout: Layout, limit: int = 10) -> str:
    lines = _file_line("Served", layout.warehouse) + _file_line("Previous (rollback)", layout.previous_warehouse)
    lines += _in_progress(layout)
    runs = runlog.read_runs(layout.lake)[-limit:][::-1]
    lines.append("")
    if not runs:
        lines.append(f"No runs recorded yet in {layout.lake / 'history'}.")
        return "\n".join(lines)
    lines.append(f"Last {len(runs)} runs, newest first (history: {layout.lake / 'history'}):")
    lines.append(
        f"  {'run id':<29} {'started (UTC)':<19} {'took':>6}  {'outcome':<11} exit  "
        "docs  +add ~chg >ren -rem =same dup fail  gate         steps"
    )
    for r in runs:
        took = f"{r['duration_s']:.1f}s" if r.get("duration_s") is not None else "-"
        gate = "-"
        if r.get("gate_passed") is not None:
            gate = ("pass" if r["gate_passed"] else "FAIL") + f" {r.get('gate_critical_failures') or 0}c/{r.get('gate_warnings') or 0}w"
        steps = " ".join(
            f"{abbr}{r[k + '_s']:.1f}" for k, abbr in STEP_ABBREVIATIONS if r.get(k + "_s") is not None
        )

        def n(key: str, r=r) -> str:
            v = r.get(f"documents_{key}")
            return "-" if v is None else str(v)

        code = "-" if r.get("exit_code") is None else str(r["exit_code"])
        lines.append(
            f"  {r['run_id']:<29} {_when(r['started_at']):<19} {took:>6}  {r['outcome']:<11} {code:>4}  "
            f"{n('seen'):>4} {n('added'):>5} {n('changed'):>4} {n('renamed'):>3} {n('removed'):>4} "
            f"{n('unchanged'):>5} {n('duplicate'):>3} {n('failed'):>4}  {gate:<12} {steps}"
        )
        if r["outcome"] not in ("published", "no_change") and r.get("message"):
            lines.append(f"      {r['message'].splitlines()[0][:160]}")
    lines.append("  steps: " + " ".join(f"{a}={k}" for k, a in STEP_ABBREVIATIONS) + ", seconds")
    return "\n".join(lines)
