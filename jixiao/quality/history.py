"""Quality results over refreshes: Parquet in the lake, loaded into each built warehouse.

The served warehouse is never written in place, so every gate run that records (a refresh,
published or not) appends ``<lake>/history/quality_rule_results/<run_id>.parquet`` (written
atomically), and the file being gated gets the whole history in its ``quality`` schema:

- ``quality.runs``          one row per gate run: when, passed, how many rules failed
- ``quality.rule_results``  one row per rule per run: id, severity, category, meaning, success,
                            observed value, counts, examples (a list of structs)
- ``quality.rule_examples`` one row per example of a failing rule: document, line, row, value

A BI dashboard charts ``rule_results`` by ``run_at``; ``rule_examples`` leads back to the source.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa

from ingest.writer import write_table_atomic
from jixiao.escape import glob_literal, sql_literal
from jixiao.quality.results import GateReport

TABLE = "quality_rule_results"

EXAMPLE = pa.struct(
    [
        ("source_file", pa.string()),
        ("source_line", pa.int32()),
        ("row_ref", pa.string()),
        ("value", pa.string()),
    ]
)
RULE_RESULTS = pa.schema(
    [
        ("run_id", pa.string()),
        ("run_at", pa.timestamp("us", tz="UTC")),
        ("warehouse", pa.string()),
        ("gate_passed", pa.bool_()),
        ("suite", pa.string()),
        ("rule_id", pa.string()),
        ("severity", pa.string()),
        ("category", pa.string()),
        ("message", pa.string()),
        ("expectation_type", pa.string()),
        ("column_name", pa.string()),
        ("success", pa.bool_()),
        ("blocking", pa.bool_()),
        ("element_count", pa.int64()),
        ("unexpected_count", pa.int64()),
        ("unexpected_percent", pa.float64()),
        ("observed_value", pa.string()),
        ("examples", pa.list_(EXAMPLE)),
        ("data_docs", pa.string()),
    ]
)


def history_dir(lake: Path) -> Path:
    return lake / "history" / TABLE


def to_arrow(report: GateReport, warehouse: str | None) -> pa.Table:
    rows = [
        {
            "run_id": report.run_id,
            "run_at": report.run_at,
            "warehouse": warehouse,
            "gate_passed": report.passed,
            "suite": r.suite,
            "rule_id": r.rule_id,
            "severity": r.severity,
            "category": r.category,
            "message": r.meaning,
            "expectation_type": r.expectation_type,
            "column_name": r.column,
            "success": r.success,
            "blocking": r.blocking,
            "element_count": r.element_count,
            "unexpected_count": r.unexpected_count,
            "unexpected_percent": r.unexpected_percent,
            "observed_value": r.observed,
            "examples": [
                {"source_file": e.source_file, "source_line": e.source_line, "row_ref": e.row_ref, "value": e.value}
                for e in r.examples
            ],
            "data_docs": str(report.data_docs) if report.data_docs else None,
        }
        for r in report.results
    ]
    return pa.Table.from_pylist(rows, schema=RULE_RESULTS)


def append(lake: Path, report: GateReport, warehouse: str | None) -> Path:
    """Write this run's results to the history (one file per run, replaced atomically)."""
    path = history_dir(lake) / f"{report.run_id}.parquet"
    write_table_atomic(path, to_arrow(report, warehouse))
    return path


_COMMENTS = {
    "runs": "质量门运行记录。One row per quality-gate run (refreshes, published or not).",
    "rule_results": "质量规则结果。One row per rule per gate run: id, severity, category, meaning, "
    "success, observed value, example rows.",
    "rule_examples": "质量规则失败示例。One row per example row of a failing rule: document, line, row, value.",
}


def load_into(warehouse: Path, lake: Path) -> None:
    """(Re)create the ``quality`` schema of ``warehouse`` from the whole history in the lake."""
    files = sorted(history_dir(lake).glob("*.parquet"))
    con = duckdb.connect(str(warehouse))
    try:
        con.execute("create schema if not exists quality")
        if files:
            glob = sql_literal(glob_literal(history_dir(lake)) + "/*.parquet")
            source = f"read_parquet({glob}, union_by_name = true)"
        else:
            con.register("_empty_history", RULE_RESULTS.empty_table())
            source = "_empty_history"
        con.execute(f"create or replace table quality.rule_results as select * from {source} order by run_at, rule_id")
        con.execute(
            """
            create or replace table quality.rule_examples as
            select run_id, run_at, suite, rule_id, severity, success,
                   e.source_file as source_file, e.source_line as source_line,
                   e.row_ref as row_ref, e.value as value
            from (select *, unnest(examples) as e from quality.rule_results)
            order by run_at, rule_id, source_file, source_line
            """
        )
        con.execute(
            """
            create or replace table quality.runs as
            select
                run_id,
                min(run_at) as run_at,
                any_value(warehouse) as warehouse,
                bool_and(gate_passed) as passed,
                count(*) as rules,
                count(*) filter (where blocking) as critical_failures,
                count(*) filter (where not success and severity = 'warning') as warnings,
                list(rule_id order by rule_id) filter (where not success) as failed_rules,
                any_value(data_docs) as data_docs
            from quality.rule_results
            group by run_id
            order by run_at
            """
        )
        for table, comment in _COMMENTS.items():
            con.execute(f"comment on table quality.{table} is '{comment}'")
        con.execute("checkpoint")
    finally:
        con.close()
