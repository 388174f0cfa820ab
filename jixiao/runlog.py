"""The run log: every refresh's record, kept as Parquet in the lake and loaded into ``ops``.

The served warehouse is never written in place (readers have it open), so the history lives in
``<lake>/history/<table>/<run_id>.parquet`` (one file per run per table, each written atomically)
and every newly built warehouse gets a copy of it in its ``ops`` schema before it is published.
A run that publishes nothing (no change, gate failure, error, lock held) still writes its files:
``jixiao status`` shows it at once and the next published warehouse carries it.

ops tables (all keyed by ``run_id``; one writer: the refresh):

- ``ops.runs``           one row per refresh attempt
- ``ops.run_documents``  one row per document per run (what the run did with it, and why)
- ``ops.run_tables``     rows per table of the warehouse a run built
- ``ops.documents``      the registry when the served warehouse was built: every known document's standing
- ``ops.build``          one row: which run built this file, and the fingerprint of its inputs
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa

from ingest.schema import RAW_TABLES
from ingest.writer import write_table_atomic

TS = pa.timestamp("us", tz="UTC")

RUNS = pa.schema(
    [
        ("run_id", pa.string()),
        ("started_at", TS),
        ("ended_at", TS),
        ("duration_s", pa.float64()),
        # running | published | no_change | gate_failed | failed | lock_held | bad_input | killed
        ("outcome", pa.string()),
        ("exit_code", pa.int32()),
        ("message", pa.string()),
        ("published", pa.bool_()),
        ("forced", pa.bool_()),
        ("documents_folder", pa.string()),
        ("warehouse", pa.string()),
        ("host", pa.string()),
        ("pid", pa.int64()),
        ("documents_seen", pa.int32()),
        ("documents_added", pa.int32()),
        ("documents_changed", pa.int32()),
        ("documents_renamed", pa.int32()),
        ("documents_reparsed", pa.int32()),
        ("documents_removed", pa.int32()),
        ("documents_unchanged", pa.int32()),
        ("documents_duplicate", pa.int32()),
        ("documents_failed", pa.int32()),
        ("documents_quarantined", pa.int32()),
        ("documents_loaded", pa.int32()),
        ("gate_passed", pa.bool_()),
        ("gate_rules", pa.int32()),
        ("gate_critical_failures", pa.int32()),
        ("gate_warnings", pa.int32()),
        ("ingest_s", pa.float64()),
        ("check_lake_s", pa.float64()),
        ("build_s", pa.float64()),
        ("validate_s", pa.float64()),
        ("publish_s", pa.float64()),
        ("build_fingerprint", pa.string()),
        ("served_run_id", pa.string()),
    ]
)

ROW_COLUMNS = [f"rows_{t}" for t in RAW_TABLES]
RUN_DOCUMENTS = pa.schema(
    [
        ("run_id", pa.string()),
        ("source_file", pa.string()),
        ("document_id", pa.string()),
        ("content_sha256", pa.string()),
        ("byte_size", pa.int64()),
        ("action", pa.string()),
        ("status", pa.string()),
        ("reason_code", pa.string()),
        ("rule_id", pa.string()),
        ("reason", pa.string()),
        ("reason_line", pa.int32()),
        ("duplicate_of", pa.string()),
        ("previous_document_id", pa.string()),
        ("previous_version_kept", pa.bool_()),
        *[(c, pa.int64()) for c in ROW_COLUMNS],
    ]
)

RUN_TABLES = pa.schema(
    [
        ("run_id", pa.string()),
        ("table_schema", pa.string()),
        ("table_name", pa.string()),
        ("row_count", pa.int64()),
    ]
)

DOCUMENTS = pa.schema(
    [
        ("document_id", pa.string()),
        ("source_file", pa.string()),
        ("content_sha256", pa.string()),
        ("byte_size", pa.int64()),
        ("status", pa.string()),
        ("reason_code", pa.string()),
        ("rule_id", pa.string()),
        ("reason", pa.string()),
        ("reason_line", pa.int32()),
        ("first_seen_run", pa.string()),
        ("landed_by_run", pa.string()),
        *[(c, pa.int64()) for c in ROW_COLUMNS],
    ]
)

BUILD = pa.schema(
    [
        ("run_id", pa.string()),
        ("built_at", TS),
        ("build_fingerprint", pa.string()),
        ("lake_fingerprint", pa.string()),
        ("project_fingerprint", pa.string()),
        ("parser_fingerprint", pa.string()),
        ("documents_loaded", pa.int32()),
    ]
)

HISTORY_TABLES = {"runs": RUNS, "run_documents": RUN_DOCUMENTS, "run_tables": RUN_TABLES}


def rule_id_for(reason_code: str | None) -> str | None:
    """The catalogue rule a document's reason belongs to (DOC-nn, DUP-01), if any."""
    from ingest.catalogue import for_reason

    rule = for_reason(reason_code)
    return rule.rule_id if rule else None


