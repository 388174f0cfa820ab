"""The documented way to read the warehouse: ``jixiao.connect()``.

Each call returns a new DuckDB connection to the newest publish, read-only and locked down:

- the served path is resolved to the snapshot it names *now* (``jixiao.publish``) and attached
  to a fresh in-memory database, so a connection pool or a notebook kernel that keeps older
  connections open still gets the newest build on its next connection;
- ``enable_external_access = false`` (no reading or writing host files: ``read_csv``,
  ``glob``, ``COPY ... TO``, ``ATTACH``) and ``lock_configuration = true`` (no switching it back).

The same recipe in SQL, for BI tools (see the README)::

    ATTACH '/srv/jixiao/warehouse/jixiao.duckdb' AS jixiao (READ_ONLY);
    USE jixiao;
    SET enable_external_access = false;
    SET lock_configuration = true;
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import duckdb

from jixiao.escape import sql_literal
from jixiao.paths import DEFAULT_WAREHOUSE, WAREHOUSE_ENV

CATALOG = "jixiao"
LOCKDOWN = ("set enable_external_access = false", "set lock_configuration = true")


def served_path(warehouse: str | os.PathLike | None = None) -> Path:
    """The file the served path names now (the newest publish)."""
    path = Path(warehouse or os.environ.get(WAREHOUSE_ENV) or DEFAULT_WAREHOUSE)
    resolved = Path(os.path.realpath(path))
    if not resolved.is_file():
        raise FileNotFoundError(f"no warehouse at {path}; run `jixiao refresh` first")
    return resolved


def connect(warehouse: str | os.PathLike | None = None) -> duckdb.DuckDBPyConnection:
    """A read-only, locked-down connection to the newest published warehouse (schema ``marts``)."""
    con = duckdb.connect(":memory:")
    try:
        con.execute(f"attach {sql_literal(served_path(warehouse))} as {CATALOG} (read_only)")
        con.execute(f"use {CATALOG}")
        for statement in LOCKDOWN:
            con.execute(statement)
    except BaseException:
        con.close()
        raise
    return con


T = TypeVar("T")


def query_or_none(warehouse: Path, fetch: Callable[[duckdb.DuckDBPyConnection], T]) -> T | None:
    """``fetch`` on a read-only connection to ``warehouse``, or None when the file is missing,
    cannot be opened (e.g. someone holds it read-write) or lacks what ``fetch`` reads (an
    older warehouse): the one way the refresh and the gate read facts back from a built file."""
    if not warehouse.exists():
        return None
    try:
        con = duckdb.connect(str(warehouse), read_only=True)
    except duckdb.Error:
        return None
    try:
        return fetch(con)
    except duckdb.Error:
        return None
    finally:
        con.close()
