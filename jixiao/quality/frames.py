"""The DataFrames the suites validate, fetched with DuckDB.

GX validates one DataFrame per suite (its SQL-datasource does not work on DuckDB here, and a
gate over the whole refresh needs cross-table facts anyway). Each frame's SQL lives beside the
suites in ``expectations/frames/<suite>.sql`` and may read:

- the warehouse being gated (``marts.*``, ``staging.*``, ``reference.*``): frames ``marts_*``;
- the raw lake exactly as dbt reads it (the live rows of the segments), as temporary views
  named like the dbt sources (``raw_documents``, ``raw_projects``, ``raw_indicators``,
  ``raw_parse_issues``, ``raw_self_evaluation_*`` … every table of ``ingest.schema.RAW_TABLES``,
  each with the Parquet ``filename`` of its segment), ``raw_live`` (the
  manifest: document_id, segment), plus ``raw_parquet_schema`` (every segment file's columns
  and types) and ``ingest_schema`` (the columns and types ``ingest/schema.py`` writes): frames
  ``raw_*``.

- the ingest verdicts (``document_verdicts``: one row per document, the catalogue rule its
  reason belongs to): frame ``raw_document_verdicts``.

Every frame has ``source_file``, ``source_line`` and ``row_ref`` so a failing row can be named.
The frames of grains the models flag (``FLAG_FRAMES``) get one column per flagging rule of the
catalogue, named by the rule's name: the anomaly's detail, or NULL when the rule did not fire.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa

from ingest import catalogue
from ingest.schema import RAW_TABLES
from ingest.writer import LIVE_FILE, LIVE_SCHEMA, RAW_DIR, SEGMENT_PREFIX, live_file, live_rows_sql
from jixiao.escape import glob_literal, sql_literal
from jixiao.quality.project import frame_sql

LAKE_PREFIX = "raw_"
# suite -> (grain of the rules the models flag, key column of the frame)
FLAG_FRAMES = {"marts_indicators": ("indicator", "indicator_id"), "marts_projects": ("project", "project_id")}
VERDICT_SUITE = "raw_document_verdicts"
VERDICT_COLUMNS = ("document_id", "source_file", "status", "reason_code", "reason", "reason_line", "rule_id")


def is_lake_suite(suite: str) -> bool:
    return suite.startswith(LAKE_PREFIX)


def _lake_glob(lake: Path, *parts: str) -> str:
    return sql_literal(glob_literal(lake) + "/" + "/".join(parts))


def lake_available(lake: Path) -> bool:
    return any((lake / "raw" / t).is_dir() for t in RAW_TABLES)


def _segment_files(lake: Path, table: str = "*") -> list[Path]:
    return sorted((lake / RAW_DIR).glob(f"{table}/{SEGMENT_PREFIX}*.parquet"))


def register_lake(con: duckdb.DuckDBPyConnection, lake: Path) -> None:
    """Temporary views over the lake's live rows, read the way dbt's sources read them (the one
    definition, ``ingest.writer.LIVE_ROWS_SQL``), each with the Parquet ``filename``; and
    ``raw_live``, the manifest (document_id, segment)."""
    lake_in_literal = glob_literal(lake).replace("'", "''")
    has_manifest = live_file(lake).exists()
    for table, schema in RAW_TABLES.items():
        if _segment_files(lake, table) and has_manifest:
            view = live_rows_sql(lake_in_literal, table, columns="segment_rows.*")
            con.execute(f"create or replace temp view {table} as select * from {view}")
        else:  # no file at all: an empty table of the ingest schema (the schema rule says so)
            empty = schema.empty_table().append_column("filename", pa.array([], pa.string()))
            con.register(f"_{table}_empty", empty)
            con.execute(f"create or replace temp view {table} as select * from _{table}_empty")
    if has_manifest:
        con.execute(
            f"create or replace temp view raw_live as select * from read_parquet({_lake_glob(lake, RAW_DIR, LIVE_FILE)})"
        )
    else:
        con.register("_raw_live_empty", LIVE_SCHEMA.empty_table())
        con.execute("create or replace temp view raw_live as select * from _raw_live_empty")
    glob = _lake_glob(lake, RAW_DIR, "*", f"{SEGMENT_PREFIX}*.parquet")
    con.execute(
        "create or replace temp view raw_parquet_schema as "
        + (
            f"select file_name, name as column_name, duckdb_type as column_type, column_id "
            f"from parquet_schema({glob})"
            # top-level columns only: a list column's inner 'list'/'element' nodes are not columns
            " where column_id > 0 and name not in ('list', 'element')"
            if _segment_files(lake)
            else "select ''::varchar as file_name, ''::varchar as column_name, "
            "''::varchar as column_type, 0::bigint as column_id where false"
        )
    )
    rows = []
    for table, schema in RAW_TABLES.items():
        con.register("_ingest_schema_probe", schema.empty_table())
        for name, dtype in con.execute(
            "select column_name, column_type from (describe _ingest_schema_probe)"
        ).fetchall():
            rows.append((table, name, dtype))
        con.unregister("_ingest_schema_probe")
    con.execute(
        "create or replace temp table ingest_schema (raw_table varchar, column_name varchar, column_type varchar)"
    )
    con.executemany("insert into ingest_schema values (?, ?, ?)", rows)


def _quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def flag_columns_sql(suite: str) -> str:
    """The suite's frame with one column per rule the models flag at its grain (catalogue order)."""
    grain, key = FLAG_FRAMES[suite]
    rules = [r for r in catalogue.rules() if r.checked_in == "model" and r.grain == grain]
    pivots = ",\n".join(
        f"max(detail) filter (where rule_id = '{r.rule_id}') as {_quote_ident(r.name)}" for r in rules
    )
    return (
        f"with frame as (\n{frame_sql(suite)}\n),\n"
        f"flags as (\nselect {key},\n{pivots}\nfrom marts.fct_anomaly where grain = '{grain}' group by {key}\n)\n"
        f"select frame.*, {', '.join('flags.' + _quote_ident(r.name) for r in rules)}\n"
        f"from frame left join flags on frame.{key} = flags.{key}"
    )