def now() -> datetime:
    return datetime.now(UTC)


def new_run_id(at: datetime) -> str:
    """Sortable and unique: UTC time to the microsecond, then the pid."""
    return at.strftime("%Y%m%dT%H%M%S%fZ") + f"-{os.getpid()}"


@dataclass
class Run:
    """The record of one refresh, filled in as it goes."""

    run_id: str
    started_at: datetime
    documents_folder: str
    warehouse: str
    forced: bool = False
    outcome: str = "running"
    exit_code: int | None = None
    message: str = ""
    published: bool = False
    ended_at: datetime | None = None
    counts: dict[str, int] = field(default_factory=dict)
    gate: dict[str, object] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    build_fingerprint: str | None = None
    served_run_id: str | None = None
    documents: list = field(default_factory=list)  # landing.DocumentRecord
    tables: list[tuple[str, str, int]] = field(default_factory=list)

    @classmethod
    def start(cls, documents: Path, warehouse: Path, forced: bool = False) -> Run:
        at = now()
        return cls(new_run_id(at), at, str(documents), str(warehouse), forced)

    def finish(self, outcome: str, exit_code: int, message: str) -> None:
        self.outcome, self.exit_code, self.message = outcome, exit_code, message
        self.ended_at = now()

    def runs_row(self) -> dict:
        end = self.ended_at
        row = {
            "run_id": self.run_id,
            "started_at": self.started_at,
            "ended_at": end,
            "duration_s": round((end - self.started_at).total_seconds(), 3) if end else None,
            "outcome": self.outcome,
            "exit_code": self.exit_code,
            "message": self.message,
            "published": self.published,
            "forced": self.forced,
            "documents_folder": self.documents_folder,
            "warehouse": self.warehouse,
            "host": socket.gethostname(),
            "pid": os.getpid(),
            "build_fingerprint": self.build_fingerprint,
            "served_run_id": self.served_run_id,
        }
        row.update({f"documents_{k}": v for k, v in self.counts.items()})
        row.update({f"gate_{k}": v for k, v in self.gate.items()})
        row.update({f"{k}_s": round(v, 3) for k, v in self.timings.items()})
        return {k: row.get(k) for k in RUNS.names}

    def document_rows(self) -> list[dict]:
        rows = []
        for d in self.documents:
            row = {
                "run_id": self.run_id,
                "source_file": d.source_file,
                "document_id": d.document_id,
                "content_sha256": d.content_sha256,
                "byte_size": d.byte_size,
                "action": d.action,
                "status": d.status,
                "reason_code": d.reason_code,
                "rule_id": rule_id_for(d.reason_code),
                "reason": d.reason,
                "reason_line": d.reason_line,
                "duplicate_of": d.duplicate_of,
                "previous_document_id": d.previous_document_id,
                "previous_version_kept": d.previous_version_kept,
            }
            row.update({f"rows_{t}": d.rows.get(t) for t in RAW_TABLES})
            rows.append(row)
        return rows

    def table_rows(self) -> list[dict]:
        return [
            {"run_id": self.run_id, "table_schema": s, "table_name": t, "row_count": n}
            for s, t, n in self.tables
        ]

    def arrow(self, table: str) -> pa.Table:
        rows = {
            "runs": lambda: [self.runs_row()],
            "run_documents": self.document_rows,
            "run_tables": self.table_rows,
        }[table]()  # only the table asked for: a run's documents are a row per file of the folder
        return pa.Table.from_pylist(rows, schema=HISTORY_TABLES[table])


