"""Looking into a lake from tests: what dbt reads (the live rows, through the one definition)
and which segment file holds a document."""

from __future__ import annotations

from pathlib import Path

import duckdb

from ingest.schema import RAW_TABLES
from ingest.writer import document_rows, live_rows_sql, segment_file, segment_ids
from jixiao import registry
from jixiao.escape import glob_literal


def live_rows(lake: Path, table: str) -> list[dict]:
    """The rows dbt's source reads of ``table``."""
    sql = live_rows_sql(glob_literal(lake).replace("'", "''"), table)
    cur = duckdb.sql(f"select * from {sql} order by all")
    names = cur.columns
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def live_ids(lake: Path) -> set[str]:
    """Document ids with a live row in any raw table (what the warehouse will hold)."""
    return {r["document_id"] for t in RAW_TABLES for r in live_rows(lake, t)}


def segment_path(lake: Path, table: str, document_id: str) -> Path:
    """The segment file the registry says holds a document's rows of ``table``."""
    return Path(segment_file(lake, table, registry.load(lake).entries[document_id].segment))


def rows_of(lake: Path, table: str, document_id: str) -> list[dict]:
    return document_rows(lake, table, document_id).to_pylist()


def all_segments(lake: Path) -> list[str]:
    return segment_ids(lake)
