"""The DataFrames the suites validate, fetched with DuckDB.

GX validates one DataFrame per suite (its SQL-datasource does not work on DuckDB here, and a
gate over the whole refresh needs cross-table facts anyway). Each frame's SQL lives beside the
suites in ``expectations/frames/<suite>.sql`` and may read:

- the warehouse being gated (``marts.*``, ``staging.*``, ``reference.*``): frames ``marts_*``;
- the raw lake exactly as dbt reads it, as temporary views named like the dbt sources
  (``raw_documents``, ``raw_projects``, ``raw_indicators``, ``raw_parse_issues``, each with the
  Parquet ``filename``), plus ``raw_parquet_schema`` (every file's columns and types) and
  ``ingest_schema`` (the columns and types ``ingest/schema.py`` writes): frames ``raw_*``.

Every frame has ``source_file``, ``source_line`` and ``row_ref`` so a failing row can be named.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa

from ingest.schema import RAW_TABLES
from jixiao.escape import glob_literal, sql_literal
from jixiao.quality.project import frame_sql

LAKE_PREFIX = "raw_"


def is_lake_suite(suite: str) -> bool:
    return suite.startswith(LAKE_PREFIX)


def _lake_glob(lake: Path, *parts: str) -> str:
    return sql_literal(glob_literal(lake) + "/" + "/".join(parts))


def lake_available(lake: Path) -> bool:
    return any((lake / "raw" / t).is_dir() for t in RAW_TABLES)


def register_lake(con: duckdb.DuckDBPyConnection, lake: Path) -> None:
    """Temporary views over the lake, read the way dbt's sources read it (``_sources.yml``)."""
    for table, schema in RAW_TABLES.items():
        files = sorted((lake / "raw" / table).glob("*/*.parquet"))
        if files:
            glob = _lake_glob(lake, "raw", table, "*", "*.parquet")
            con.execute(
                f"create or replace temp view {table} as select * from read_parquet({glob}, "
                "union_by_name = true, hive_partitioning = false, filename = true)"
            )
        else:  # no file at all: an empty table of the ingest schema (the schema rule says so)
            empty = schema.empty_table().append_column("filename", pa.array([], pa.string()))
            con.register(f"_{table}_empty", empty)
            con.execute(f"create or replace temp view {table} as select * from _{table}_empty")
    glob = _lake_glob(lake, "raw", "*", "*", "*.parquet")
    has_files = any((lake / "raw").glob("*/*/*.parquet"))
    con.execute(
        "create or replace temp view raw_parquet_schema as "
        + (
            f"select file_name, name as column_name, duckdb_type as column_type, column_id "
            f"from parquet_schema({glob})"
            # top-level columns only: a list column's inner 'list'/'element' nodes are not columns
            " where column_id > 0 and name not in ('list', 'element')"
            if has_files
            else "select ''::varchar as file_name, ''::varchar as column_name, "
            "''::varchar as column_type, 0::bigint as column_id where false"
        )
    )
    rows = []
    for table, schema in RAW_TABLES.items():
        con.register("_ingest_schema_probe", schema.empty_table())
        for name, dtype in con.execute("select column_name, column_type from (describe _ingest_schema_probe)").fetchall():
            rows.append((table, name, dtype))
        con.unregister("_ingest_schema_probe")
    con.execute("create or replace temp table ingest_schema (raw_table varchar, column_name varchar, column_type varchar)")
    con.executemany("insert into ingest_schema values (?, ?, ?)", rows)


def fetch(con: duckdb.DuckDBPyConnection, suite: str):
    """The suite's frame as a pandas DataFrame."""
    return con.execute(frame_sql(suite)).df()