def history_dir(lake: Path, table: str) -> Path:
    return lake / "history" / table


def running_marker(lake: Path, run_id: str) -> Path:
    return lake / "history" / "running" / run_id


def write_history(lake: Path, run: Run) -> None:
    """Write (or overwrite) this run's history files, each one atomically.

    While a run is ``running`` a marker file names it, so the next run finds the records of
    killed runs without reading the whole history.
    """
    marker = running_marker(lake, run.run_id)
    if run.outcome == "running":
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.touch()
    for table in HISTORY_TABLES:
        arrow = run.arrow(table)
        path = history_dir(lake, table) / f"{run.run_id}.parquet"
        if table != "runs" and arrow.num_rows == 0 and not path.exists():
            continue
        write_table_atomic(path, arrow)
    if run.outcome != "running":
        marker.unlink(missing_ok=True)


def history_files(lake: Path, table: str) -> list[Path]:
    folder = history_dir(lake, table)
    return sorted(folder.glob("*.parquet")) if folder.exists() else []


def readable_history(lake: Path, table: str) -> list[Path]:
    """The history files of ``table`` that read; a corrupt one is moved to
    ``<lake>/history/corrupt/<table>/`` with a warning, so it never stops a refresh."""
    import pyarrow.parquet as pq

    good = []
    for p in history_files(lake, table):
        try:
            pq.read_table(p)
        except (OSError, pa.ArrowException):
            aside = lake / "history" / "corrupt" / table / p.name
            aside.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(p, aside)
            print(f"jixiao: the run-history file {p.name} is corrupt; moved it to {aside}", file=sys.stderr)
            continue
        good.append(p)
    return good


# --------------------------------------------------------------------------- runs that could not log
def unrecorded_dir(layout) -> Path:
    return layout.warehouse.parent / f".{layout.warehouse.name}.unrecorded"


def park_unrecorded(layout, run: Run, err: OSError) -> None:
    """The lake would not take this run's log: say so (one line) and park the record beside the
    warehouse, where the next refresh picks it up (``recover_unrecorded``)."""
    row = {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in run.runs_row().items()}
    try:
        folder = unrecorded_dir(layout)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{run.run_id}.json").write_text(json.dumps(row), encoding="utf-8")
        where = f"kept it in {folder}; the next refresh records it"
    except OSError:
        where = "the next refresh records it as killed"
    print(f"jixiao: could not write the run log ({err.strerror or err}); {where}", file=sys.stderr)


def recover_unrecorded(layout) -> list[str]:
    """Write the parked records of runs that could not log into the history."""
    folder = unrecorded_dir(layout)
    done = []
    for path in sorted(folder.glob("*.json")) if folder.exists() else []:
        try:
            row = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            path.unlink(missing_ok=True)
            continue
        for key in ("started_at", "ended_at"):
            row[key] = datetime.fromisoformat(row[key]) if row.get(key) else None
        row["message"] = (
            f"{row.get('message') or ''} (recorded late: the run could not write its log)".strip()
        )
        table = pa.Table.from_pylist([{k: row.get(k) for k in RUNS.names}], schema=RUNS)
        write_table_atomic(history_dir(layout.lake, "runs") / f"{row['run_id']}.parquet", table)
        running_marker(layout.lake, row["run_id"]).unlink(missing_ok=True)
        path.unlink()
        done.append(row["run_id"])
    return done


