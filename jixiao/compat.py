"""The served warehouse for tools that bundle DuckDB 1.x: ``<warehouse>.v1.duckdb``.

A file in DuckDB 2.0's storage format is refused by DuckDB 1.x (the duckdb-cli 1.5.x package,
DBeaver's, Metabase's and ODBC drivers that bundle 1.x). A build therefore starts from an empty
file created in DuckDB 1.5's storage format (:func:`create_database`, ``STORAGE_VERSION
'v1.5.0'``): DuckDB 2.0 keeps a file's storage version when it writes into it, so the built
snapshot itself is readable by DuckDB 1.5 and later, and ``<warehouse>.v1.duckdb`` is a link to
the served snapshot, switched after each publish (a constant cost, whatever the corpus).

A served snapshot in 2.0 storage (built before this) is instead copied once with ``ATTACH …
(STORAGE_VERSION 'v1.5.0')`` + ``COPY FROM DATABASE`` (cost: the whole warehouse). Either is
written to a temporary name and renamed into place, so readers see a whole file.
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


def create_database(path: Path) -> None:
    """An empty DuckDB file in :data:`STORAGE_VERSION` storage (DuckDB 1.5 and later read it)."""
    con = duckdb.connect()
    try:
        con.execute(f"attach '{_lit(path)}' as created (storage_version '{STORAGE_VERSION}')")
        con.execute("detach created")
    finally:
        con.close()


def readable_by_1x(path: Path) -> bool:
    """The file's storage version is a 1.x one, which DuckDB 1.5 reads (the tag DuckDB 2.0
    reports, e.g. ``v1.5.0+``; a 2.0 file says ``v2…``)."""
    con = duckdb.connect()
    try:
        con.execute(f"attach '{_lit(path)}' as probe (read_only)")
        tags = con.execute("select tags from duckdb_databases() where database_name = 'probe'").fetchone()[0]
    except duckdb.Error:
        return False
    finally:
        con.close()
    return str((tags or {}).get("storage_version", "")).startswith("v1.")


def _link_to_served(warehouse: Path, target: Path) -> None:
    """``target`` names the served snapshot (a relative symlink, replaced atomically)."""
    snap = Path(os.path.realpath(warehouse))
    tmp = target.with_name(target.name + ".tmp")
    tmp.unlink(missing_ok=True)
    os.symlink(os.path.relpath(snap, target.parent), tmp)
    os.replace(tmp, target)


def write_compat_copy(warehouse: Path) -> Path:
    """Make ``<warehouse>.v1.duckdb`` the served warehouse in 1.5-readable storage: a link to
    the served snapshot when it is already readable, else a copy; returns its path."""
    target = compat_path(warehouse)
    if readable_by_1x(warehouse):
        _link_to_served(warehouse, target)
        return target
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
        "where database_name = 'served' and comment is not null"
    ).fetchall():
        con.execute(f'comment on table compat."{schema}"."{table}" is \'{_lit(comment)}\'')
    for schema, table, column, comment in con.execute(
        "select schema_name, table_name, column_name, comment from duckdb_columns() "
        "where database_name = 'served' and comment is not null"
    ).fetchall():
        con.execute(f'comment on column compat."{schema}"."{table}"."{column}" is \'{_lit(comment)}\'')


def _lit(value: object) -> str:
    return str(value).replace("'", "''")
