"""``jixiao quarantine``: which documents are not loaded, and why (reads only, never locks).

Where the outcomes come from, first found wins:

1. the lake's run history (``<lake>/history/run_documents/<run_id>.parquet``, written by every
   refresh that looked at the folder, published or not): the newest run's outcomes;
2. the served warehouse's ``ops.run_documents`` (the newest run it holds);
3. the served warehouse's ``ops.documents`` (the registry it was built with).

``--warnings`` adds the documents loaded with warnings and, for each, every parse issue
(line, code, sentence) from the lake's ``raw_parse_issues``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from jixiao.paths import Layout

NOT_LOADED = ("quarantined", "failed")
WARNED = ("loaded_with_warnings",)


@dataclass
class QuarantineReport:
    source: str  # where the rows were read from
    run_id: str | None
    rows: list[dict] = field(
        default_factory=list
    )  # source_file, document_id, status, reason_code, reason, ...

    def quarantined(self) -> list[dict]:
        return [r for r in self.rows if r.get("status") in NOT_LOADED]

    def warned(self) -> list[dict]:
        return [r for r in self.rows if r.get("status") in WARNED]


def _from_history(lake: Path, run_id: str | None) -> QuarantineReport | None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder = lake / "history" / "run_documents"
    files = sorted(folder.glob("*.parquet")) if folder.exists() else []
    if run_id:
        files = [p for p in files if p.stem == run_id]
    for path in reversed(files):
        try:
            rows = pq.read_table(path).to_pylist()
        except (OSError, pa.ArrowInvalid):
            continue
        return QuarantineReport(f"run history {path}", path.stem, rows)
    return None


def _from_warehouse(warehouse: Path, run_id: str | None) -> QuarantineReport | None:
    import duckdb

    if not warehouse.exists():
        return None
    try:
        con = duckdb.connect(str(warehouse), read_only=True)
    except duckdb.Error:
        return None
    try:
        try:
            latest = run_id or con.execute("select max(run_id) from ops.run_documents").fetchone()[0]
            cur = con.execute(
                "select * from ops.run_documents where run_id = ? order by source_file", [latest]
            )
            source = f"{warehouse} ops.run_documents"
        except duckdb.Error:
            latest = None
            cur = con.execute("select * from ops.documents order by source_file")
            source = f"{warehouse} ops.documents"
        names = [d[0] for d in cur.description]
        rows = [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
        return QuarantineReport(source, latest, rows)
    except duckdb.Error:
        return None
    finally:
        con.close()


def load_report(layout: Layout, run_id: str | None = None) -> QuarantineReport | None:
    return _from_history(layout.lake, run_id) or _from_warehouse(layout.warehouse, run_id)


def parse_issues(lake: Path, document_id: str) -> list[dict]:
    """Every parse issue a loaded document landed with (from the lake, not the warehouse)."""
    import pyarrow as pa

    from ingest.writer import document_rows

    try:
        rows = document_rows(lake, "raw_parse_issues", document_id).to_pylist()
    except (OSError, pa.ArrowInvalid):
        return []
    return sorted(rows, key=lambda r: (r.get("source_line") or 0, r.get("issue_code") or ""))


def format_quarantine(layout: Layout, report: QuarantineReport | None, warnings: bool = False) -> str:
    if report is None:
        return (
            f"No document outcomes recorded yet (no run history in {layout.lake / 'history'} "
            f"and no ops tables in {layout.warehouse}); run `jixiao refresh` first."
        )
    bad = report.quarantined()
    lines = [f"Run {report.run_id or '(registry)'} — from {report.source}"]
    if not bad:
        lines.append("No document is quarantined.")
    else:
        lines.append(f"{len(bad)} document(s) quarantined (not loaded):")
        for r in bad:
            rule = f"{r['rule_id']} " if r.get("rule_id") else ""
            lines.append(f"  {r.get('source_file')}  [{rule}{r.get('reason_code') or r.get('status')}]")
            lines.append(f"      {r.get('reason') or '(no reason recorded)'}")
            if r.get("previous_version_kept"):
                lines.append(
                    f"      the version loaded before ({r.get('previous_document_id')}) stays in the warehouse"
                )
    warned = report.warned()
    if warnings:
        lines.append("")
        if not warned:
            lines.append("No document was loaded with warnings.")
        else:
            lines.append(
                f"{len(warned)} document(s) loaded with warnings (sound projects loaded, problems listed):"
            )
        for r in warned:
            lines.append(f"  {r.get('source_file')}  [{r.get('reason_code')}]")
            issues = parse_issues(layout.lake, r.get("document_id") or "")
            for i in issues:
                where = f"第 {i['source_line']} 行" if i.get("source_line") else "全文"
                lines.append(f"      {where} [{i.get('issue_code')}] {i.get('message')}")
            if not issues:
                lines.append(f"      {r.get('reason')}")
    elif warned:
        lines.append(
            f"{len(warned)} document(s) loaded with warnings; `jixiao quarantine --warnings` lists them."
        )
    return "\n".join(lines)