def read_runs(lake: Path) -> list[dict]:
    """Every run record, oldest first (read with pyarrow: no DuckDB connection needed)."""
    import pyarrow.parquet as pq

    rows: list[dict] = []
    for p in history_files(lake, "runs"):
        try:
            rows.extend(pq.read_table(p).to_pylist())
        except (OSError, pa.ArrowInvalid):
            continue
    return sorted(rows, key=lambda r: r["run_id"])


def mark_interrupted(lake: Path, served_run_id: str | None) -> list[str]:
    """Close the records of runs that died without finishing (call with the refresh lock held).

    A run still marked running belongs to a process that was killed. If the served warehouse was
    built by that run, the kill came after the swap: the run did publish.
    """
    import pyarrow.parquet as pq

    folder = lake / "history" / "running"
    closed = []
    for marker in sorted(folder.iterdir()) if folder.exists() else []:
        path = history_dir(lake, "runs") / f"{marker.name}.parquet"
        try:
            rows = pq.read_table(path).to_pylist()
        except (OSError, pa.ArrowInvalid):
            rows = []
        if rows and rows[0]["outcome"] == "running":
            row = rows[0]
            if served_run_id and row["run_id"] == served_run_id:
                row.update(
                    outcome="published",
                    published=True,
                    exit_code=0,
                    message="published; the process was killed before it finished its log",
                )
            else:
                row.update(
                    outcome="killed", message="the process died before finishing; nothing was published"
                )
            write_table_atomic(path, pa.Table.from_pylist([{k: row.get(k) for k in RUNS.names}], schema=RUNS))
            closed.append(row["run_id"])
        marker.unlink(missing_ok=True)
    return closed


def _sql_list(paths: list[Path]) -> str:
    return "[" + ", ".join("'" + str(p).replace("'", "''") + "'" for p in paths) + "]"


def count_tables(con) -> list[tuple[str, str, int]]:
    """Rows per table of every schema a build produced (ops itself excluded)."""
    tables = con.execute(
        """
        select table_schema, table_name from information_schema.tables
        where table_type = 'BASE TABLE' and table_schema not in ('ops', 'information_schema', 'pg_catalog')
          and table_catalog = current_database()
        order by 1, 2
        """
    ).fetchall()
    return [(s, t, con.execute(f'select count(*) from "{s}"."{t}"').fetchone()[0]) for s, t in tables]


def write_ops(warehouse: Path, lake: Path, run: Run, documents: list[dict], build: dict) -> None:
    """Give a freshly built (not yet served) warehouse its ``ops`` schema: the whole history,
    this run's record as of now, the registry and the build's fingerprint."""
    import duckdb

    con = duckdb.connect(str(warehouse))
    try:
        run.tables = count_tables(con)
        con.execute("create schema if not exists ops")
        for table in HISTORY_TABLES:
            current = run.arrow(table)  # noqa: F841 - read by name below
            earlier = [p for p in readable_history(lake, table) if p.stem != run.run_id]
            source = "select * from current"
            if earlier:
                source = (
                    f"select * from read_parquet({_sql_list(earlier)}, union_by_name = true) "
                    "union all by name select * from current"
                )
            con.execute(f"create or replace table ops.{table} as select * from ({source}) order by run_id")
        docs = pa.Table.from_pylist(documents, schema=DOCUMENTS)  # noqa: F841
        con.execute("create or replace table ops.documents as select * from docs order by source_file")
        build_row = pa.Table.from_pylist([build], schema=BUILD)  # noqa: F841
        con.execute("create or replace table ops.build as select * from build_row")
        con.execute("checkpoint")
    finally:
        con.close()


def read_build(warehouse: Path) -> dict | None:
    """The ``ops.build`` row of a warehouse file, opened read-only; None if it has none or
    cannot be opened (e.g. someone holds it with a read-write connection)."""
    from jixiao.reader import query_or_none

    def first_row(con) -> dict | None:
        cur = con.execute("select * from ops.build limit 1")
        row = cur.fetchone()
        return dict(zip([d[0] for d in cur.description], row, strict=True)) if row else None

    return query_or_none(warehouse, first_row)
