"""A copy of the served warehouse in DuckDB 1.5's storage format, for tools that bundle DuckDB 1.x.

The served file is written by DuckDB 2.0 (storage format 2.0): DuckDB 1.x (the duckdb-cli 1.5.x
package, DBeaver's, Metabase's and ODBC drivers that bundle 1.x) refuses it. After each publish
``<warehouse>.v1.duckdb`` (e.g. ``build/jixiao.v1.duckdb``) is written beside it with
``ATTACH … (STORAGE_VERSION 'v1.5.0')`` + ``COPY FROM DATABASE``; DuckDB 1.5 and later read it.
It is written to a temporary name and renamed into place, so readers see a whole file.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

STORAGE_VERSION = "v1.5.0"


def compat_path(warehouse: Path) -> Path:
    """``build/jixiao.duckdb`` -> ``build/jixiao.v1.duckdb``."""
    return warehouse.with_name(f"{warehouse.stem}.v1{warehouse.suffix or '.duckdb'}")


def _run_id(path: Path) -> str | None:
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error:
        return None
    try:
        row = con.execute("select run_id from ops.build limit 1").fetchone()
        return row[0] if row else None
    except duckdb.Error:
        return None
    finally:
        con.close()


def is_current(warehouse: Path) -> bool:
    """The compatible copy exists and holds the run the served file holds."""
    target = compat_path(warehouse)
    return target.exists() and _run_id(target) is not None and _run_id(target) == _run_id(warehouse)


def write_compat_copy(warehouse: Path) -> Path:
    """Write ``<warehouse>.v1.duckdb`` from the served file (read-only); returns its path."""
    target = compat_path(warehouse)
    tmp = target.with_name(target.name + ".tmp")
    for p in (tmp, tmp.with_name(tmp.name + ".wal")):
        p.unlink(missing_ok=True)
    con = duckdb.connect()
    try:
        con.execute(f"attach '{_lit(warehouse)}' as served (read_only)")
        con.execute(f"attach '{_lit(tmp)}' as compat (storage_version '{STORAGE_VERSION}')")
        con.execute("copy from database served to compat")
        _copy_comments(con)
        con.execute("detach compat")
    finally:
        con.close()
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, target)
    return target


def ensure_compat_copy(warehouse: Path) -> tuple[bool, Path]:
    """Write the copy unless it is already current; (written?, path)."""
    if is_current(warehouse):
        return False, compat_path(warehouse)
    return True, write_compat_copy(warehouse)


def _copy_comments(con: duckdb.DuckDBPyConnection) -> None:
    """COPY FROM DATABASE does not carry comments: set them on the copy."""
    for schema, table, comment in con.execute(
            "select schema_name, table_name, comment from duckdb_tables() "
            "where database_name = 'served' and comment is not null").fetchall():
        con.execute(f'comment on table compat."{schema}"."{table}" is \'{_lit(comment)}\'')
    for schema, table, column, comment in con.execute(
            "select schema_name, table_name, column_name, comment from duckdb_columns() "
            "where database_name = 'served' and comment is not null").fetchall():
        con.execute(f'comment on column compat."{schema}"."{table}"."{column}" is \'{_lit(comment)}\'')


def _lit(value: object) -> str:
    return str(value).replace("'", "''")