def register_verdicts(con: duckdb.DuckDBPyConnection, rows: list[dict]) -> None:
    """``document_verdicts``: what ingest decided for each document, with its catalogue rule."""
    table = {c: [] for c in VERDICT_COLUMNS}
    for row in rows:
        rule = catalogue.for_reason(row.get("reason_code"))
        filled = {**row, "rule_id": rule.rule_id if rule else None}
        for c in VERDICT_COLUMNS:
            table[c].append(filled.get(c))
    schema = pa.schema([(c, pa.int32() if c == "reason_line" else pa.string()) for c in VERDICT_COLUMNS])
    con.register("_document_verdicts", pa.table(table, schema=schema))
    con.execute("create or replace temp table document_verdicts as select * from _document_verdicts")
    con.unregister("_document_verdicts")


def suite_sql(suite: str) -> str:
    """The query of the suite's whole frame (with the flag columns where the suite has them)."""
    return flag_columns_sql(suite) if suite in FLAG_FRAMES else frame_sql(suite)


def only_documents(sql: str, documents: set[str]) -> str:
    """``sql`` restricted to the rows of ``documents`` and the rows without a document id (a
    literal list, so DuckDB pushes it into the scans)."""
    listed = ", ".join(sql_literal(d) for d in sorted(documents))
    keep = f"frame.document_id in ({listed}) or " if documents else ""
    return f"select * from (\n{sql}\n) as frame where {keep}frame.document_id is null"


def column_types(con: duckdb.DuckDBPyConnection, sql: str) -> dict[str, str]:
    return {name: dtype for name, dtype, *_ in con.execute(f"describe ({sql})").fetchall()}


def fetch(con: duckdb.DuckDBPyConnection, suite: str, documents: set[str] | None = None):
    """The suite's frame as a pandas DataFrame (only ``documents``' rows when a set is given)."""
    sql = suite_sql(suite)
    return con.execute(sql if documents is None else only_documents(sql, documents)).df()
